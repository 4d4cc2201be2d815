//! Unpaid trial shifts, working interviews and stages: productive work that must be paid.

use crate::rule::PhraseRule;
use crate::{Category, Severity};
use std::sync::OnceLock;

pub(crate) static RULE: PhraseRule = PhraseRule {
    id: "unpaid_work.unpaid_trial",
    category: Category::UnpaidWork,
    severity: Severity::High,
    pattern: r"\bunpaid (trial|trial shifts?|trial days?|working interviews?|stages?|stage shifts?|tryouts?|test (shifts?|days?)|shadow shifts?)\b|\b(trial|test|stage|shadow) (shift|day|period)s? (is |are )?(unpaid|without pay|not paid|for free)\b|\bworking interview,? \(?(unpaid|not paid|without pay)\)?|\bwork for free\b|\bfree (sample|trial|test|working) (days?|shifts?|projects?)\b|\b(sample|test) (days?|shifts?|projects?) (is |are )?(unpaid|free)\b",
    unless: None,
    unless_document: None,
    message: "Trial shifts and working interviews are work; California requires at least minimum wage for every hour worked.",
    citation: "Cal. Lab. Code §§1194, 1197; 29 U.S.C. §206",
    suggestion: Some("Paid trial shift at the posted hourly rate."),
    severity_for: None,
    compiled: OnceLock::new(),
};

#[cfg(test)]
mod tests {
    use super::RULE;
    use crate::rule::{assert_flags, assert_leaves};

    #[test]
    fn flags() {
        assert_flags(
            &RULE,
            &[
                "Come in for an unpaid trial shift Saturday.",
                "Final step is a one-day working interview (unpaid).",
                "Candidates complete a two-day unpaid stage in our kitchen.",
                "Trial shifts are unpaid.",
                "Finalists work a free sample day in our office.",
            ],
        );
    }

    #[test]
    fn leaves_near_misses() {
        assert_leaves(
            &RULE,
            &[
                "Paid trial shift at $20/hour.",
                "Trial period of 90 days with full pay.",
            ],
        );
    }
}

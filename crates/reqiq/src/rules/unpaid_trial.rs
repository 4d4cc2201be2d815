//! Unpaid trials, training and internships.

use crate::rule::PhraseRule;
use crate::{Category, Severity};
use std::sync::OnceLock;

pub(crate) static RULE: PhraseRule = PhraseRule {
    id: "unpaid_work.unpaid_trial_or_internship",
    category: Category::UnpaidWork,
    severity: Severity::Medium,
    pattern: r"\bunpaid (trial|trial shifts?|working interview|internship|training period|probation)\b|\b(trial|training) (shift|day|week|period)s? (is |are )?(unpaid|without pay)\b|\bwork for free\b",
    unless: Some(r"\b(non-?profit|for credit|academic credit)\b"),
    message: "Unpaid trial shifts, unpaid training and unpaid internships at a for-profit employer usually count as work that must be paid at least the minimum wage.",
    citation: "Cal. Lab. Code §§1194, 1197; 29 U.S.C. §206; DOL Fact Sheet #71",
    suggestion: Some(
        "Pay trial shifts and training at the role's rate, and say so (\"paid training from day one\").",
    ),
    severity_for: None,
    compiled: OnceLock::new(),
};

#[cfg(test)]
mod tests {
    use super::RULE;
    use crate::rule::{assert_flags, assert_leaves};

    #[test]
    fn flags_what_it_is_for() {
        assert_flags(
            &RULE,
            &[
                "Two unpaid trial shifts before hire.",
                "The first training week is unpaid.",
                "Unpaid internship, full time.",
            ],
        );
    }

    #[test]
    fn leaves_near_misses_alone() {
        assert_leaves(
            &RULE,
            &[
                "Paid training from day one.",
                "Internship for academic credit at a non-profit.",
            ],
        );
    }
}

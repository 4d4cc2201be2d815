//! Unpaid training, orientation or probation ("first two weeks unpaid", "5 days of unpaid
//! training").

use crate::rule::PhraseRule;
use crate::{Category, Severity};
use std::sync::OnceLock;

pub(crate) static RULE: PhraseRule = PhraseRule {
    id: "unpaid_work.unpaid_training",
    category: Category::UnpaidWork,
    severity: Severity::High,
    pattern: r"\bunpaid (training|orientation|onboarding|probation(ary)?( period)?|ride-?alongs?|shadowing)\b|\b(training|orientation|onboarding|probation(ary)? period) (is |are |will be )?(unpaid|without pay|not paid)\b|\b(first|initial) (\w+ )?(days?|weeks?|months?|shifts?) (are |is )?(unpaid|without pay|not paid)\b",
    unless: None,
    unless_document: None,
    message: "Training, orientation and probation are work time; California requires pay for every hour worked.",
    citation: "Cal. Lab. Code §§1194, 1197; 29 CFR §§785.27–785.31 (required, job-related training is work time)",
    suggestion: Some("Paid training at the posted rate."),
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
                "New installers complete 5 days of unpaid training.",
                "30-day unpaid probationary period, then paid DOE.",
                "The first two weeks are unpaid training.",
                "Orientation is unpaid.",
            ],
        );
    }

    #[test]
    fn leaves_near_misses() {
        assert_leaves(
            &RULE,
            &[
                "Paid training from day one.",
                "Probationary period of 90 days.",
            ],
        );
    }
}

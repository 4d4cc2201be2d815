//! Work paid in "exposure", portfolio credit or equity only, or a "volunteer" role at a
//! for-profit.

use crate::rule::PhraseRule;
use crate::{Category, Severity};
use std::sync::OnceLock;

pub(crate) static RULE: PhraseRule = PhraseRule {
    id: "unpaid_work.exposure_or_equity_only",
    category: Category::UnpaidWork,
    severity: Severity::High,
    pattern: r"\b(paid in|compensation:?|pay:?|payment:?|in exchange for|compensated (with|in)) (\w+ )?(exposure|portfolio credit|experience only|equity only|equity)\b|\b(equity|exposure)[- ]only\b|\b(volunteer|unpaid) (position|role|basis|opportunity)\b",
    unless: Some(r"\$ ?\d|\b(salary|base pay|wages?) (plus|and|\+)|\b(plus|and|\+) (equity|stock)"),
    unless_document: None,
    message: "A for-profit employer must pay at least minimum wage for work; exposure, credit or equity alone is not pay, and employees of a for-profit cannot volunteer.",
    citation: "Cal. Lab. Code §§1194, 1197; 29 U.S.C. §206",
    suggestion: Some("State the pay: $X per hour (plus equity, if offered)."),
    severity_for: Some(super::conditions::not_at_a_nonprofit),
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
                "Compensation: exposure and portfolio credit.",
                "Founding Sales Lead (volunteer, equity only).",
                "This is a volunteer position.",
                "Compensation is equity only, no salary until we close our seed round.",
            ],
        );
    }

    #[test]
    fn leaves_near_misses() {
        assert_leaves(
            &RULE,
            &[
                "Compensation: $120,000 salary plus equity.",
                "Volunteer days off each year.",
            ],
        );
    }
}

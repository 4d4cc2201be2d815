//! Unpaid internships at a for-profit employer (lawful at a nonprofit, or for academic credit
//! where the intern is the primary beneficiary).

use crate::rule::PhraseRule;
use crate::{Category, Severity};
use std::sync::OnceLock;

pub(crate) static RULE: PhraseRule = PhraseRule {
    id: "unpaid_work.unpaid_internship",
    category: Category::UnpaidWork,
    severity: Severity::High,
    pattern: r"\bunpaid (internships?|interns?|apprenticeships?|externships?|fellowships?)\b|\b(internships?|externships?) (is |are )?(unpaid|without pay|not paid)\b",
    unless: Some(r"\b(for (academic )?credit|academic credit|course credit)\b"),
    unless_document: None,
    message: "For-profit employers must pay interns who do productive work unless the intern is the primary beneficiary (for example, training for academic credit).",
    citation: "29 U.S.C. §206; Cal. Lab. Code §§1194, 1197; DOL Fact Sheet #71 (verify)",
    suggestion: Some("Paid internship: $X per hour."),
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
                "Unpaid internship in our design team.",
                "This internship is unpaid.",
            ],
        );
    }

    #[test]
    fn leaves_near_misses() {
        assert_leaves(
            &RULE,
            &[
                "Paid internship at $22/hour.",
                "Unpaid internship for academic credit through your university.",
            ],
        );
    }
}

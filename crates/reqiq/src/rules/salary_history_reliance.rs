//! Saying the offer will be set from the applicant's past pay: "based on your current salary", "we
//! match your current pay".

use crate::rule::PhraseRule;
use crate::{Category, Severity};
use std::sync::OnceLock;

pub(crate) static RULE: PhraseRule = PhraseRule {
    id: "salary_history.reliance",
    category: Category::SalaryHistory,
    severity: Severity::High,
    pattern: r"\b(based on|match|matching|beat|above|more than|over|\d+ ?%( above| over| more than)?) your (current|present|previous|prior|past|last) (base )?(salary|pay|compensation|wages?|rate)\b",
    unless: None,
    unless_document: None,
    message: "California employers may not rely on salary history in deciding whether to offer a job or what to pay.",
    citation: "Cal. Lab. Code §432.3(a)",
    suggestion: Some(
        "Offers are based on the role's pay scale and the candidate's skills and experience.",
    ),
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
                "The offer will be based on your current salary.",
                "We match your current pay plus 10%.",
                "10% above your previous salary.",
            ],
        );
    }

    #[test]
    fn leaves_near_misses() {
        assert_leaves(
            &RULE,
            &[
                "Pay is based on experience within the range.",
                "Your current skills matter most.",
            ],
        );
    }
}

//! Non-compete clauses, void in California.

use crate::rule::PhraseRule;
use crate::{Category, Severity};
use std::sync::OnceLock;

pub(crate) static RULE: PhraseRule = PhraseRule {
    id: "non_compete.required",
    category: Category::NonCompete,
    severity: Severity::High,
    pattern: r"\bnon-? ?compet(e|ition)( agreement| clause| covenant)?\b|\b(agree|promise) not to (work for|join|compete with) (a |any )?(competitors?|rival)\b",
    unless: Some(r"\b(no|without|not require|does not|will not) (a )?non-? ?compet"),
    message: "Non-compete agreements are void in California, and requiring one (even signed elsewhere) is unlawful.",
    citation: "Bus. & Prof. Code §§16600, 16600.1, 16600.5",
    suggestion: Some(
        "Remove the non-compete; protect trade secrets with a confidentiality agreement.",
    ),
    severity_for: None,
    compiled: OnceLock::new(),
};

#[cfg(test)]
mod tests {
    use super::RULE;
    use crate::rule::{assert_flags, assert_leaves};

    #[test]
    fn flags_non_competes() {
        assert_flags(
            &RULE,
            &[
                "Must sign a non-compete agreement.",
                "You agree not to work for competitors for two years.",
                "Noncompete required.",
            ],
        );
    }

    #[test]
    fn leaves_confidentiality_and_no_non_compete_alone() {
        assert_leaves(
            &RULE,
            &[
                "Confidentiality agreement required.",
                "We do not require a non-compete.",
            ],
        );
    }
}

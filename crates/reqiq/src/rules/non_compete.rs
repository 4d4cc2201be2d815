//! Requiring a non-compete agreement.

use crate::rule::PhraseRule;
use crate::{Category, Severity};
use std::sync::OnceLock;

pub(crate) static RULE: PhraseRule = PhraseRule {
    id: "non_compete.required",
    category: Category::NonCompete,
    severity: Severity::High,
    pattern: r"\bnon-? ?compet(e|es|ition)( agreements?| clauses?| covenants?)?\b|\b(agree|promise) not to (work for|join|compete with) (a |any )?(competitors?|rival)\b|\bcovenants? not to compete\b|\bnot to compete with\b",
    unless: Some(
        r"\b(no|never|without|not|don't|won't|doesn't|neither)\b[^.;]{0,40}\b(non-? ?compet\w*|restrictive covenants?)\b",
    ),
    unless_document: None,
    message: "Non-compete agreements are void in California, and requiring one (even in an ad) is unlawful.",
    citation: "Bus. & Prof. Code §16600, §16600.1, §16600.5",
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
    fn flags() {
        assert_flags(
            &RULE,
            &[
                "Covenant not to compete for one year.",
                "Must sign a non-compete.",
                "Non-competition agreement required.",
                "Agree not to work for any competitor for two years.",
            ],
        );
    }

    #[test]
    fn leaves_near_misses() {
        assert_leaves(
            &RULE,
            &[
                "We never ask employees to sign non-compete agreements.",
                "No non-compete.",
            ],
        );
    }
}

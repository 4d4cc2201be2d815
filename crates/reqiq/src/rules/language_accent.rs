//! Rejecting accents ("no accent", "accent-free English", "neutral American accent").

use crate::rule::PhraseRule;
use crate::{Category, Severity};
use std::sync::OnceLock;

pub(crate) static RULE: PhraseRule = PhraseRule {
    id: "language.accent",
    category: Category::Language,
    severity: Severity::High,
    pattern: r"\b(no|without an?|without any|free of|zero) (foreign |heavy |strong |thick |noticeable )?accents?\b|\baccent[- ]free\b|\b(neutral|american|standard|unaccented) accents?\b|\bunaccented\b",
    unless: Some(
        r"\baccents? (walls?|lighting|pieces?|tiles?|colou?rs?|chairs?|pillows?|marks?|furniture)\b",
    ),
    unless_document: None,
    message: "Rejecting applicants for an accent is national-origin discrimination unless the accent materially interferes with the job.",
    citation: "Gov. Code §12951; 2 CCR §11028",
    suggestion: Some("Clear spoken English for phone support."),
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
                "No accent please.",
                "Must speak accent-free English.",
                "Neutral American accent required.",
                "Without a heavy accent.",
            ],
        );
    }

    #[test]
    fn leaves_near_misses() {
        assert_leaves(
            &RULE,
            &[
                "Paint accent walls and trim.",
                "Clear spoken English for phone support.",
            ],
        );
    }
}

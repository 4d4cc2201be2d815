//! Preferring attractive applicants ("attractive hostesses", "pleasing appearance"), a proxy for
//! sex, age and race and protected as personal appearance in Washington DC.

use crate::rule::PhraseRule;
use crate::{Category, Severity};
use std::sync::OnceLock;

pub(crate) static RULE: PhraseRule = PhraseRule {
    id: "race_color_appearance.attractiveness",
    category: Category::RaceColorAppearance,
    severity: Severity::Low,
    pattern: r"\b(attractive|good-looking|pretty|handsome|beautiful|hot|sexy)( young)? (candidates?|applicants?|people|persons?|individuals?|women|men|girls|guys|hostess(es)?|servers?|bartenders?|staff|faces?|ladies)\b|\bpleasing (appearance|looks)\b|\b(model|good) looks (required|preferred|a must)\b",
    unless: None,
    unless_document: None,
    message: "Preferring attractive applicants tends to screen by sex, age and race.",
    citation: "Gov. Code §12940(d) (as a proxy for sex, age and race)",
    suggestion: Some(
        "Describe the service standard instead (\"warm, professional guest service\").",
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
                "Attractive hostesses wanted.",
                "Must have a pleasing appearance.",
                "Good looks required.",
            ],
        );
    }

    #[test]
    fn leaves_near_misses() {
        assert_leaves(
            &RULE,
            &[
                "Attractive salary and benefits.",
                "Pretty good benefits.",
                "Professional appearance.",
            ],
        );
    }
}

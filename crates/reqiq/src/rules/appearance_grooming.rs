//! Facial-hair bans without accommodation ("must be clean-shaven"), which fall hardest on Black
//! men (pseudofolliculitis barbae) and on religious practice.

use crate::rule::PhraseRule;
use crate::{Category, Severity};
use std::sync::OnceLock;

pub(crate) static RULE: PhraseRule = PhraseRule {
    id: "race_color_appearance.facial_hair_ban",
    category: Category::RaceColorAppearance,
    severity: Severity::Medium,
    pattern: r"\bclean[- ]?shaven\b|\bno (beards?|facial hair|mustaches|moustaches|goatees)\b|\b(beards?|facial hair) (is |are )?(not (allowed|permitted)|prohibited|banned)\b",
    unless: Some(
        r"\b(religious|medical|accommodat\w*|respirators?|fit[- ]tests?|unless|exceptions? (for|available))\b",
    ),
    unless_document: None,
    message: "A facial-hair ban without religious and medical accommodation can discriminate by race and religion.",
    citation: "Gov. Code §12940(l) (religious grooming), §12940(a); 42 U.S.C. §2000e-2 (race: pseudofolliculitis barbae)",
    suggestion: Some(
        "State the grooming standard and that religious and medical accommodations are available.",
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
                "All attendants must be clean-shaven at all times.",
                "No beards.",
                "Facial hair is not permitted.",
            ],
        );
    }

    #[test]
    fn leaves_near_misses() {
        assert_leaves(
            &RULE,
            &[
                "Clean-shaven where a respirator fit test requires it; accommodations available.",
                "Beard nets provided in the kitchen.",
            ],
        );
    }
}

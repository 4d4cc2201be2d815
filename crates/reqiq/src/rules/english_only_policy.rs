//! English-only rules at all times or on breaks ("may not speak Spanish anywhere on the
//! premises").

use crate::rule::PhraseRule;
use crate::{Category, Severity};
use std::sync::OnceLock;

pub(crate) static RULE: PhraseRule = PhraseRule {
    id: "language.english_only_policy",
    category: Category::Language,
    severity: Severity::High,
    pattern: r"\benglish[- ]only\b|\b(only|must) speak (only )?english (at all times|in the workplace|on (the )?(premises|site|floor|job)|at work|on breaks|during breaks|while at work)\b|\b(may not|must not|cannot|can't|are not allowed to|are not permitted to|not allowed to|no) speak(ing)? (spanish|tagalog|vietnamese|chinese|mandarin|cantonese|korean|punjabi|hindi|arabic|russian|armenian|other languages|any other language|any language other than english|languages other than english|in other languages)\b|\b(only )?english (must|may|is to|will) be spoken( only)? (at all times|on the (floor|premises|job|site)|in the workplace|at work)\b|\bonly english may be spoken\b",
    unless: Some(
        r"\b(with|to) (customers|patients|guests|clients|callers|the public)\b|\bbusiness necessity\b|\bsafety\b",
    ),
    unless_document: None,
    message: "English-only rules are unlawful unless justified by business necessity and announced; a rule covering breaks or all times is presumed unlawful.",
    citation: "Gov. Code §12951; 2 CCR §11028",
    suggestion: Some(
        "Describe when English is needed for the work (for example with English-speaking customers).",
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
                "Only English may be spoken on the floor.",
                "English must be spoken at all times.",
                "English only at all times.",
                "Employees may not speak Spanish anywhere on the premises, even on breaks.",
                "Must speak only English in the workplace.",
            ],
        );
    }

    #[test]
    fn leaves_near_misses() {
        assert_leaves(
            &RULE,
            &[
                "Speak English with customers at the register.",
                "English-language proficiency at a B2 level.",
                "Spanish speakers encouraged to apply.",
            ],
        );
    }
}

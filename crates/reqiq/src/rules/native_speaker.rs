//! "Native English speaker", "no accent", "English only".

use crate::rule::PhraseRule;
use crate::{Category, Severity};
use std::sync::OnceLock;

pub(crate) static RULE: PhraseRule = PhraseRule {
    id: "language.native_speaker",
    category: Category::Language,
    severity: Severity::High,
    pattern: r"\bnative (english|spanish|french|german|mandarin)? ?speakers?\b|\b(english|spanish) as (a|your) (first|native|mother) (language|tongue)\b|\bno (foreign |heavy )?accents?\b|\bwithout an? (foreign |heavy )?accent\b|\benglish[- ]only\b|\bmother tongue\b",
    unless: None,
    message: "Requiring a native speaker, no accent or English only discriminates by national origin; require the language proficiency the job needs instead.",
    citation: "Gov. Code §12951; 2 CCR §11028",
    suggestion: Some("Fluent written and spoken English (the role handles customer calls)."),
    severity_for: None,
    compiled: OnceLock::new(),
};

#[cfg(test)]
mod tests {
    use super::RULE;
    use crate::rule::{assert_flags, assert_leaves};

    #[test]
    fn flags_native_speaker_and_accent_requirements() {
        assert_flags(
            &RULE,
            &[
                "Native English speaker required.",
                "Must speak without an accent.",
                "English-only workplace.",
                "English as a first language.",
            ],
        );
    }

    #[test]
    fn leaves_proficiency_requirements_alone() {
        assert_leaves(
            &RULE,
            &[
                "Fluent in English and Spanish (bilingual support line).",
                "Excellent written English.",
            ],
        );
    }
}

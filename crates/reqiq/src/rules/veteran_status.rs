//! Excluding veterans or service members (\"no veterans\", \"civilian applicants preferred\").

use crate::rule::PhraseRule;
use crate::{Category, Severity};
use std::sync::OnceLock;

pub(crate) static RULE: PhraseRule = PhraseRule {
    id: "military_veteran.status_preference",
    category: Category::MilitaryVeteran,
    severity: Severity::High,
    pattern: r"\bno (veterans|vets|military (service )?members|ex-military|former military)\b|\b(veterans|vets|ex-military|former military)( applicants)? (need not apply|will not be considered)\b|\bprefer(red)? (candidates |applicants |people )?(with )?(no|without) (prior )?military (background|service|experience)\b|\bcivilian (applicants|candidates)( only| preferred)\b|\bcivilians only\b",
    unless: Some(concat!(
        crate::rule::eeo!(),
        "|",
        r"\b(after (a |an )?(conditional )?offer|for (veterans'? )?preference|to (claim|verify) (veterans'? )?preference)\b|\bpreference\b"
    )),
    unless_document: None,
    message: "Military and veteran status are protected in California; an ad may not exclude veterans or service members.",
    citation: "Gov. Code §12940(a), (d); Mil. & Vet. Code §394; 38 U.S.C. §4311",
    suggestion: Some("Veterans are encouraged to apply."),
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
                "No veterans.",
                "Civilian applicants preferred.",
                "Prefer candidates with no military background.",
            ],
        );
    }

    #[test]
    fn leaves_near_misses() {
        assert_leaves(
            &RULE,
            &[
                "Veterans requesting Veterans' Preference Credit must attach a DD-214.",
                "Veterans encouraged to apply.",
                "We consider applicants regardless of veteran status.",
                "No military experience required.",
            ],
        );
    }
}

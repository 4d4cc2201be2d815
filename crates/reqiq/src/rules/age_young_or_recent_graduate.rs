//! Preferences for youth: "young", "recent graduate", "digital native", graduation years.

use crate::rule::PhraseRule;
use crate::{Category, Severity};
use std::sync::OnceLock;

pub(crate) static RULE: PhraseRule = PhraseRule {
    id: "age.youth_preference",
    category: Category::Age,
    severity: Severity::Medium,
    pattern: r"\brecent (college |university )?grad(uate)?s?\b|\b(young|youthful) (and |,? )?(energetic|dynamic|team|person|candidates?|professionals?|people|talent|blood)\b|\bdigital natives?\b|\bcollege students?\b|\bclass of (19|20)\d\d\b|\b(under|below|no older than) (the age of )?\d\d\b|\bages? \d\d ?(-|to) ?\d\d\b",
    unless: None,
    message: "Words that prefer younger applicants can discourage applicants aged 40 or over and may show an unlawful age preference.",
    citation: "29 U.S.C. §623(e); 29 CFR §1625.4; Gov. Code §12940(d)",
    suggestion: Some(
        "Describe the skills needed instead (for example \"entry-level\", \"familiar with current software\").",
    ),
    severity_for: None,
    compiled: OnceLock::new(),
};

#[cfg(test)]
mod tests {
    use super::RULE;
    use crate::rule::{assert_flags, assert_leaves};

    #[test]
    fn flags_preferences_for_youth() {
        assert_flags(
            &RULE,
            &[
                "Ideal for a recent college graduate.",
                "Join our young and energetic team!",
                "Digital natives wanted.",
                "Class of 2024 preferred.",
                "Candidates ages 21-30.",
            ],
        );
    }

    #[test]
    fn leaves_neutral_wording_alone() {
        assert_leaves(
            &RULE,
            &[
                "Entry-level role; training provided.",
                "We are a young company founded in 2021.",
                "At least 21 years old to operate the crane, as required by law.",
            ],
        );
    }
}

//! Describing the hire as "he" or "she" ("He will manage the crew").

use crate::rule::PhraseRule;
use crate::{Category, Severity};
use std::sync::OnceLock;

pub(crate) static RULE: PhraseRule = PhraseRule {
    id: "sex_gender.gendered_pronoun",
    category: Category::SexGender,
    severity: Severity::Low,
    pattern: r"\b(he|she) (will|must|should|shall|is expected to|needs to|can expect to|would)\b|\bthe (ideal |successful |right )?(candidate|applicant|hire|person) (will|must|should) (be )?(he|she)\b",
    unless: Some(
        r"\b(report(s|ing)? to|your (manager|supervisor|mentor|lead|trainer)|our (founder|owner|ceo|director|president|chef|manager|supervisor|lead|head))\b|\bhe or she\b|\bshe or he\b|\bhe/she\b|\bshe/he\b|\bs/he\b",
    ),
    unless_document: None,
    message: "Calling the future hire \"he\" or \"she\" suggests the job is for one sex.",
    citation: "Gov. Code §12940(d); 42 U.S.C. §2000e-3(b)",
    suggestion: Some("Use \"you\" or \"they\" (\"You will manage the crew\")."),
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
                "He will manage a crew of six.",
                "She will answer phones and greet visitors.",
                "She will answer phones and handle scheduling for our estimators.",
            ],
        );
    }

    #[test]
    fn leaves_near_misses() {
        assert_leaves(
            &RULE,
            &[
                "He/she will greet visitors.",
                "You will report to Maria; she will train you.",
                "They will manage a crew of six.",
                "Our founder says he will mentor you.",
            ],
        );
    }
}

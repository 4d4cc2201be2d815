//! Asking about marital status, children or a spouse ("marital status", "number of children",
//! "maiden name").

use crate::rule::PhraseRule;
use crate::{Category, Severity};
use std::sync::OnceLock;

pub(crate) static RULE: PhraseRule = PhraseRule {
    id: "family_marital_pregnancy.status_inquiry",
    category: Category::FamilyMaritalPregnancy,
    severity: Severity::Medium,
    pattern: r"\b(marital|family|relationship) status\b|\b(number|ages?) of (your )?(children|kids|dependents)\b|\bhow many (children|kids)\b|\bare you (married|single|divorced)\b|\bmaiden name\b|\bspouse'?s?'? (name|occupation|employer|job)\b|\bdo you have (any )?(children|kids)\b",
    unless: Some(concat!(
        crate::rule::eeo!(),
        "|",
        r"\b(benefits?|enrol\w*|insurance|coverage|after (a |an )?(conditional )?offer)\b|\b(nanny|nannies|babysit\w*|care for|caring for|our family|the family|household)\b"
    )),
    unless_document: Some(r"\b(nanny|nannies|babysit\w*|au pair|childcare provider)\b"),
    message: "Questions about marital status, children or a spouse invite family-status discrimination and should not be asked before hiring.",
    citation: "Gov. Code §12940(a), (d)",
    suggestion: Some("Remove the question; collect family details for benefits only after hire."),
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
                "Application must include marital status.",
                "Are you married?",
                "Do you have children?",
            ],
        );
    }

    #[test]
    fn leaves_near_misses() {
        assert_leaves(
            &RULE,
            &[
                "Nanny for a Palo Alto household. Number of children: 2.",
                "Decisions are made irrespective of race, marital status and genetic information.",
                "We consider applicants regardless of marital status.",
                "Add dependents to your benefits enrollment after you start.",
            ],
        );
    }
}

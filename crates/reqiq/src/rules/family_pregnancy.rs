//! Excluding pregnant people or asking about pregnancy plans ("must not become pregnant", "not
//! planning a family").

use crate::rule::PhraseRule;
use crate::{Category, Severity};
use std::sync::OnceLock;

pub(crate) static RULE: PhraseRule = PhraseRule {
    id: "family_marital_pregnancy.pregnancy",
    category: Category::FamilyMaritalPregnancy,
    severity: Severity::High,
    pattern: r"\b(not|never) (to )?(be |become |get |getting |becoming )?pregnant\b|\bno pregnan(t|cies|cy)\b|\bplanning (to|on) (get(ting)? pregnant|become pregnant|becoming pregnant|have (a )?(baby|babies|children|kids)|having (a )?(baby|babies|children|kids)|start(ing)? a family)\b|\bplans? to (have|start) (a )?(children|family|baby|kids)\b|\bpregnancy (tests?|status)\b|\bare you pregnant\b",
    unless: Some(concat!(
        crate::rule::eeo!(),
        "|",
        r"\b(benefits?|leave|coverage|insurance|lactation|accommodat\w*)\b|\b(patients?|perform|performs|administer|administers|urinalysis|clients?)\b"
    )),
    unless_document: None,
    message: "Pregnancy and plans for a family are protected; an employer may not ask about them or exclude pregnant applicants.",
    citation: "Gov. Code §12940(a), (d), §12945; 42 U.S.C. §2000e(k)",
    suggestion: None,
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
                "Must agree not to become pregnant during the first year.",
                "Candidates should not be planning to get pregnant in the next two years.",
                "Pregnancy test required before hire.",
                "Do you have plans to start a family?",
            ],
        );
    }

    #[test]
    fn leaves_near_misses() {
        assert_leaves(
            &RULE,
            &[
                "Perform urinalysis, pregnancy tests and injections.",
                "Paid pregnancy leave and lactation rooms.",
                "We do not discriminate on the basis of pregnancy.",
            ],
        );
    }
}

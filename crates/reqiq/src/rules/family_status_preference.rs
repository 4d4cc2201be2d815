//! Preferences by marital or family status: "single applicants preferred", "married couple
//! preferred", "no children", "divorced need not apply".

use crate::rule::PhraseRule;
use crate::{Category, Severity};
use std::sync::OnceLock;

pub(crate) static RULE: PhraseRule = PhraseRule {
    id: "family_marital_pregnancy.preference",
    category: Category::FamilyMaritalPregnancy,
    severity: Severity::High,
    pattern: r"\b(single|unmarried|married|divorced|separated|widowed)(,? (unattached|childless|single|married))? (couples? )?(only|candidates?|applicants?|preferred|men|women|person|people|individuals?)( only| preferred)?\b|\b(divorced|separated|single parents?|married people|moms|mothers|dads|fathers|parents)( or (divorced|separated|single parents?))? (applicants )?need not apply\b|\bnot (a )?(good )?fit for (parents|moms|mothers|dads|fathers|people with (kids|children|families))\b|\bno (young )?(kids|children|dependents|family commitments|single (moms|mothers|parents)|parents|moms|mothers)( with (young )?(kids|children))?\b|\bwithout (kids|children|dependents|family (obligations|commitments))\b",
    unless: Some(concat!(
        crate::rule::eeo!(),
        "|",
        r"\b(kids|children) (under|ages?|aged|in (the )?(program|class|camp))\b|\bno (kids|children) (allowed|permitted) (on|in)\b|\b(caseload|clients|patients|adults only|residents|members)\b"
    )),
    unless_document: None,
    message: "Preferring applicants by marital status or family situation is unlawful; family responsibilities are not a job qualification.",
    citation: "Gov. Code §12940(a), (d); 42 U.S.C. §2000e-3(b)",
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
                "Single applicants preferred.",
                "Married couple preferred.",
                "No children.",
                "Single, unattached applicants preferred.",
                "No young children at home.",
                "This job is not a fit for parents of young kids.",
                "Divorced or separated applicants need not apply.",
                "No moms with young kids.",
            ],
        );
    }

    #[test]
    fn leaves_near_misses() {
        assert_leaves(
            &RULE,
            &[
                "Caseload is adults only (no children).",
                "We do not discriminate on the basis of marital status.",
                "No children allowed on the shop floor.",
                "Teach children ages 3-5.",
            ],
        );
    }
}

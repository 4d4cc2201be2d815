//! Marital status, children and pregnancy.

use crate::rule::PhraseRule;
use crate::{Category, Severity};
use std::sync::OnceLock;

pub(crate) static RULE: PhraseRule = PhraseRule {
    id: "family_marital_pregnancy.preference",
    category: Category::FamilyMaritalPregnancy,
    severity: Severity::High,
    pattern: r"\b(single|unmarried|married) (only|candidates?|applicants?|preferred|men|women|person)\b|\bno (kids|children|dependents|family commitments)\b|\bnot (be )?pregnant\b|\bno pregnant\b|\bwithout (kids|children|family (obligations|commitments))\b|\bplans? to (have|start a) (children|family)\b",
    unless: None,
    message: "Preferences about marital status, children or pregnancy discriminate by marital status and sex (pregnancy).",
    citation: "Gov. Code §12940(d), §12945; 42 U.S.C. §2000e(k)",
    suggestion: Some(
        "State the schedule or travel the job actually needs (for example \"travels 3 weeks a month\").",
    ),
    severity_for: None,
    compiled: OnceLock::new(),
};

#[cfg(test)]
mod tests {
    use super::RULE;
    use crate::rule::{assert_flags, assert_leaves};

    #[test]
    fn flags_what_it_is_for() {
        assert_flags(
            &RULE,
            &[
                "Single applicants preferred.",
                "No kids or family commitments.",
                "Applicants must not be pregnant.",
            ],
        );
    }

    #[test]
    fn leaves_near_misses_alone() {
        assert_leaves(
            &RULE,
            &[
                "Family medical leave available.",
                "Travels 3 weeks a month.",
                "Childcare stipend for all employees.",
            ],
        );
    }
}

//! Statements that exclude people with conviction or arrest records.

use crate::rule::PhraseRule;
use crate::{Category, Severity};
use std::sync::OnceLock;

pub(crate) static RULE: PhraseRule = PhraseRule {
    id: "criminal_history.blanket_exclusion",
    category: Category::CriminalHistory,
    severity: Severity::High,
    pattern: r"\bno (felons?|felonies|convicts?|ex-?offenders?)\b|\b(clean|spotless) (criminal )?(record|background)\b|\bno (criminal|arrest|conviction) (record|history|background)s?\b|\bmust not have (a |any )?(criminal|arrest|conviction) (record|history)\b|\bfelons? need not apply\b",
    unless: Some(r"\bfair chance\b"),
    message: "Excluding applicants with criminal records in a job ad is not allowed in California: records may be considered only after a conditional offer, individually.",
    citation: "Gov. Code §12952 (Fair Chance Act); 2 CCR §11017.1",
    suggestion: Some(
        "Qualified applicants with arrest or conviction records will be considered for employment in accordance with the California Fair Chance Act.",
    ),
    severity_for: None,
    compiled: OnceLock::new(),
};

#[cfg(test)]
mod tests {
    use super::RULE;
    use crate::rule::{assert_flags, assert_leaves};

    #[test]
    fn flags_blanket_exclusions() {
        assert_flags(
            &RULE,
            &[
                "No felons.",
                "Must have a clean criminal record",
                "Applicants must not have any arrest record.",
                "NO Convicts",
            ],
        );
    }

    #[test]
    fn leaves_fair_chance_statements_alone() {
        assert_leaves(
            &RULE,
            &[
                "We consider qualified applicants with criminal histories; no criminal record questions before an offer, per the Fair Chance Act.",
                "Clean driving record preferred for fleet vehicles.",
            ],
        );
    }
}

//! Excluding people in recovery from addiction ("no history of drug rehab", "no recovering
//! addicts").

use crate::rule::PhraseRule;
use crate::{Category, Severity};
use std::sync::OnceLock;

pub(crate) static RULE: PhraseRule = PhraseRule {
    id: "disability.addiction_recovery",
    category: Category::Disability,
    severity: Severity::High,
    pattern: r"\b(no|never) (history of |been in |attended )?((drug|alcohol|substance[- ]abuse|addiction|substance)( or (drug|alcohol))? )?(rehab|rehabilitation|treatment programs?|recovery programs?)\b|\b(history of|been in|attended|completed) (drug |alcohol |substance[- ]abuse |addiction )?(rehab|rehabilitation|addiction treatment)\b|\bno (former |recovering |ex-)(addicts|alcoholics|drug users)\b",
    unless: Some(r"\b(clients|patients|residents|people we serve|counsel(or|ing))\b"),
    unless_document: None,
    message: "People in or who completed addiction treatment are protected as people with disabilities; a posting may not exclude them.",
    citation: "42 U.S.C. §12114(b); Gov. Code §12926",
    suggestion: Some(
        "Remove the restriction; a drug-free workplace policy may address current illegal drug use.",
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
                "No history of drug rehab.",
                "No history of drug or alcohol rehab.",
                "No recovering addicts.",
                "Applicants who have been in rehab need not apply.",
            ],
        );
    }

    #[test]
    fn leaves_near_misses() {
        assert_leaves(
            &RULE,
            &[
                "Lead group sessions for clients in rehab.",
                "Drug-free workplace.",
            ],
        );
    }
}

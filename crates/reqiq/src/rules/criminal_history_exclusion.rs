//! Statements that exclude people with conviction or arrest records.

use crate::rule::PhraseRule;
use crate::{Category, Severity};
use std::sync::OnceLock;

pub(crate) static RULE: PhraseRule = PhraseRule {
    id: "criminal_history.blanket_exclusion",
    category: Category::CriminalHistory,
    severity: Severity::High,
    pattern: r"\bno (felons?|felonies|convicts?|ex-?cons?|ex-?offenders?|ex-?felons?)\b|\bno (felony|criminal|misdemeanor) (convictions?|records?|history|background)\b|\b(clean|spotless) (criminal )?(record|background|history)\b|\bno (criminal|arrest|conviction) (record|history|background)s?\b|\bmust not have (a |any )?(criminal|arrest|conviction|felony) (records?|history|convictions?)\b|\b(felons?|ex-?cons?|ex-?offenders?) need not apply\b|\b(candidates|applicants|anyone|people|those|persons) with (any |a )?(criminal )?(convictions?|criminal (records?|histories|history)|records?|felon(y|ies)( convictions)?)( will| are| need)? not (be )?(considered|hired|eligible|accepted|apply)\b|\b(do not|don't|will not|won't|cannot|can't) (hire|consider|accept) (applicants |candidates |anyone |people )?with (any |a )?(convictions?|criminal (records?|history)|records?|felon(y|ies))\b|\bno (felony or misdemeanor |misdemeanor or felony )?convictions\b|\bmust not have been convicted\b|\b(felon(y|ies)|convictions?|criminal records?)\b[^.;]{0,30}\b(disqualif\w*|not eligible|ineligible)\b",
    unless: Some(
        r"\bfair chance\b|\bwill be considered\b|\b(after|following) (a |an |the )?(conditional |contingent )?(job |employment )?offer\b",
    ),
    unless_document: None,
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
    fn flags() {
        assert_flags(
            &RULE,
            &[
                "Applicants with felonies are disqualified.",
                "Must not have been convicted of a felony.",
                "No felony or misdemeanor convictions.",
                "No felons.",
                "Must have a clean criminal record",
                "Applicants must not have any arrest record.",
                "NO Convicts",
                "No ex-cons.",
                "Spotless criminal history",
                "Candidates with convictions will not be considered for this position.",
                "No felony convictions within the past 10 years.",
                "We do not hire applicants with any convictions.",
            ],
        );
    }

    #[test]
    fn leaves_near_misses() {
        assert_leaves(
            &RULE,
            &[
                "No criminal background check until after a conditional offer.",
                "We consider qualified applicants with criminal histories; no criminal record questions before an offer, per the Fair Chance Act.",
                "Clean driving record preferred for fleet vehicles.",
                "Qualified applicants with arrest or conviction records will be considered for employment.",
            ],
        );
    }
}

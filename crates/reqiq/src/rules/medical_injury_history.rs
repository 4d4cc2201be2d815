//! Asking about past injuries or workers' compensation claims before an offer.

use crate::rule::PhraseRule;
use crate::{Category, Severity};
use std::sync::OnceLock;

pub(crate) static RULE: PhraseRule = PhraseRule {
    id: "genetic_medical.injury_or_claims_history",
    category: Category::GeneticMedical,
    severity: Severity::High,
    pattern: r"\b(list|disclose|describe|indicate|declare|tell us about|history of|have you had|have you ever had) (any |all |your )?(prior |previous |past |recent )?(back |work(place)?[- ]related |on-the-job |job |sports )?injur(y|ies)\b|\b(have you (ever )?filed|list|disclose|describe|report|history of|your( past| prior)?|prior|previous|past) (a |any |all |every )?(workers'? ?comp(ensation)?) claims?\b|\bworkers'? ?comp(ensation)? (claims? )?history\b",
    unless: Some(
        r"\b(after|following) (a |an |the |receiving a |receiving an )?(conditional |contingent )?(job |employment )?offer\b|\bpost-?offer\b|\b(patients?|clients?|claimants?|injured workers|investigate|adjust\w*|caseload|insureds?|employees'|recordable)\b|\b(to your supervisor|immediately|osha|safety)\b",
    ),
    unless_document: None,
    message: "Questions about past injuries or workers' compensation claims before an offer are unlawful medical inquiries and can penalise lawful claims.",
    citation: "42 U.S.C. §12112(d)(2); Gov. Code §12940(e)",
    suggestion: Some("Remove the question."),
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
                "Candidates must disclose any prior back injuries on the application.",
                "Have you ever filed a workers' compensation claim?",
                "Workers' comp claims history required.",
                "List every workers' compensation claim you have filed.",
            ],
        );
    }

    #[test]
    fn leaves_near_misses() {
        assert_leaves(
            &RULE,
            &[
                "Report any injuries to your supervisor immediately.",
                "Manage a caseload of workers' compensation claims and investigate injuries.",
                "Our recordable-injury rate is below the industry average.",
            ],
        );
    }
}

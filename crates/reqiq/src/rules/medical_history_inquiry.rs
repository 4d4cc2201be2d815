//! Medical questions before an offer: medical history, conditions, medications, diagnoses.

use crate::rule::PhraseRule;
use crate::{Category, Severity};
use std::sync::OnceLock;

pub(crate) static RULE: PhraseRule = PhraseRule {
    id: "genetic_medical.pre_offer_inquiry",
    category: Category::GeneticMedical,
    severity: Severity::High,
    pattern: r"\b(list|disclose|describe|indicate|report|provide|share|declare|tell us about|answer questions about|complete a) (\w+ ){0,2}(medical (conditions?|history|histories|records|problems|questionnaire)|medications|prescriptions|chronic (conditions?|illness(es)?|diseases?)|illnesses|diagnoses|health (conditions?|problems|history|questionnaire)|surgeries|hospitali[sz]ations|disabilities)\b|\b(have you|whether you have|whether you've) (ever )?(been )?(diagnosed|treated|hospitali[sz]ed) (for|with)\b|\bpre-?existing (medical )?conditions\b|\b(medical|health) (history )?(questionnaires?|history forms?)\b|\bdo you have (any )?(medical conditions|disabilities|health (conditions|problems)|a disability|a medical condition)\b",
    unless: Some(concat!(
        crate::rule::eeo!(),
        "|",
        r"\b(after|following) (a |an |the |receiving a |receiving an )?(conditional |contingent )?(job |employment )?offer\b|\bpost-?offer\b|\b(patients?|clients?|residents?|members?|customers?|claimants?|insureds?)'?s?\b|\b(benefits?|coverage|insurance|exclusions?|plans?)\b"
    )),
    unless_document: None,
    message: "Before an offer, employers may not ask about medical conditions, history or medications.",
    citation: "42 U.S.C. §12112(d)(2); Gov. Code §12940(e)",
    suggestion: Some(
        "Describe the essential functions; any medical examination comes only after a conditional offer.",
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
                "Do you have any medical conditions or disabilities we should know about?",
                "Please list any medical conditions on the application.",
                "Indicate whether you have ever been diagnosed with or treated for cancer.",
                "Disclose all medications you take.",
                "Disclose any chronic conditions and medications.",
                "Pre-existing conditions must be declared.",
                "Submit your résumé and the attached medical history questionnaire.",
            ],
        );
    }

    #[test]
    fn leaves_near_misses() {
        assert_leaves(
            &RULE,
            &[
                "Have you been treated like a number at your last agency?",
                "Medical plan with no exclusions for pre-existing conditions.",
                "Review patients' medical histories and medications.",
                "Post-offer medical exam required.",
                "Medical, dental and vision benefits.",
            ],
        );
    }
}

//! Medical, genetic and injury-history questions before an offer.

use crate::rule::PhraseRule;
use crate::{Category, Severity};
use std::sync::OnceLock;

pub(crate) static RULE: PhraseRule = PhraseRule {
    id: "genetic_medical.pre_offer_inquiry",
    category: Category::GeneticMedical,
    severity: Severity::High,
    pattern: r"\b(family )?medical history\b|\bgenetic (test(ing)?|information|screening)\b|\b(prior|previous|past) (workplace )?injur(y|ies)\b|\bworkers'? ?comp(ensation)? claims?\b|\b(list|disclose|describe) (any |all )?(medical conditions|medications|illnesses)\b|\bpre-?existing conditions?\b",
    unless: Some(r"\b(after|following) (a |an )?(conditional )?(job )?offer\b"),
    message: "Medical, genetic and injury questions before a job offer are prohibited; a medical examination may follow a conditional offer.",
    citation: "42 U.S.C. §12112(d); 42 U.S.C. §2000ff-1 (GINA); Gov. Code §12940(e)",
    suggestion: Some(
        "Remove the question; any job-related medical examination happens after a conditional offer.",
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
                "Provide your family medical history.",
                "Have you filed any workers' comp claims?",
                "Disclose all medical conditions and medications.",
            ],
        );
    }

    #[test]
    fn leaves_near_misses_alone() {
        assert_leaves(
            &RULE,
            &[
                "A job-related medical exam may be required after a conditional offer.",
                "Medical and dental benefits from day one.",
            ],
        );
    }
}

//! Asking for genetic information: genetic tests, family medical history, DNA samples.

use crate::rule::PhraseRule;
use crate::{Category, Severity};
use std::sync::OnceLock;

pub(crate) static RULE: PhraseRule = PhraseRule {
    id: "genetic_medical.genetic_information",
    category: Category::GeneticMedical,
    severity: Severity::High,
    pattern: r"\bgenetic (tests?|testing|screening|information|predisposition|markers?|profile)\b|\bfamily (medical|health) histor(y|ies)\b|\bdna (tests?|testing|samples?|swabs?|profile|screening|screen)\b|\bcheek[- ]swabs?\b",
    unless: Some(concat!(
        crate::rule::eeo!(),
        "|",
        r"\b(patients?|clients?|families|counsel\w*|interpret\w*|order|orders|lab|laboratory|research|clinical|customers?|sequencing|assays?)\b|\b(not|never) (to )?(provide|ask|request|disclose|submit)\b"
    )),
    unless_document: None,
    message: "Employers may not request genetic information, including family medical history, from applicants.",
    citation: "42 U.S.C. §2000ff-1(b) (GINA); Gov. Code §12926(g), §12940(o)",
    suggestion: Some("Remove the request."),
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
                "Genetic testing required for all applicants.",
                "Provide your family medical history.",
                "Submit a DNA swab with your application.",
                "Our application process includes a DNA screening.",
            ],
        );
    }

    #[test]
    fn leaves_near_misses() {
        assert_leaves(
            &RULE,
            &[
                "In line with GINA, we ask that you not provide any genetic information.",
                "Take three-generation family medical histories and interpret genetic testing for patients.",
                "We do not discriminate on the basis of genetic information.",
            ],
        );
    }
}

//! Pre-employment drug tests that count cannabis (urine, hair, "THC metabolites", "positive for
//! marijuana"); these find non-psychoactive metabolites, which may not decide hiring. The
//! construction trades are exempt.

use crate::rule::PhraseRule;
use crate::{Category, Severity};
use std::sync::OnceLock;

pub(crate) static RULE: PhraseRule = PhraseRule {
    id: "cannabis_drug_testing.metabolite_test",
    category: Category::CannabisDrugTesting,
    severity: Severity::High,
    pattern: r"\b(drug (test|screen|panel|screening)s?|(urine|hair|saliva|oral fluid|pre-?employment|pre-?hire|panel) (drug )?(test|screen|panel|screening)s?)\b[^.;]{0,80}\b(cannabis|marijuana|thc|weed|metabolites?)\b|\b(test|tests|testing|screen|screens|screening) (applicants |candidates )?(for|including) (cannabis|marijuana|thc)\b|\b(positive|failing|fail(s|ed)?) (result |test |drug test |screen )?(for )?(cannabis|marijuana|thc)\b|\b(cannabis|marijuana|thc) metabolites?\b",
    unless: Some(
        r"\b(exclud(e|es|ing)|except|does not include|do not (test|screen) for|not (tested|screened) for|no longer test|impair\w*|on[- ]duty|dot|federal(ly)?|clearance|fmcsa|faa)\b",
    ),
    unless_document: None,
    message: "A drug test that finds non-psychoactive cannabis metabolites may not decide hiring in California (outside the exempt construction trades and federally required testing).",
    citation: "Gov. Code §12954(a)(2) (AB 2188, eff. 2024-01-01)",
    suggestion: Some(
        "Pre-employment drug screen (excluding non-psychoactive cannabis metabolites).",
    ),
    severity_for: Some(super::conditions::construction_trades_exempt),
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
                "Pre-employment drug screen including cannabis.",
                "Must pass a 10-panel urine drug test, including THC metabolites, before starting.",
                "Failing for cannabis = no offer.",
                "We test for THC.",
            ],
        );
    }

    #[test]
    fn leaves_near_misses() {
        assert_leaves(
            &RULE,
            &[
                "Pre-employment drug screen (excluding cannabis).",
                "DOT-regulated drug test for CDL drivers, including marijuana.",
                "Drug-free workplace.",
            ],
        );
    }
}

//! Asking applicants about prior cannabis use ("have you used marijuana", "list any marijuana
//! use").

use crate::rule::PhraseRule;
use crate::{Category, Severity};
use std::sync::OnceLock;

pub(crate) static RULE: PhraseRule = PhraseRule {
    id: "cannabis_drug_testing.prior_use_question",
    category: Category::CannabisDrugTesting,
    severity: Severity::Medium,
    pattern: r"\b(have you|do you) (ever )?(used|use|smoked|smoke|consumed|tried) (marijuana|cannabis|weed|pot|thc)\b|\b(list|disclose|describe|indicate|report|declare) (any |all |your )?(prior |past |previous )?(marijuana|cannabis|thc) (use|usage|history)\b|\b(marijuana|cannabis) (use )?history\b|\b(prior|past|previous) (marijuana|cannabis) use\b",
    unless: Some(r"\b(federal(ly)?|clearance|sf-?86)\b"),
    unless_document: None,
    message: "California employers may not ask applicants about prior cannabis use.",
    citation: "Gov. Code §12954(b) (SB 700, eff. 2024-01-01)",
    suggestion: Some("Remove the question."),
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
                "Have you used cannabis in the past year?",
                "Please list any marijuana use in the past three years.",
            ],
        );
    }

    #[test]
    fn leaves_near_misses() {
        assert_leaves(
            &RULE,
            &[
                "Federal clearance (SF-86) asks about past marijuana use.",
                "Sell cannabis products at our licensed dispensary.",
            ],
        );
    }
}

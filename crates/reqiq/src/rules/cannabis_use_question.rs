//! Asking applicants about prior cannabis use ("have you used marijuana", "list any marijuana
//! use").

use crate::rule::PhraseRule;
use crate::{Category, Fields, Severity};
use std::sync::OnceLock;

/// The construction trades are exempt: there the concern is only information.
fn severity(fields: &Fields, default: Severity) -> Option<Severity> {
    Some(if fields.construction_trade == Some(true) {
        Severity::Info
    } else {
        default
    })
}

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
    severity_for: Some(severity),
    compiled: OnceLock::new(),
};

#[cfg(test)]
mod tests {
    use super::RULE;
    use crate::rule::found;
    use crate::rule::{assert_flags, assert_leaves};
    use crate::{Fields, Severity};

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

    #[test]
    fn the_construction_trades_get_information_only() {
        let trade = Fields {
            construction_trade: Some(true),
            ..Fields::default()
        };
        assert_eq!(
            found(&RULE, "Have you used cannabis in the past year?", &trade)[0].1,
            Severity::Info
        );
    }
}

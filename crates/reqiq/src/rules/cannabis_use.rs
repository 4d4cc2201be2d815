//! Refusing applicants for off-duty cannabis use, or asking about past use.

use crate::rule::PhraseRule;
use crate::{Category, Fields, Severity};
use std::sync::OnceLock;

fn severity(fields: &Fields, default: Severity) -> Option<Severity> {
    // Building and construction trades are exempt: say it, as information only.
    Some(if fields.construction_trade == Some(true) {
        Severity::Info
    } else {
        default
    })
}

pub(crate) static RULE: PhraseRule = PhraseRule {
    id: "cannabis_drug_testing.off_duty_cannabis",
    category: Category::CannabisDrugTesting,
    severity: Severity::High,
    pattern: r"\b(no|zero tolerance for) (marijuana|cannabis|thc)( use| users)?\b|\b(marijuana|cannabis|thc) users? need not apply\b|\b(must|will) (pass|test negative)[a-z -]{0,40}(marijuana|cannabis|thc)\b|\b(have you|do you) (ever )?(used|use) (marijuana|cannabis)\b|\bnegative (for )?(marijuana|cannabis|thc)\b",
    unless: Some(
        r"\b(on duty|while working|at work|impair|federal(ly)? (mandated|required)|dot[- ]regulated|security clearance)\b",
    ),
    message: "Refusing applicants for off-duty cannabis use or for non-psychoactive cannabis metabolites, or asking about prior use, is unlawful in California (with exceptions for construction trades and federally required testing).",
    citation: "Gov. Code §12954 (AB 2188, SB 700)",
    suggestion: Some("Drug-free workplace: no impairment on duty."),
    severity_for: Some(severity),
    compiled: OnceLock::new(),
};

#[cfg(test)]
mod tests {
    use super::RULE;
    use crate::rule::{assert_flags, assert_leaves, found};
    use crate::{Fields, Severity};

    #[test]
    fn flags_off_duty_cannabis_screens_and_knows_the_construction_exemption() {
        assert_flags(
            &RULE,
            &[
                "No marijuana users.",
                "Must pass a pre-employment test for marijuana.",
                "Have you ever used cannabis?",
            ],
        );
        let trade = Fields {
            construction_trade: Some(true),
            ..Fields::default()
        };
        assert_eq!(
            found(&RULE, "No marijuana users.", &trade)[0].1,
            Severity::Info
        );
    }

    #[test]
    fn leaves_impairment_rules_alone() {
        assert_leaves(
            &RULE,
            &[
                "No cannabis use while working; impairment on duty is prohibited.",
                "DOT-regulated drug testing applies.",
            ],
        );
    }
}

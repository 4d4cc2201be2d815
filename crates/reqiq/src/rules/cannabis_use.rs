//! Refusing applicants for off-duty cannabis use ("no marijuana users", "weed smokers need not
//! apply"); the building and construction trades are exempt.

use crate::rule::PhraseRule;
use crate::{Category, Severity};
use std::sync::OnceLock;

pub(crate) static RULE: PhraseRule = PhraseRule {
    id: "cannabis_drug_testing.off_duty_cannabis",
    category: Category::CannabisDrugTesting,
    severity: Severity::High,
    pattern: r"\b(no|zero tolerance for) (marijuana|cannabis|thc|weed|pot)( use| users| smokers)?\b|\b(marijuana|cannabis|thc|weed|pot)( smokers| users?)? need not apply\b|\b(anyone|applicants|candidates|people|those|persons|workers) who (use|uses|smoke|smokes|consume|consumes) (marijuana|cannabis|weed|pot)\b|\b(off-?duty|legal|recreational) (marijuana|cannabis) use\b",
    unless: Some(
        r"\b(on duty|on-duty|while working|at work|on the job|on site|impair\w*|federal(ly)? (mandated|required)|dot[- ]regulated|security clearance)\b",
    ),
    unless_document: None,
    message: "California employers may not refuse applicants for cannabis use off the job and away from the workplace.",
    citation: "Gov. Code §12954 (AB 2188, eff. 2024-01-01)",
    suggestion: Some("No use or impairment on the job; we comply with Gov. Code §12954."),
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
                "No marijuana users.",
                "Weed smokers need not apply.",
                "Applicants who use marijuana, even legally and off duty, will not be considered.",
            ],
        );
    }

    #[test]
    fn leaves_near_misses() {
        assert_leaves(
            &RULE,
            &["No impairment on duty.", "No cannabis use while working."],
        );
    }
}

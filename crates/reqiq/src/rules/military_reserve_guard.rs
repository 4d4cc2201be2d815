//! Excluding reservists and National Guard members or refusing military leave ("no drill
//! commitments", "must not be subject to deployment").

use crate::rule::PhraseRule;
use crate::{Category, Severity};
use std::sync::OnceLock;

pub(crate) static RULE: PhraseRule = PhraseRule {
    id: "military_veteran.reserve_or_guard_obligations",
    category: Category::MilitaryVeteran,
    severity: Severity::High,
    pattern: r"\bno (military )?(reservists|reserve members|guard members|national guard( members)?|members of the (reserves?|national guard))\b|\b(reservists|reserve members|guard members|national guard members|members of the (reserves?|national guard)|(guard|reserve)(/| or | and )(guard|reserve)( members)?|(applicants|candidates) (currently )?(serving )?in the (reserves?|national guard))( applicants)? (need not apply|will not be considered|are not eligible|not accepted)\b|\bnot (be )?(subject to|eligible for|liable for) (military )?(deployments?|call-?ups?|mobili[sz]ations?|activations?)\b|\b(no|without|not have|not have any) (upcoming |pending |ongoing |current )?(military|drill|reserve|guard)( or (annual[- ]training|drill|reserve|guard))? (obligations|commitments|duty|service|training|drills?|deployments?)\b|\bno (drill|annual[- ]training)( or (drill|annual[- ]training))? (weekends|commitments|obligations)\b|\b(cannot|can't|do not|don't|will not|won't|unable to) (accommodate|grant|approve|allow|give) (military|reserve|guard) (leave|duty|service|drills?|training|time off)\b",
    unless: Some(
        r"\b(regardless of|without regard to|equal opportunity|eeo|discriminat\w*|protected (class|characteristic|status)|on the basis of)\b",
    ),
    unless_document: None,
    message: "Reservists and Guard members are protected: employers may not refuse to hire them because of military obligations, and must grant military leave.",
    citation: "Mil. & Vet. Code §394; 38 U.S.C. §4311 (USERRA); Gov. Code §12940(a)",
    suggestion: Some("Remove the restriction; military leave is granted as the law requires."),
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
                "No military reservists.",
                "Applicants currently serving in the Reserves will not be considered.",
                "Must not be subject to military deployment.",
                "We cannot accommodate military leave.",
                "Must not have upcoming military obligations.",
                "Guard/Reserve members need not apply.",
                "Confirm you have no drill or annual-training commitments.",
            ],
        );
    }

    #[test]
    fn leaves_near_misses() {
        assert_leaves(
            &RULE,
            &[
                "Reservists and Guard members welcome; military leave honored.",
                "Veterans encouraged to apply.",
            ],
        );
    }
}

//! Excluding reservists and National Guard members or refusing military leave ("no drill
//! commitments", "must not be subject to deployment").

use crate::rule::PhraseRule;
use crate::{Category, Severity};
use std::sync::OnceLock;

pub(crate) static RULE: PhraseRule = PhraseRule {
    id: "military_veteran.reserve_or_guard_obligations",
    category: Category::MilitaryVeteran,
    severity: Severity::High,
    pattern: r"\b(not hiring|not hire|won't hire|will not hire|do not hire|don't hire) (current |active )?(military )?(reserve|reservists|guard|national guard)( or (reserve|national guard|guard))?( members)?\b|\b(active duty|in the (reserves?|national guard))[^.;]{0,30}\b(will not be considered|need not apply|not eligible|not accepted)\b|\b(military|drill|reserve|guard) (obligations|commitments|duty|service)[^.;]{0,30}\b(don't|do not|need not|not) apply\b|\bno (military )?(reservists|reserve members|guard members|national guard( members)?|members of the (reserves?|national guard))\b|\b(reservists|reserve members|guard members|national guard members|members of the (reserves?|national guard)|(guard|reserve)(/| or | and )(guard|reserve)( members)?|(applicants|candidates) (currently )?(serving )?in the (reserves?|national guard))( applicants)? (need not apply|will not be considered|are not eligible|not accepted)\b|\bnot (be )?(subject to|eligible for|liable for) (military )?(deployments?|recalls?|call-?ups?|mobili[sz]ations?|activations?)\b|\b(no|without|not have|not have any) (upcoming |pending |ongoing |current )?(military|drill|reserve|guard)( or (annual[- ]training|drill|reserve|guard))? (obligations|commitments|duty|service|training|drills?|deployments?)\b|\bno (drill|annual[- ]training)( or (drill|annual[- ]training))? (weekends|commitments|obligations)\b|\b(cannot|can't|do not|don't|will not|won't|unable to) (accommodate|grant|approve|allow|give) (military|reserve|guard) (leave|duty|service|drills?|training|time off)\b",
    unless: Some(crate::rule::eeo!()),
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
                "If you have upcoming military obligations, please don't apply.",
                "Applicants must not be subject to military recall.",
                "Those currently on active duty or in the Reserves will not be considered.",
                "We are not hiring current Reserve or National Guard members.",
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

//! "U.S. citizens only", "green card holders only", "H-1B only": citizenship and immigration
//! status preferences, lawful only where a law, regulation, order or government contract needs
//! them.

use crate::rule::PhraseRule;
use crate::{Category, Fields, Severity};
use std::sync::OnceLock;

fn severity(fields: &Fields, default: Severity) -> Option<Severity> {
    // Under a government contract the requirement may be lawful: say so, but only as low.
    Some(if fields.government_contract == Some(true) {
        Severity::Low
    } else {
        default
    })
}

pub(crate) static RULE: PhraseRule = PhraseRule {
    id: "national_origin_citizenship.citizenship_required",
    category: Category::NationalOriginCitizenship,
    severity: Severity::High,
    pattern: r"\b(u\.?s\.? |us |american )?citizens? only\b|\bonly (u\.?s\.? |us |american )?citizens\b|\bmust be an? (u\.?s\.? |us |american )?citizen\b|\bcitizenship (is )?required\b|\bgreen card( holders?)? only\b|\bmust (have|hold) a (green card|u\.?s\.? passport)\b|\bh-?1b only\b|\bborn in the (u\.?s\.?|united states)\b",
    unless: Some(
        r"\b(required by|under|per) (federal |state )?(law|regulation|contract|executive order)|\bclearance\b",
    ),
    message: "Limiting applicants by citizenship or immigration status is unlawful unless a law, regulation, executive order or government contract requires it.",
    citation: "8 U.S.C. §1324b(a)(1)(B); Gov. Code §12940(d)",
    suggestion: Some("Must be authorized to work in the United States."),
    severity_for: Some(severity),
    compiled: OnceLock::new(),
};

#[cfg(test)]
mod tests {
    use super::RULE;
    use crate::rule::found;
    use crate::{Fields, Severity};

    #[test]
    fn flags_citizenship_preferences_and_downgrades_them_under_a_government_contract() {
        let f = Fields::default();
        for text in [
            "US citizens only.",
            "Must be a U.S. citizen.",
            "Green card holders only",
            "H-1B only",
        ] {
            let hits = found(&RULE, text, &f);
            assert_eq!(hits.len(), 1, "{text}");
            assert_eq!(hits[0].1, Severity::High, "{text}");
        }
        let contract = Fields {
            government_contract: Some(true),
            ..Fields::default()
        };
        assert_eq!(
            found(&RULE, "Must be a U.S. citizen.", &contract)[0].1,
            Severity::Low
        );
    }

    #[test]
    fn leaves_work_authorisation_and_required_citizenship_alone() {
        let f = Fields::default();
        for text in [
            "Must be authorized to work in the United States.",
            "U.S. citizenship required by federal contract (DoD clearance).",
            "We participate in E-Verify.",
        ] {
            assert!(found(&RULE, text, &f).is_empty(), "{text}");
        }
    }
}

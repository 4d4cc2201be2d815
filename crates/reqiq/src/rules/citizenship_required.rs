//! "U.S. citizens only", "green card holders only", "H-1B only", "no foreign nationals":
//! citizenship and immigration status preferences, lawful only where a law, regulation, order or
//! government contract needs them.

use crate::rule::PhraseRule;
use crate::{Category, Severity};
use std::sync::OnceLock;

pub(crate) static RULE: PhraseRule = PhraseRule {
    id: "national_origin_citizenship.citizenship_required",
    category: Category::NationalOriginCitizenship,
    severity: Severity::High,
    pattern: r"\b(u\.?s\.? |us |american |united states )?citizens? only\b|\bonly (u\.?s\.? |us |american )?citizens\b|\bmust be (an? )?(u\.?s\.? |us |american |united states )?citizens?\b|\b(u\.?s\.? |us |american )?citizenship (is )?(required|mandatory|a must)\b|\bgreen card( holders?)? only\b|\b(h-?1b|opt|tn|l-?1)( visa)?( holders?)? only\b|\bno (foreign nationals|non-?citizens|visa holders|immigrants|green card holders|h-?1b holders|foreigners)\b|\b(citizens|citizenship) or (green card holders|permanent residents) only\b|\busc( ?/ ?gc)?( holders?)? only\b|\bmust (hold|have|possess) (u\.?s\.? )?citizenship\b",
    unless: Some(
        r"\b(required by|under|per|because of|due to|as required by|mandated by) (a |the |our )?(federal |state |government |u\.?s\.? )?(law|laws|regulations?|contract|contracts|executive order|dod|department)|\b(clearance|itar|export[- ]controll?ed|ear)\b",
    ),
    unless_document: None,
    message: "Limiting applicants by citizenship or immigration status is unlawful unless a law, regulation, executive order or government contract requires it.",
    citation: "8 U.S.C. §1324b(a)(1)(B), (a)(3); Gov. Code §12940(d)",
    suggestion: Some("Must be authorized to work in the United States."),
    severity_for: Some(super::conditions::low_under_government_contract),
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
                "Must hold U.S. citizenship.",
                "USC/GC only.",
                "US citizens only.",
                "Must be a U.S. citizen.",
                "Green card holders only",
                "H-1B only",
                "No foreign nationals.",
                "U.S. citizenship required.",
                "Applicants must be U.S. citizens. No felons.",
                "All candidates must be citizens.",
            ],
        );
    }

    #[test]
    fn leaves_near_misses() {
        assert_leaves(
            &RULE,
            &[
                "Must be authorized to work in the United States.",
                "U.S. citizenship required by federal contract (DoD clearance).",
                "We participate in E-Verify.",
                "Must be a good corporate citizen of the neighbourhood.",
                "Work on ITAR export-controlled data; U.S. persons only.",
            ],
        );
    }
}

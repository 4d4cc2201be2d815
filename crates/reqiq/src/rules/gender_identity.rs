//! Excluding transgender or non-binary people, or requiring a "biological" sex.

use crate::rule::PhraseRule;
use crate::{Category, Severity};
use std::sync::OnceLock;

pub(crate) static RULE: PhraseRule = PhraseRule {
    id: "sex_gender.gender_identity",
    category: Category::SexGender,
    severity: Severity::High,
    pattern: r"\bno (trans|transgender|transsexual|cross-?dress(ers|ing)?|non-?binary)( people| persons| individuals| applicants| candidates)?\b|\bbiological (males?|females?|men|women|sex)( only)?\b|\b(must|should) (dress|present) (as|according to) (a |your )?(man|woman|male|female|biological sex|birth sex)\b|\bsex assigned at birth\b",
    unless: Some(crate::rule::eeo!()),
    unless_document: None,
    message: "Gender identity and gender expression are protected; an ad may not exclude transgender or non-binary applicants.",
    citation: "Gov. Code §12926, §12940(d); 42 U.S.C. §2000e-3(b) (sex includes gender identity: Bostock v. Clayton County, 2020)",
    suggestion: Some("Remove the restriction; describe dress code requirements neutrally."),
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
                "No transgender applicants.",
                "Biological males only.",
                "Must dress according to biological sex.",
            ],
        );
    }

    #[test]
    fn leaves_near_misses() {
        assert_leaves(
            &RULE,
            &[
                "We do not discriminate on the basis of gender identity or biological sex.",
                "Transgender health benefits included.",
            ],
        );
    }
}

//! Words that code for age: "digital native", "young blood", "youthful", "Gen Z", "Girl Friday".

use crate::rule::PhraseRule;
use crate::{Category, Severity};
use std::sync::OnceLock;

pub(crate) static RULE: PhraseRule = PhraseRule {
    id: "age.age_coded_terms",
    category: Category::Age,
    severity: Severity::Medium,
    pattern: r"\bdigital natives?\b|\b(young|fresh|new) blood\b|\byouthful\b|\b(gen(eration)? ?z|millennials?|zoomers?)\b|\b(girl|gal|boy) friday\b|\bgirls? (wanted|needed)\b",
    unless: Some(
        r"\b(customers|audience|market|consumers|users|shoppers|readers|viewers|demographic|clients)\b",
    ),
    unless_document: None,
    message: "Words like \"digital native\" or \"youthful\" signal a preference for younger applicants.",
    citation: "29 CFR §1625.4(a); Gov. Code §12940(d)",
    suggestion: Some("Name the skill instead (\"comfortable with social media tools\")."),
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
                "Digital natives only.",
                "We need fresh blood.",
                "A youthful, fun crew",
                "Gen Z hire wanted",
                "Girl Friday needed for busy realty office.",
            ],
        );
    }

    #[test]
    fn leaves_near_misses() {
        assert_leaves(
            &RULE,
            &[
                "Market to Gen Z customers on TikTok.",
                "Blood drive volunteers welcome.",
                "Digital marketing experience.",
            ],
        );
    }
}

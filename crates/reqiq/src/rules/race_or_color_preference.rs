//! A preference by race or colour ("Caucasian preferred", "light complexion preferred",
//! "fair-skinned").

use crate::rule::PhraseRule;
use crate::{Category, Severity};
use std::sync::OnceLock;

pub(crate) static RULE: PhraseRule = PhraseRule {
    id: "race_color_appearance.race_or_color_preference",
    category: Category::RaceColorAppearance,
    severity: Severity::High,
    pattern: r"\b(white|black|asian|hispanic|latino|latina|latinx|caucasian|african[- ]american|anglo|european|arab|indian)( males?| females?| men| women)?( candidates?| applicants?| people| persons?| individuals?| staff)?( only| preferred| wanted| needed| required)\b|\b(light|fair|dark|pale|olive|light[- ]skinned|fair[- ]skinned)[- ]?(skin|skinned|complexion|complexioned)?( preferred| only| required| a must)\b|\b(light|fair)[- ]skinned\b|\bcaucasians? (only|preferred)\b",
    unless: Some(crate::rule::eeo!()),
    unless_document: None,
    message: "Stating a preference by race or colour in a job ad is unlawful.",
    citation: "Gov. Code §12940(d); 42 U.S.C. §2000e-3(b)",
    suggestion: None,
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
                "Caucasian preferred.",
                "Light complexion preferred.",
                "Fair-skinned models wanted",
                "White males preferred.",
            ],
        );
    }

    #[test]
    fn leaves_near_misses() {
        assert_leaves(
            &RULE,
            &[
                "White-glove service for our guests.",
                "We do not discriminate on the basis of race or color.",
                "Black and white photography.",
            ],
        );
    }
}

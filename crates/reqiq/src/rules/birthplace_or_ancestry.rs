//! Preferences by birthplace or ancestry: "born in the USA", "native-born Americans", "of Korean
//! descent preferred".

use crate::rule::PhraseRule;
use crate::{Category, Severity};
use std::sync::OnceLock;

pub(crate) static RULE: PhraseRule = PhraseRule {
    id: "national_origin_citizenship.birthplace_or_ancestry",
    category: Category::NationalOriginCitizenship,
    severity: Severity::High,
    pattern: r"\b(born|raised)( and (raised|born))? in (the )?(u\.?s\.?a?\.?|usa|united states|america|u\.?k\.?|united kingdom|england|britain|canada|australia|mexico|china|india|japan|korea|philippines|europe|asia|africa|this country|california)\b|\b(native|natural)[- ]born( americans?| citizens?| californians?)?\b|\bamerican[- ]born\b|\bof \w+ (descent|ancestry|origin|heritage|extraction) (preferred|only|required|a plus)\b|\b(descent|ancestry|heritage|nationals) (preferred|only|required)\b|\b(no|not) foreign[- ]born\b",
    unless: Some(crate::rule::eeo!()),
    unless_document: None,
    message: "Preferring applicants by birthplace or ancestry is national-origin discrimination.",
    citation: "Gov. Code §12926, §12940(d); 2 CCR §11028; 42 U.S.C. §2000e-3(b)",
    suggestion: Some(
        "Describe the skills the job needs (for example a language) and welcome all applicants authorized to work.",
    ),
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
                "Born in the USA preferred.",
                "Native-born Americans preferred.",
                "Of Korean descent preferred.",
                "Born and raised in the US or UK.",
            ],
        );
    }

    #[test]
    fn leaves_near_misses() {
        assert_leaves(
            &RULE,
            &[
                "We consider applicants regardless of national origin or ancestry.",
                "Korean-speaking customers: Korean language a plus.",
                "Born to lead?",
            ],
        );
    }
}

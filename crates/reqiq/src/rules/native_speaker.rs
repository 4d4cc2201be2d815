//! Requiring native speakers or a first language ("native English speaker", "English must be your
//! first language").

use crate::rule::PhraseRule;
use crate::{Category, Severity};
use std::sync::OnceLock;

pub(crate) static RULE: PhraseRule = PhraseRule {
    id: "language.native_speaker",
    category: Category::Language,
    severity: Severity::High,
    pattern: r"\bnative[- ](english|spanish|french|german|mandarin|cantonese|korean|japanese|tagalog|vietnamese|italian|portuguese|russian|arabic)( speakers?| speaking| fluency| level)?\b|\bnative speakers?( of \w+)?\b|\b(english|spanish|french) (must be (a |your |the )?|as your )(first|native|mother|primary) (language|tongue)\b|\b(first|native|mother) (language|tongue) (must be |is |of )?(english|spanish)\b|\bmother tongue\b|\bnative (fluency|proficiency) in (english|spanish|french)\b|\b(english|spanish|french) as a (first|native|mother) (language|tongue) (is )?(required|preferred|a must)\b",
    unless: None,
    unless_document: None,
    message: "Requiring a native speaker or a first language excludes people by national origin; require the proficiency the job needs instead.",
    citation: "Gov. Code §12951; 2 CCR §11028",
    suggestion: Some("Fluent written and spoken English required."),
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
                "English as a first language required.",
                "Native fluency in English.",
                "Native English speaker required.",
                "English must be your first language.",
                "Native English, 3+ years writing.",
                "Mother tongue English.",
            ],
        );
    }

    #[test]
    fn leaves_near_misses() {
        assert_leaves(
            &RULE,
            &[
                "Fluent English required for customer-facing writing.",
                "Native iOS and Android apps.",
                "Most of the crew speaks Spanish as a first language.",
                "Bilingual Spanish/English to support Spanish-speaking customers.",
            ],
        );
    }
}

//! Gendered job titles ("salesman", "waitress", "doorman", "cleaning lady").

use crate::rule::PhraseRule;
use crate::{Category, Severity};
use std::sync::OnceLock;

pub(crate) static RULE: PhraseRule = PhraseRule {
    id: "sex_gender.gendered_title",
    category: Category::SexGender,
    severity: Severity::Medium,
    pattern: r"\b(sales|handy|repair|delivery|middle|camera|fire|police|work|door|bell|garbage|anchor|weather|mail|counter|bar)m[ae]n\b|\b(waitress|waitresses|hostess|hostesses|stewardess|stewardesses|salesgirl|salesgirls|saleslady|cleaning lady|cleaning ladies|lunch lady|busboy|busboys|bus boy|housewife|seamstress|seamstresses|girl friday|gal friday)\b",
    unless: None,
    unless_document: None,
    message: "A gendered job title suggests the job is for one sex; ads may not express a sex preference.",
    citation: "Gov. Code §12940(d); 42 U.S.C. §2000e-3(b)",
    suggestion: Some(
        "Use a neutral title: salesperson, server, host, door attendant, cleaner, handyperson.",
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
                "Salesman wanted.",
                "Waitress needed for the night shift.",
                "Hostesses welcome guests.",
                "Doorman — luxury condo.",
                "Cleaning lady wanted",
                "Handyman needed",
            ],
        );
    }

    #[test]
    fn leaves_near_misses() {
        assert_leaves(
            &RULE,
            &[
                "Reports to the Chairman of the board.",
                "Sales associate wanted.",
                "Host or server, all welcome.",
                "Journeyman electrician license required.",
                "Door attendant for our lobby.",
                "We renovate Craftsman bungalows.",
            ],
        );
    }
}

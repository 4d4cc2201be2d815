//! Gendered job titles and pronouns for the hire ("salesman", "waitress", "he will").

use crate::rule::PhraseRule;
use crate::{Category, Severity};
use std::sync::OnceLock;

pub(crate) static RULE: PhraseRule = PhraseRule {
    id: "sex_gender.gendered_title",
    category: Category::SexGender,
    severity: Severity::Medium,
    pattern: r"\b(sales|handy|repair|delivery|middle|camera|chair|lineman|journeyman|fire|police|work)m[ae]n\b|\b(waitress|hostess|stewardess|salesgirl|girl friday|cleaning lady)\b|\bthe (ideal |successful )?(candidate|applicant|hire) (will|must|should)? ?(be )?(he|she)\b|\b(he|she) will (be responsible|report|lead|manage)\b|\b(male|female|men|women) only\b",
    unless: None,
    message: "A gendered job title or pronoun states a preference as to sex or gender.",
    citation: "Gov. Code §12940(d); 42 U.S.C. §2000e-3(b)",
    suggestion: Some(
        "Use a neutral title (salesperson, server, repairer, line worker) and \"you\" or \"they\".",
    ),
    severity_for: None,
    compiled: OnceLock::new(),
};

#[cfg(test)]
mod tests {
    use super::RULE;
    use crate::rule::{assert_flags, assert_leaves};

    #[test]
    fn flags_gendered_titles_and_pronouns() {
        assert_flags(
            &RULE,
            &[
                "Salesman wanted.",
                "Hiring a waitress for weekends.",
                "He will report to the site manager.",
                "Male only.",
            ],
        );
    }

    #[test]
    fn leaves_neutral_titles_alone() {
        assert_leaves(
            &RULE,
            &[
                "Salesperson wanted.",
                "Servers for weekends.",
                "You will report to the site manager.",
                "Workmanship matters.",
            ],
        );
    }
}

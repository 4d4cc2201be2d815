//! Excluding applicants who have filed for bankruptcy.

use crate::rule::PhraseRule;
use crate::{Category, Severity};
use std::sync::OnceLock;

pub(crate) static RULE: PhraseRule = PhraseRule {
    id: "credit_history.bankruptcy_exclusion",
    category: Category::CreditHistory,
    severity: Severity::Medium,
    pattern: r"\b(no|without) (recent |prior |past )?bankruptc(y|ies)\b|\b(applicants|candidates|anyone|people|those) (with|who have|who've) (a |any |filed (for )?)?(recent |prior |past )?bankruptc(y|ies)\b[^.;]{0,60}\b(not|never|ineligible|disqualif\w*)\b|\bbankruptc(y|ies) (disqualif\w*|(is |are )?not (allowed|accepted|eligible))",
    unless: Some(
        r"\b(manag(er|ers|erial)|finance|financial|bank|banking|cash|treasury|controller|law enforcement|clients?|customers?|attorney|paralegal|trustee)\b",
    ),
    unless_document: None,
    message: "Screening out applicants for a past bankruptcy relies on credit information California allows only for exempt roles, and it can screen out people for having used a legal protection (federal courts differ on whether 11 U.S.C. §525(b) covers hiring).",
    citation: "Cal. Lab. Code §1024.5; cf. 11 U.S.C. §525(b)",
    suggestion: Some("Remove the bankruptcy screen."),
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
                "Applicants with bankruptcies in the past seven years are not eligible.",
                "No bankruptcies.",
            ],
        );
    }

    #[test]
    fn leaves_near_misses() {
        assert_leaves(
            &RULE,
            &[
                "Bankruptcy paralegal: prepare filings for clients.",
                "Treasury manager: no recent bankruptcies.",
            ],
        );
    }
}

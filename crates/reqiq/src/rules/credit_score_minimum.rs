//! A minimum credit score or "good credit" for roles outside the exempt list.

use crate::rule::PhraseRule;
use crate::{Category, Severity};
use std::sync::OnceLock;

pub(crate) static RULE: PhraseRule = PhraseRule {
    id: "credit_history.credit_score_requirement",
    category: Category::CreditHistory,
    severity: Severity::Medium,
    pattern: r"\b(minimum |min\.? )?(fico|credit) score( of)?( at least| above| over| minimum)?( \d{3}\+?)?\b|\b(good|excellent|strong|clean|perfect|decent|poor|bad|low) credit( history| score| rating)?\b",
    unless: Some(
        r"\b(manag(er|ers|erial)|finance|financial|bank|banking|cash|treasury|controller|accounting|accountant|payroll|law enforcement|police|sheriff|access to (personal|confidential|financial|bank|credit)|signatory|\$\s?10,?000|trade secrets?)\b|\b(help|helps|helping|improve|improving|customers?|clients?|members?|borrowers?|lend\w*)\b",
    ),
    unless_document: None,
    message: "A credit-score requirement relies on a consumer credit report, which California allows only for exempt roles.",
    citation: "Cal. Lab. Code §1024.5",
    suggestion: Some(
        "Remove the credit requirement unless the role is exempt under Lab. Code §1024.5.",
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
                "Minimum FICO score of 650.",
                "Good credit required.",
                "650+ credit score.",
                "Applicants with poor credit need not apply.",
            ],
        );
    }

    #[test]
    fn leaves_near_misses() {
        assert_leaves(
            &RULE,
            &[
                "Help customers build good credit.",
                "Treasury analyst: good credit required (access to bank accounts).",
            ],
        );
    }
}

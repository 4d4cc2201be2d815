//! Consumer credit checks for roles outside the exempt list (managerial, law enforcement, access
//! to bank or credit card accounts or cash of $10,000 or more, confidential information, and the
//! like).

use crate::rule::PhraseRule;
use crate::{Category, Severity};
use std::sync::OnceLock;

pub(crate) static RULE: PhraseRule = PhraseRule {
    id: "credit_history.credit_check",
    category: Category::CreditHistory,
    severity: Severity::Medium,
    pattern: r"\bcredit (check|report|history|screening)s?\b",
    unless: Some(
        r"\b(manag(er|ers|erial)|finance|financial|bank|banking|cash|treasury|controller|accounting|accountant|payroll|law enforcement|police|sheriff|access to (personal|confidential|financial|bank|credit)|signatory|\$\s?10,?000|trade secrets?|1024\.5|post-?offer)\b|\b(no|without( a)?|not require) credit (check|report)s?\b|\b(perform|run|conduct|process|review|order)\w* credit (checks|reports)\b|\b(customers?|residents?|tenants?|borrowers?|clients?|members?)\b",
    ),
    unless_document: None,
    message: "California employers may use consumer credit reports only for exempt roles (managerial, law enforcement, access to $10,000+ in cash or to personal financial data, and a few others).",
    citation: "Cal. Lab. Code §1024.5",
    suggestion: Some("Remove the credit check unless the role is exempt under Lab. Code §1024.5."),
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
                "Credit check required.",
                "We run a credit report on all cashiers.",
            ],
        );
    }

    #[test]
    fn leaves_near_misses() {
        assert_leaves(
            &RULE,
            &[
                "Run credit checks on prospective residents.",
                "No credit check required.",
                "Controller: credit check required (access to bank accounts).",
                "Store manager; credit check required.",
            ],
        );
    }
}

//! Credit checks outside the roles the law exempts.

use crate::rule::PhraseRule;
use crate::{Category, Severity};
use std::sync::OnceLock;

pub(crate) static RULE: PhraseRule = PhraseRule {
    id: "credit_history.credit_check",
    category: Category::CreditHistory,
    severity: Severity::Medium,
    pattern: r"\bcredit (check|report|history|score)s?\b|\bgood credit\b|\bbankruptc(y|ies)\b",
    unless: Some(
        r"\b(manag(er|erial)|finance|financial|bank|cash|treasury|accounting|payroll|law enforcement|police|access to (personal|confidential|financial))\b",
    ),
    message: "California bars credit reports for most jobs; they are allowed only for managerial, law-enforcement, financial-access and a few other listed positions.",
    citation: "Cal. Lab. Code §1024.5",
    suggestion: Some("Remove the credit check, or name the exemption the role falls under."),
    severity_for: None,
    compiled: OnceLock::new(),
};

#[cfg(test)]
mod tests {
    use super::RULE;
    use crate::rule::{assert_flags, assert_leaves};

    #[test]
    fn flags_what_it_is_for() {
        assert_flags(
            &RULE,
            &[
                "A credit check is part of the hiring process.",
                "Good credit required.",
                "No bankruptcies.",
            ],
        );
    }

    #[test]
    fn leaves_near_misses_alone() {
        assert_leaves(
            &RULE,
            &[
                "Payroll manager: a credit report is obtained under the managerial exemption.",
                "Store credit card discount for employees.",
            ],
        );
    }
}

//! Asking for current or past pay.

use crate::rule::PhraseRule;
use crate::{Category, Severity};
use std::sync::OnceLock;

pub(crate) static RULE: PhraseRule = PhraseRule {
    id: "salary_history.request",
    category: Category::SalaryHistory,
    severity: Severity::High,
    pattern: r"\b(salary|pay|compensation|wage|earnings) history\b|\b(current|previous|prior|past|last) (salary|pay|compensation|wages?|earnings)\b|\bpay ?stubs?\b|\bw-?2s?\b|\bhow much (you|do you) (currently )?(make|earn)\b",
    unless: Some(
        r"\b(will not|won't|do not|don't|never|not) (ask|request|consider|inquire)|\bexpectations?\b",
    ),
    message: "Asking an applicant for their current or past pay is prohibited in California, directly or through an agent.",
    citation: "Cal. Lab. Code §432.3(a)–(b)",
    suggestion: Some("Ask for the applicant's pay expectations for this role instead."),
    severity_for: None,
    compiled: OnceLock::new(),
};

#[cfg(test)]
mod tests {
    use super::RULE;
    use crate::rule::{assert_flags, assert_leaves};

    #[test]
    fn flags_requests_for_past_pay() {
        assert_flags(
            &RULE,
            &[
                "Please include your salary history with your application.",
                "State your current salary.",
                "Attach your last two pay stubs.",
                "Provide W-2s from your previous employer.",
            ],
        );
    }

    #[test]
    fn leaves_expectations_and_promises_alone() {
        assert_leaves(
            &RULE,
            &[
                "Tell us your salary expectations.",
                "We will not ask about your salary history.",
                "Pay range: $70,000–$85,000 per year.",
            ],
        );
    }
}

//! Asking the applicant for pay records that show past pay: pay stubs, W-2s, tax returns, an offer
//! letter showing compensation.

use crate::rule::PhraseRule;
use crate::{Category, Severity};
use std::sync::OnceLock;

pub(crate) static RULE: PhraseRule = PhraseRule {
    id: "salary_history.pay_records",
    category: Category::SalaryHistory,
    severity: Severity::High,
    pattern: r"\b(your|last|latest|current|previous|prior|recent|most recent) (\w+ )?(pay ?stubs?|paychecks?|w-?2s?( forms?)?|tax returns?)\b|\b(submit|provide|attach|include|send|bring|upload|email) (copies of |a copy of )?(your |a |the |two |three |recent |last year's |last |latest |most recent |\d+ )*(pay ?stubs?|w-?2s?|paychecks?|tax returns?)\b|\boffer letters?\b[^.;]{0,60}\b(compensation|salary|pay|wages?)\b",
    unless: Some(
        r"\b(will not|won't|do not|don't|never|not) (ask|request|need)|\b(pay|salary) (range|scale|band)\b|\b(receive|issue|issues|issuing|prepare|prepares|process|processes|processing|produce|produces|distribute)\b[^.;]{0,30}\b(pay ?stubs?|w-?2s?|paychecks?|payroll|tax returns?|offer letters?)\b",
    ),
    unless_document: None,
    message: "Pay stubs, W-2s and offer letters showing pay reveal an applicant's salary history, which California employers may not ask for.",
    citation: "Cal. Lab. Code §432.3(a)–(b)",
    suggestion: Some(
        "Ask for pay expectations instead; verify employment dates without pay records.",
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
                "Provide your last three pay stubs.",
                "Attach a W-2 from your last employer.",
                "Please include last year's W-2 from your previous employer.",
                "Send the offer letter from your current employer showing your compensation.",
                "Please share your current offer letter or compensation statement so we can prepare an offer.",
            ],
        );
    }

    #[test]
    fn leaves_near_misses() {
        assert_leaves(
            &RULE,
            &[
                "Process biweekly payroll, issue pay stubs and year-end W-2s.",
                "Rate: $70–$80/hour W-2.",
                "You will receive an offer letter with the pay range.",
            ],
        );
    }
}

//! Asking for the applicant's current or past pay: "current salary", "state your current hourly
//! rate", "last base salary".

use crate::rule::PhraseRule;
use crate::{Category, Severity};
use std::sync::OnceLock;

pub(crate) static RULE: PhraseRule = PhraseRule {
    id: "salary_history.current_or_past_pay",
    category: Category::SalaryHistory,
    severity: Severity::High,
    pattern: r"\b(your|applicant'?s'?|candidate'?s'?) (current|present|previous|prior|past|last|most recent)( and (current|present|previous|prior|past|last))? (base |annual |hourly |gross |total |monthly )?(salary|salaries|pay|pay rate|rate of pay|hourly rate|rate|wages?|compensation|earnings|income|bonus)\b|\b(current|present|previous|prior|past|last|most recent) (base |annual |hourly |gross |total )?(salary|pay rate|rate of pay|hourly rate|wages?|compensation|earnings)( information| details| level)? (is |are )?(required|requested|needed|must be (provided|included|stated))\b|\b(current|present) (base |annual |hourly )?(salary|compensation|pay|wages?)\b",
    unless: Some(
        r"\b(will not|won't|do not|don't|never|not) (ask|request|consider|inquire|rely)|\bexpectations?\b|\b(based on|match|matching|above|more than|over) your\b|\b(pay|salary|compensation|wage) (range|ranges|scale|band|bands)\b|\bour current\b",
    ),
    unless_document: None,
    message: "Asking for an applicant's current or past pay is asking for salary history, which California employers may not do.",
    citation: "Cal. Lab. Code §432.3(a)–(b)",
    suggestion: Some("What are your pay expectations for this role?"),
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
                "Send your salary requirements and current compensation.",
                "Current salary: ____",
                "Include your current base salary in the cover letter.",
                "Please state your current hourly rate.",
                "Current compensation information is required.",
                "List your previous salary.",
                "List your current and previous salaries.",
            ],
        );
    }

    #[test]
    fn leaves_near_misses() {
        assert_leaves(
            &RULE,
            &[
                "Our current pay range is $20–$24/hour.",
                "Tell us your salary expectations, not your current salary.",
                "Previous experience required.",
            ],
        );
    }
}

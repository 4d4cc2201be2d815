//! Asking about an applicant's salary history: "salary history", "compensation history", "how much
//! do you make".

use crate::rule::PhraseRule;
use crate::{Category, Severity};
use std::sync::OnceLock;

pub(crate) static RULE: PhraseRule = PhraseRule {
    id: "salary_history.request",
    category: Category::SalaryHistory,
    severity: Severity::High,
    pattern: r"\b(salary|pay|compensation|wage|earnings|income)[- ](history|histories)\b|\bhow much (do )?you (currently )?(make|earn)\b|\b(what|how much) (were|are) you (currently |last )?(paid|making|earning)\b|\b(what|how much) you (were|are) (currently )?(paid|making|earning)\b|\bwhat (was|is|were) your (current |last |previous |prior )?(salary|pay|wages?|compensation|hourly rate)\b",
    unless: Some(
        r"\b(will not|won't|do not|don't|never|not) (ask|request|consider|inquire|rely)|\b(employee|employees'?|borrowers?'?|clients?'?|customers?'?|maintain|maintains|analy[sz]e|records)\b",
    ),
    unless_document: None,
    message: "California employers may not ask about an applicant's salary history (pay and benefits), themselves or through an agent.",
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
                "What was your salary at your last job?",
                "Please include your salary history.",
                "Compensation history for the past five years is required.",
                "How much do you currently make?",
                "What were you paid at your last job?",
                "Tell us what you were paid at your last job.",
                "Complete the compensation-history section.",
            ],
        );
    }

    #[test]
    fn leaves_near_misses() {
        assert_leaves(
            &RULE,
            &[
                "Analyze borrowers' income history and credit.",
                "Maintain employee salary history records.",
                "We will not ask about your salary history.",
                "Tell us your salary expectations.",
                "Payroll specialist: maintain earnings records for 90 employees.",
            ],
        );
    }
}

//! "Stay-or-pay" terms: repaying training, certification or tuition costs on leaving.

use crate::rule::PhraseRule;
use crate::{Category, Severity};
use std::sync::OnceLock;

pub(crate) static RULE: PhraseRule = PhraseRule {
    id: "non_compete.stay_or_pay",
    category: Category::NonCompete,
    severity: Severity::Medium,
    pattern: r"\b(training|tuition|certification|education) (repayment|reimbursement|cost recovery|clawback) (agreements?|clauses?|provisions?|obligations?)\b|\bstay[- ]or[- ]pay\b|\b(repay|reimburse|pay back)( us| the company)?( for)?( the| all| any)?( cost of)?( your)?( \w+)? (training|tuition|certification|schooling)( costs?| fees?| expenses?)?\b[^.;]{0,60}\b(leave|leaves|leaving|quit|quits|resign|resigns|separate|depart|terminat\w*)\b",
    unless: None,
    unless_document: None,
    message: "California bars requiring workers to repay training or similar costs when they leave (\"stay-or-pay\").",
    citation: "Cal. Lab. Code §926 and Bus. & Prof. Code §16608 (AB 692, eff. 2026-01-01; verify)",
    suggestion: Some("Remove the repayment term."),
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
                "Drivers must repay the cost of CDL training if they leave within 12 months.",
                "Training repayment agreement required.",
                "Stay-or-pay terms apply.",
            ],
        );
    }

    #[test]
    fn leaves_near_misses() {
        assert_leaves(
            &RULE,
            &[
                "Paid training; we cover certification costs.",
                "Tuition reimbursement for approved courses.",
            ],
        );
    }
}

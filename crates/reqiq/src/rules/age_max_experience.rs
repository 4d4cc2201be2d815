//! A ceiling on years of experience ("no more than 7 years of experience"), which screens out
//! older applicants.

use crate::rule::PhraseRule;
use crate::{Category, Severity};
use std::sync::OnceLock;

pub(crate) static RULE: PhraseRule = PhraseRule {
    id: "age.maximum_experience",
    category: Category::Age,
    severity: Severity::Medium,
    pattern: r"\b(no more than|not more than|maximum( of)?|max\.?|at most|less than|fewer than|under) \d{1,2}\+? (years|yrs)\.?( of)?( \w+){0,3} experience\b|\boverqualified (candidates|applicants) (need not|will not|won't)\b",
    unless: None,
    unless_document: None,
    message: "A maximum on years of experience screens out older workers and is treated as an age preference.",
    citation: "29 CFR §1625.4(a); Gov. Code §12940(d)",
    suggestion: Some("State the minimum experience needed (\"3+ years of product management\")."),
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
                "3+ years of product management, but no more than 7 years of experience in total.",
                "Maximum of 5 years of experience.",
                "Less than 10 years experience preferred.",
            ],
        );
    }

    #[test]
    fn leaves_near_misses() {
        assert_leaves(
            &RULE,
            &[
                "3+ years of experience required.",
                "At least 5 years of experience.",
                "Experience with 10-year plans.",
            ],
        );
    }
}

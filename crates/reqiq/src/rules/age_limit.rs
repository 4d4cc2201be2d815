//! An age range or ceiling for applicants: "ages 25-35", "under the age of 40", "no older than
//! 30".

use crate::rule::PhraseRule;
use crate::{Category, Severity};
use std::sync::OnceLock;

pub(crate) static RULE: PhraseRule = PhraseRule {
    id: "age.age_limit",
    category: Category::Age,
    severity: Severity::High,
    pattern: r"\bages? (1[6-9]|[2-9]\d) ?(-|to) ?[2-9]\d\b|\bbetween (the ages of )?(1[6-9]|[2-9]\d) and [2-9]\d( years old| years of age)\b|\bbetween the ages of (1[6-9]|[2-9]\d) and [2-9]\d\b|\b(under|below|younger than|no older than|not older than|not over) the age of [2-9]\d\b|\b(under|younger than|no older than|not older than|not over) [2-9]\d (years old|years of age|y/?o)\b|\b(under|younger than) [2-9]\d only\b|\b(under|younger than|below) [2-9]\d (ideally|preferred|preferably|max)\b|\bideally (under|younger than) [2-9]\d\b|\b(applicants|candidates|you) (should|must|need to) be (under|younger than|below) [2-9]\d\b|\bmust be (under|younger than|below) [2-9]\d\b|\bage:? (1[6-9]|[2-9]\d) ?(-|to) ?[2-9]\d\b|\baged (1[6-9]|[2-9]\d) ?(-|to) ?[2-9]\d\b",
    unless: Some(
        r"\b(participants|students|children|kids|youth|campers|patients|members|clients|customers|residents|athletes|players)\b",
    ),
    unless_document: None,
    message: "An age range or upper age limit for applicants is an age preference the law forbids.",
    citation: "29 U.S.C. §623(e); 29 CFR §1625.4(a); Gov. Code §12940(d)",
    suggestion: Some(
        "Remove the age limit; state a lawful minimum age (for example 18+) only where the law requires it.",
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
                "Candidates aged 22-30.",
                "Age: 25-35.",
                "Must be under 35.",
                "Ages 25-35 preferred.",
                "Applicants under the age of 40 only.",
                "Must be no older than 30 years old.",
                "Between the ages of 21 and 35.",
                "Applicants should be under 40 to fit our brand.",
                "Perfect for someone early in their career, under 30 ideally.",
            ],
        );
    }

    #[test]
    fn leaves_near_misses() {
        assert_leaves(
            &RULE,
            &[
                "Coach players ages 12-18.",
                "Must be 21 or older to serve alcohol.",
                "Lift under 50 lbs.",
                "Under 30 minutes from downtown.",
            ],
        );
    }
}

//! "Able-bodied", "perfect vision", "no disabilities".

use crate::rule::PhraseRule;
use crate::{Category, Severity};
use std::sync::OnceLock;

pub(crate) static RULE: PhraseRule = PhraseRule {
    id: "disability.able_bodied",
    category: Category::Disability,
    severity: Severity::High,
    pattern: r"\bable-? ?bodied\b|\bperfect (vision|eyesight|hearing|health)\b|\bno (physical |mental )?(disabilities|disability|handicaps?|impairments?)\b|\bmust be (in )?(good|excellent|perfect) (physical )?health\b|\bfree (of|from) (any )?(disabilities|medical conditions)\b",
    unless: Some(r"\b(with or without|reasonable) accommodations?\b"),
    message: "Requiring applicants to be free of disabilities screens out people the law protects; describe the essential functions and offer accommodation.",
    citation: "42 U.S.C. §12112, §12111(8); 29 CFR §1630.2(n); Gov. Code §12940",
    suggestion: Some(
        "Able to perform the essential functions of the role, with or without reasonable accommodation.",
    ),
    severity_for: None,
    compiled: OnceLock::new(),
};

#[cfg(test)]
mod tests {
    use super::RULE;
    use crate::rule::{assert_flags, assert_leaves};

    #[test]
    fn flags_disability_screens() {
        assert_flags(
            &RULE,
            &[
                "Able-bodied workers only.",
                "Perfect vision required.",
                "No disabilities.",
                "Must be in excellent health.",
            ],
        );
    }

    #[test]
    fn leaves_accommodated_functions_alone() {
        assert_leaves(
            &RULE,
            &[
                "Lift 50 lb, with or without reasonable accommodation.",
                "Able to stand for a full shift.",
            ],
        );
    }
}

//! Refusing religious accommodation up front ("no exceptions for religious observance").

use crate::rule::PhraseRule;
use crate::{Category, Severity};
use std::sync::OnceLock;

pub(crate) static RULE: PhraseRule = PhraseRule {
    id: "religion.no_accommodation",
    category: Category::Religion,
    severity: Severity::High,
    pattern: r"\bno (exceptions|accommodations?|exemptions?|time off|schedule changes) (will be |are |is |can be )?(made |given |granted |allowed )?for (religious|religion|sabbath|faith|prayer|church|holy days)\b|\b(religious|sabbath) (observances?|holidays?|accommodations?|practices) (will not|won't|cannot|can't|are not|is not|will never) (be )?(accommodated|honored|granted|considered|allowed|made)\b|\bwe (do not|don't|cannot|can't|will not|won't) accommodate (religious|sabbath|prayer|church)\b",
    unless: None,
    unless_document: None,
    message: "Employers must accommodate religious observance unless it would cause undue hardship; refusing it in advance is unlawful.",
    citation: "Gov. Code §12940(l)(1); 42 U.S.C. §2000e(j)",
    suggestion: Some(
        "Friday and Saturday availability needed; we consider requests for religious accommodation.",
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
                "No exceptions for religious observance.",
                "Religious holidays will not be accommodated.",
                "We do not accommodate religious schedules.",
            ],
        );
    }

    #[test]
    fn leaves_near_misses() {
        assert_leaves(
            &RULE,
            &[
                "Sunday availability required.",
                "Religious accommodations are considered on request.",
            ],
        );
    }
}

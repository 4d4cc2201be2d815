//! Sexual orientation and gender identity.

use crate::rule::PhraseRule;
use crate::{Category, Severity};
use std::sync::OnceLock;

pub(crate) static RULE: PhraseRule = PhraseRule {
    id: "sexual_orientation.preference",
    category: Category::SexualOrientation,
    severity: Severity::High,
    pattern: r"\b(straight|heterosexual) (only|candidates?|applicants?|preferred|men|women|males|females)\b|\bno (gays?|lesbians?|homosexuals?|lgbtq?\+?( people)?|transgender|trans (people|applicants))\b|\b(traditional|christian) (family )?values (required|only)\b|\bbiological (men|women|males|females) only\b",
    unless: None,
    message: "A preference about sexual orientation, gender identity or expression is unlawful discrimination.",
    citation: "Gov. Code §12940(d), §12926; Bostock v. Clayton County, 590 U.S. 644 (2020)",
    suggestion: Some(
        "Remove it; welcome everyone (\"we welcome applicants of every gender identity and sexual orientation\").",
    ),
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
                "Straight candidates preferred.",
                "No LGBTQ applicants.",
                "Biological males only.",
            ],
        );
    }

    #[test]
    fn leaves_near_misses_alone() {
        assert_leaves(
            &RULE,
            &[
                "We welcome applicants of every sexual orientation and gender identity.",
                "Straight-line cutting on the table saw.",
            ],
        );
    }
}

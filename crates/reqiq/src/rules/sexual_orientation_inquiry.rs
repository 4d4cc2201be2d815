//! Asking applicants their sexual orientation outside a voluntary, confidential
//! self-identification form.

use crate::rule::PhraseRule;
use crate::{Category, Severity};
use std::sync::OnceLock;

pub(crate) static RULE: PhraseRule = PhraseRule {
    id: "sexual_orientation.inquiry",
    category: Category::SexualOrientation,
    severity: Severity::High,
    pattern: r"\b(state|disclose|indicate|list|tell us|provide) your (sexual orientation|orientation|sexuality)\b|\bare you (gay|straight|lesbian|bisexual|heterosexual|homosexual)\b|\bwhat is your (sexual orientation|sexuality)\b",
    unless: Some(r"\b(voluntary|optional|self-?identif\w*|confidential|decline to)\b"),
    unless_document: None,
    message: "Asking an applicant's sexual orientation invites discrimination; collect it only through voluntary, confidential self-identification.",
    citation: "Gov. Code §12940(d); 42 U.S.C. §2000e-2",
    suggestion: Some(
        "Remove the question, or make it part of a voluntary, confidential self-identification form.",
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
            &["Please state your sexual orientation.", "Are you gay?"],
        );
    }

    #[test]
    fn leaves_near_misses() {
        assert_leaves(
            &RULE,
            &[
                "Voluntary self-identification: you may indicate your sexual orientation or decline to answer.",
            ],
        );
    }
}

//! Questions about arrests or detentions that did not lead to conviction.

use crate::rule::PhraseRule;
use crate::{Category, Severity};
use std::sync::OnceLock;

pub(crate) static RULE: PhraseRule = PhraseRule {
    id: "criminal_history.arrest_inquiry",
    category: Category::CriminalHistory,
    severity: Severity::High,
    pattern: r"\bhave you (ever )?been (arrested|detained|charged)\b|\b(list|disclose|indicate|describe|report|declare) (any |all |your )?(prior |past |previous )?(arrests|detentions|criminal charges|pending charges)\b",
    unless: None,
    unless_document: None,
    message: "California employers may not ask about arrests or detentions that did not result in conviction, or about diversion programmes.",
    citation: "Cal. Lab. Code §432.7; Gov. Code §12952; 2 CCR §11017.1",
    suggestion: Some("Remove questions about arrests and detentions."),
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
                "Have you ever been arrested?",
                "Please disclose any arrests, even without conviction.",
            ],
        );
    }

    #[test]
    fn leaves_near_misses() {
        assert_leaves(
            &RULE,
            &[
                "Security officers may detain shoplifters per policy.",
                "Arrest-free neighborhoods are our mission.",
            ],
        );
    }
}

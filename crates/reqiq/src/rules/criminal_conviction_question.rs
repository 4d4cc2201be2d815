//! Questions about conviction history on an application or before an offer: "have you ever been
//! convicted", "list any convictions".

use crate::rule::PhraseRule;
use crate::{Category, Severity};
use std::sync::OnceLock;

pub(crate) static RULE: PhraseRule = PhraseRule {
    id: "criminal_history.conviction_question",
    category: Category::CriminalHistory,
    severity: Severity::High,
    pattern: r"\bhave you (ever )?been convicted\b|\b(list|disclose|indicate|describe|explain|state|report|declare) (any |all |your )?(prior |past |previous )?(criminal |felony |misdemeanor )?(convictions|criminal (history|record|records)|felonies|misdemeanors)\b|\bconviction (history|record)s? (question|form|section|disclosure)s?\b|\bdo you have (a |any )?(criminal (record|history|background)|(felony |misdemeanor )?convictions)\b|\bany (felony |criminal |misdemeanor )?convictions\?",
    unless: Some(
        r"\b(after|following) (a |an |the |receiving a |receiving an )?(conditional |contingent )?(job |employment )?offer\b|\bpost-?offer\b|\bfair chance\b",
    ),
    unless_document: None,
    message: "Asking about conviction history before a conditional offer — on an application or in an ad — is not allowed in California.",
    citation: "Gov. Code §12952(a)(1)–(2); 2 CCR §11017.1",
    suggestion: Some(
        "Remove conviction questions from the application; any conviction history is considered only after a conditional offer.",
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
                "Any felony convictions? (Y/N)",
                "Do you have a criminal record?",
                "Have you ever been convicted of a felony or misdemeanor? (Y/N)",
                "Please list any convictions in the past 7 years on your application.",
                "Disclose all prior criminal convictions.",
            ],
        );
    }

    #[test]
    fn leaves_near_misses() {
        assert_leaves(
            &RULE,
            &[
                "After a conditional offer we may ask about convictions, per the Fair Chance Act.",
                "Convictions are never a blanket bar here.",
                "Have you ever been to Fresno?",
            ],
        );
    }
}

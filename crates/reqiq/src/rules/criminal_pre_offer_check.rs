//! A background or criminal-record check before a conditional offer ("background check before
//! interview", "at application").

use crate::rule::PhraseRule;
use crate::{Category, Severity};
use std::sync::OnceLock;

pub(crate) static RULE: PhraseRule = PhraseRule {
    id: "criminal_history.pre_offer_check",
    category: Category::CriminalHistory,
    severity: Severity::High,
    pattern: r"\b(background|criminal|record|conviction) (check|screening|screen|investigation|search)s?\b[^.;]{0,60}\b(before|prior to|at|during) (\w+ ){0,3}(interviews?|application|applying|apply)\b|\b(before|prior to|at) (the |your |an |any )?(interviews?|application)[^.;]{0,40}\b(background|criminal) (check|screening|screen)s?\b",
    unless: Some(
        r"\b(after|following) (a |an |the |receiving a |receiving an )?(conditional |contingent )?(job |employment )?offer\b|\bpost-?offer\b|\bfair chance\b|\b(contingent|conditional)\b",
    ),
    unless_document: None,
    message: "California employers may not check or ask about conviction history before making a conditional offer.",
    citation: "Gov. Code §12952(a)(1)–(3); 2 CCR §11017.1",
    suggestion: Some(
        "A background check will be conducted only after a conditional offer of employment, in accordance with the California Fair Chance Act.",
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
                "All applicants must pass a background check before interview.",
                "Valid driver's license and background check required before interview.",
                "Criminal background screening at application.",
                "Background screening happens before we schedule interviews.",
            ],
        );
    }

    #[test]
    fn leaves_near_misses() {
        assert_leaves(
            &RULE,
            &[
                "Offers are contingent on a background check completed as part of the hiring process.",
                "A background check is conducted only after a conditional offer.",
                "Background check after a conditional offer of employment.",
                "Background check required.",
            ],
        );
    }
}

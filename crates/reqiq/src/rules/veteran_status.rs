//! Preferences about military or veteran status.

use crate::rule::PhraseRule;
use crate::{Category, Severity};
use std::sync::OnceLock;

pub(crate) static RULE: PhraseRule = PhraseRule {
    id: "military_veteran.status_preference",
    category: Category::MilitaryVeteran,
    severity: Severity::Medium,
    pattern: r"\bno (veterans|reservists|national guard|military (service )?members)\b|\bnot (a |an )?(member of the )?(reserves|national guard)\b|\b(no|without) (upcoming |pending )?(military )?deployments?\b|\bdischarge (papers|status|type)\b|\bdd-?214\b|\bhonorable discharge (required|only)\b",
    unless: None,
    message: "Preferences against military or veteran status, or asking for discharge papers before an offer, discriminate by military and veteran status.",
    citation: "Gov. Code §12940(a), (d); 38 U.S.C. §4311 (USERRA)",
    suggestion: Some(
        "Remove it; veterans and reservists are welcome (\"we honour military leave\").",
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
                "No reservists or National Guard members.",
                "Provide your DD-214 with your application.",
                "No upcoming deployments.",
            ],
        );
    }

    #[test]
    fn leaves_near_misses_alone() {
        assert_leaves(
            &RULE,
            &[
                "Veterans are encouraged to apply.",
                "We honour military leave under USERRA.",
            ],
        );
    }
}

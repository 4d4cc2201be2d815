//! Requiring religious practice at a secular employer ("must attend church", "daily team prayer").

use crate::rule::PhraseRule;
use crate::{Category, Severity};
use std::sync::OnceLock;

pub(crate) static RULE: PhraseRule = PhraseRule {
    id: "religion.required_participation",
    category: Category::Religion,
    severity: Severity::High,
    pattern: r"\b(must|required to|expected to|will|are asked to) (attend|participate in|take part in|join( us)?( in)?|lead|join in) (\w+ ){0,2}(church|mass|services|worship|prayers?|bible study|devotions?|devotionals?|chapel|religious (services|activities|meetings))\b|\b(daily|weekly|mandatory|required|morning) (team )?(prayers?|devotions?|devotionals?|bible study|worship|chapel)\b|\bchurch (attendance|membership) (is )?(required|expected|mandatory)\b|\bstatement of faith\b|\b(attends?|attending|attendance at) (church|mass|synagogue|mosque|temple|services)( regularly| weekly| every (sunday|week))\b|\b(must|should|to) believe in (god|jesus|christ|allah)\b|\bbelief in (god|jesus|christ) (is )?(required|expected)\b|\b(prayer|worship|devotions?|bible study)[^.;]{0,60}\b(participation|attendance) (is )?(required|mandatory|expected)\b",
    unless: Some(
        r"\b(religious (organization|corporation|institution|school)|ministry|pastor|chaplain|parish|diocese|church (staff|position)|exempt|optional|voluntary)\b",
    ),
    unless_document: None,
    message: "Requiring employees to take part in religious activities is religious discrimination for employers other than religious organisations.",
    citation: "Gov. Code §12940(d), (l); 42 U.S.C. §2000e-2(a)",
    suggestion: None,
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
                "Employees must attend church on Sundays.",
                "Daily team prayer at 7am.",
                "Must believe in God.",
                "The ideal candidate attends church regularly.",
                "We start each day with prayer together, and participation is required of all staff.",
                "All staff must sign our statement of faith.",
            ],
        );
    }

    #[test]
    fn leaves_near_misses() {
        assert_leaves(
            &RULE,
            &[
                "Optional morning prayer room available.",
                "Pastor position: lead Sunday worship services at our parish.",
                "Clean the chapel and sanctuary.",
            ],
        );
    }
}

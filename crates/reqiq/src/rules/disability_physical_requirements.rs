//! Physical requirements (lift, stand, walk so many pounds or hours) in a posting that nowhere
//! mentions reasonable accommodation or essential functions.

use crate::rule::PhraseRule;
use crate::{Category, Severity};
use std::sync::OnceLock;

pub(crate) static RULE: PhraseRule = PhraseRule {
    id: "disability.physical_requirement_without_accommodation",
    category: Category::Disability,
    severity: Severity::Medium,
    pattern: r"\b(must be able to|be able to|able to|ability to|must|required to|capable of|can) (lift|carry|push|pull|stand|walk|climb|kneel|crouch|bend|stoop|sit)( and (lift|carry|push|pull|stand|walk))?( up to| at least| for)? \d+ ?(lbs?|pounds|kg|kilograms|hours?|hrs?|feet|ft|flights?|miles)\b|\b(lifting|carrying|standing|walking)( up to| for)? \d+ ?(lbs?|pounds|kg|hours?|hrs?)( required| regularly| daily| repeatedly)\b",
    unless: None,
    unless_document: Some(
        r"\b(with or without (an? |any )?(reasonable )?accommodations?|reasonable accommodations?|accommodations? (is|are|will be|can be|may be) (available|provided|made|considered)|essential functions?)\b",
    ),
    message: "Physical requirements should be the job's essential functions and say that reasonable accommodation is available; without it the posting screens out people with disabilities.",
    citation: "42 U.S.C. §12111(8), §12112(b)(5)–(6); 29 CFR §1630.2(n); Gov. Code §12940(m)",
    suggestion: Some(
        "Add \"with or without reasonable accommodation\" (\"able to lift 50 lbs, with or without reasonable accommodation\").",
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
                "Must be able to stand 10 hours without a break.",
                "Must lift 50 lbs repeatedly.",
                "Able to lift 75 lbs all day.",
            ],
        );
    }

    #[test]
    fn leaves_near_misses() {
        assert_leaves(
            &RULE,
            &[
                "Able to lift 50 lbs, with or without reasonable accommodation.",
                "Must lift 50 lbs. Reasonable accommodations are available for the essential functions.",
                "Walk 5 minutes from the train.",
            ],
        );
    }
}

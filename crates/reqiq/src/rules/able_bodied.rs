//! Health and body requirements that exclude disabled people: "able-bodied", "perfect vision", "no
//! hearing aids", "no limitations or restrictions".

use crate::rule::PhraseRule;
use crate::{Category, Severity};
use std::sync::OnceLock;

pub(crate) static RULE: PhraseRule = PhraseRule {
    id: "disability.able_bodied",
    category: Category::Disability,
    severity: Severity::High,
    pattern: r"\bable-? ?bodied\b|\bperfect (vision|eyesight|hearing|health)\b|\bno (physical |mental )?(disabilities|disability|handicaps?|impairments?)\b|\bmust be (in )?(good|excellent|perfect|top) (physical )?(health|shape)\b|\bfree (of|from) (any )?(((physical|mental)( or (physical|mental))? )?(impairments?|disabilities|conditions|limitations)|medical conditions)\b|\bno (hearing aids|wheelchairs?|prosthetics?|canes|walkers|service animals|glasses)\b|\b(no|without any) ((physical|medical) )?(limitations or restrictions|restrictions or limitations)\b|\b(no|without any) (physical|medical) (limitations|restrictions)\b|\b20/20 vision\b|\bmust be healthy\b|\b(good|excellent|top|peak) physical condition\b",
    unless: Some(
        r"\b(with or without (an? |any )?(reasonable )?accommodations?|reasonable accommodations?|accommodations? (is|are|will be|can be|may be) (available|provided|made|considered)|essential functions?)\b|\bseam[ae]n\b|\bab certification\b",
    ),
    unless_document: None,
    message: "Requirements like \"able-bodied\" or \"no limitations\" exclude people with disabilities instead of describing the job's essential functions.",
    citation: "42 U.S.C. §12112(b)(6), §12111(8); Gov. Code §12940(a), (d)",
    suggestion: Some(
        "Describe the essential functions (\"lift 50 lbs\") and add \"with or without reasonable accommodation\".",
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
                "20/20 vision required.",
                "Must be able-bodied.",
                "Perfect vision required.",
                "No hearing aids — dispatch relies on radios.",
                "Must be physically fit with no limitations or restrictions.",
                "Must be in excellent health.",
                "Applicants must be free of any physical or mental impairment.",
            ],
        );
    }

    #[test]
    fn leaves_near_misses() {
        assert_leaves(
            &RULE,
            &[
                "Able-bodied seaman (AB) certification required.",
                "Unlimited PTO with no restrictions.",
                "Lift 50 lbs with or without reasonable accommodation.",
                "No travel restrictions apply to this role.",
            ],
        );
    }
}

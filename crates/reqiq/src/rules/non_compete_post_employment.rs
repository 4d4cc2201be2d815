//! Restraints on working elsewhere after leaving, by any name: "restrictive covenant", "may not
//! work at another salon within 10 miles", "agree not to open a competing business".

use crate::rule::PhraseRule;
use crate::{Category, Severity};
use std::sync::OnceLock;

pub(crate) static RULE: PhraseRule = PhraseRule {
    id: "non_compete.post_employment_restraint",
    category: Category::NonCompete,
    severity: Severity::High,
    pattern: r"\brestrictive covenants?\b|\bradius (clause|restriction)s?\b|\bnot (to )?(start|open|join|run|work for|work at|be employed by|starting|opening|joining|running|working for|working at)( or (start|open|join|run|work for|work at|be employed by|starting|opening|joining|running|working for|working at))? (a |an |any )?(competing|rival|competitor|similar)\b|\bnot (to )?(start|open|join|run|work for|work at|be employed by|starting|opening|joining|running|working for|working at)( or (start|open|join|run|work for|work at|be employed by|starting|opening|joining|running|working for|working at))? (a |an |any )?(another|other)\b[^.;]{0,80}\b(after|following|upon) (leaving|separation|termination|you leave|your (employment|departure|separation))|\b(may|will|must|can|shall) not (work|practice|be employed|be hired|take a job)( at| for| with| in| by)( any| a| an)? (other|another|competing|rival|similar)\b[^.;]{0,80}\b(after|following|upon) (leaving|separation|termination|your (employment|departure|separation)|employment ends|you leave|the end)|\bwithin (a |an )?\d+[- ]miles?\b[^.;]{0,60}\b(after|following) (leaving|separation|termination|you leave|your (employment|departure))",
    unless: Some(
        r"\b(no|never|without|not|don't|won't|doesn't|neither)\b[^.;]{0,40}\b(non-? ?compet\w*|restrictive covenants?)\b",
    ),
    unless_document: None,
    message: "Any agreement that restrains working in a lawful profession after leaving — by any name — is void in California.",
    citation: "Bus. & Prof. Code §16600, §16600.5",
    suggestion: Some(
        "Remove the restraint; protect client data and trade secrets with a confidentiality agreement.",
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
                "Technicians must agree not to start or join a competing pest-control business for three years after leaving.",
                "Stylists may not work at another salon within 10 miles for one year after leaving us.",
                "Your agreement includes a restrictive covenant prohibiting employment with competitors.",
                "Stylists commit to not opening or joining another salon within 25 miles for 18 months after leaving.",
                "Associates may not practice at any other veterinary clinic in the county for two years after leaving.",
            ],
        );
    }

    #[test]
    fn leaves_near_misses() {
        assert_leaves(
            &RULE,
            &[
                "We have no restrictive covenants.",
                "You may not work at another job during your shift.",
            ],
        );
    }
}

//! A preference by sexual orientation ("straight candidates only", "no gay or lesbian
//! applicants").

use crate::rule::PhraseRule;
use crate::{Category, Severity};
use std::sync::OnceLock;

pub(crate) static RULE: PhraseRule = PhraseRule {
    id: "sexual_orientation.preference",
    category: Category::SexualOrientation,
    severity: Severity::High,
    pattern: r"\b(straight|heterosexual) (only|candidates?|applicants?|preferred|men|women|males?|females?|employees|staff|people|persons?|couples?)( only| preferred)?\b|\bmust be (straight|heterosexual)\b|\b(looking for|seeking|prefer|hiring) (a |an )?(straight|heterosexual)\b|\bno (gays?|lesbians?|homosexuals?|bisexuals?|queers?|lgbt\w*\+?)( (or|and) (gays?|lesbians?|bisexuals?|lgbt\w*))?( people| persons| applicants| candidates)?\b|\b(gays?|lesbians?|homosexuals?|bisexuals?|lgbt\w*\+?)( (or|and) \w+)?( people| persons| applicants| candidates)? (need not apply|will not be considered|not welcome|not accepted)\b|\b(traditional|christian) (family )?values (required|only)\b|\b(do not|don't|will not|won't|cannot|can't) (accept|hire|consider|employ|place) (\w+ )?(gays?|lesbians?|homosexuals?|bisexuals?|lgbt\w*\+?)( (or|and) (gays?|lesbians?|bisexuals?|lgbt\w*))?\b",
    unless: Some(concat!(crate::rule::eeo!(), "|", r"\bhair\b|\bshooters?\b")),
    unless_document: None,
    message: "Sexual orientation is protected; an ad may not state a preference by it.",
    citation: "Gov. Code §12926, §12940(d); 42 U.S.C. §2000e-3(b) (sex includes sexual orientation: Bostock v. Clayton County, 2020)",
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
                "Heterosexual employees only.",
                "Must be straight.",
                "No gay or lesbian applicants.",
                "We do not accept gay or lesbian applicants.",
                "We cannot place gay or lesbian candidates in client-facing roles.",
                "LGBTQ applicants will not be considered.",
                "Looking for a straight male house manager.",
            ],
        );
    }

    #[test]
    fn leaves_near_misses() {
        assert_leaves(
            &RULE,
            &[
                "Looking for a straight shooter.",
                "Straight-time pay for the first 40 hours.",
                "We welcome LGBTQ applicants.",
                "We do not discriminate on the basis of sexual orientation.",
                "Straight answers to customer questions.",
                "Hair must be straight or relaxed and pulled back.",
            ],
        );
    }
}

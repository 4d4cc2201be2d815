//! Asking for a date of birth, age or graduation year before hiring.

use crate::rule::PhraseRule;
use crate::{Category, Severity};
use std::sync::OnceLock;

pub(crate) static RULE: PhraseRule = PhraseRule {
    id: "age.birth_date_or_graduation_year",
    category: Category::Age,
    severity: Severity::Medium,
    pattern: r"\b(date|year) of (birth|graduation)\b|\bbirth ?(date|year)s?\b|\bgraduation (year|date)s?\b|\bdob\b|\b(state|include|list|provide|give|tell us) your age\b|\bhow old are you\b|\byears? (you )?graduated\b",
    unless: Some(concat!(
        crate::rule::eeo!(),
        "|",
        r"\b(will not|won't|do not|don't|never|not) (ask|request|need)\b|\b(after|following) (a |an )?(conditional )?(job )?offer\b|\bi-9\b|\b(patients?|clients?|customers?|members?|residents?|students?)\b"
    )),
    unless_document: None,
    message: "Asking for a birth date, age or graduation year lets age enter the decision; it is disfavoured and invites age claims.",
    citation: "29 CFR §1625.5; Gov. Code §12940(d)",
    suggestion: Some("Remove the request; verify age (for example 18+) only after an offer."),
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
                "Please include your date of birth.",
                "Résumés must list graduation year for all degrees.",
                "DOB required on the application.",
                "How old are you?",
            ],
        );
    }

    #[test]
    fn leaves_near_misses() {
        assert_leaves(
            &RULE,
            &[
                "Verify patient name and date of birth at check-in.",
                "We consider all applicants regardless of date of birth.",
                "Must be 18 or older.",
                "Graduation from an accredited program required.",
            ],
        );
    }
}

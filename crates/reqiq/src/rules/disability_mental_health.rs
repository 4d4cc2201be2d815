//! Excluding people with mental health conditions ("mentally stable", "no history of mental
//! illness").

use crate::rule::PhraseRule;
use crate::{Category, Severity};
use std::sync::OnceLock;

pub(crate) static RULE: PhraseRule = PhraseRule {
    id: "disability.mental_health",
    category: Category::Disability,
    severity: Severity::High,
    pattern: r"\bmentally (stable|sound|healthy|fit|well)\b|\bemotionally stable\b|\bno (history of )?(mental (illness|illnesses|health (issues|conditions|problems|history))|psychiatric (history|conditions?|treatment|illness)|depression|anxiety( disorder)?|ptsd|bipolar( disorder)?|schizophrenia)\b|\b(history of|treated for|diagnosed with) (mental health (conditions?|issues|problems)|mental illness|depression|anxiety|ptsd|bipolar|psychiatric conditions?)\b",
    unless: Some(concat!(
        crate::rule::eeo!(),
        "|",
        r"\b(clients|patients|residents|students|youth|veterans we serve|people we serve)\b"
    )),
    unless_document: None,
    message: "Mental health conditions are disabilities; an ad may not exclude people who have or had them.",
    citation: "Gov. Code §12926(j), §12940(a), (d); 42 U.S.C. §12112",
    suggestion: Some(
        "Describe the essential functions of the job (for example \"stay calm in crisis calls\").",
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
                "Must be mentally stable.",
                "No history of mental illness.",
                "Candidates with a history of mental health conditions need not apply.",
                "Applicants treated for depression will not be considered.",
            ],
        );
    }

    #[test]
    fn leaves_near_misses() {
        assert_leaves(
            &RULE,
            &[
                "Support clients living with depression and anxiety.",
                "Mental health counselor, LMFT or LCSW.",
            ],
        );
    }
}

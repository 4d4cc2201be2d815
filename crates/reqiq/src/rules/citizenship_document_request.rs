//! Demanding particular documents to prove work authorisation ("must show a U.S. passport", "bring
//! your green card").

use crate::rule::PhraseRule;
use crate::{Category, Severity};
use std::sync::OnceLock;

pub(crate) static RULE: PhraseRule = PhraseRule {
    id: "national_origin_citizenship.document_request",
    category: Category::NationalOriginCitizenship,
    severity: Severity::Medium,
    pattern: r"\b(must |required to |need to |please |you will |to )?(show|present|provide|bring|submit|have|hold) (a |an |your )?(valid )?(u\.?s\.? |american )?(passport|green card|permanent resident card|birth certificate|naturalization (papers|certificate)|social security card)\b|\b(passport|green card|birth certificate|social security card) (required|only|is required|must be shown)\b",
    unless: Some(
        r"\b(i-9|travel|travels|traveling|travelling|abroad|overseas|international|trips?)\b",
    ),
    unless_document: None,
    message: "Employers may not demand specific documents to prove work authorisation; new hires choose documents from the Form I-9 lists.",
    citation: "8 U.S.C. §1324b(a)(6)",
    suggestion: Some(
        "You will complete Form I-9 with documents of your choice from the lists of acceptable documents.",
    ),
    severity_for: Some(super::conditions::low_under_government_contract),
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
                "Must have a U.S. passport.",
                "Bring your green card to the interview.",
                "Birth certificate required.",
            ],
        );
    }

    #[test]
    fn leaves_near_misses() {
        assert_leaves(
            &RULE,
            &[
                "Valid passport required: the role travels abroad quarterly.",
                "You will complete Form I-9 on your first day; bring documents of your choice.",
            ],
        );
    }
}

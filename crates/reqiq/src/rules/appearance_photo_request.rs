//! Asking for a photo with the application ("send a recent headshot").

use crate::rule::PhraseRule;
use crate::{Category, Severity};
use std::sync::OnceLock;

pub(crate) static RULE: PhraseRule = PhraseRule {
    id: "race_color_appearance.photo_request",
    category: Category::RaceColorAppearance,
    severity: Severity::Medium,
    pattern: r"\b(send|include|attach|submit|upload|provide|email|text|share|dm|message)\b[^.;]{0,40}\b(photos?|photographs?|pictures?|headshots?|selfies?|full-?body (photos?|pictures?|shots?))\b|\b(photo|photograph|picture|headshot)s? (required|must be included|with (your )?application)\b",
    unless: Some(
        r"\b(model|modeling|modelling|actors?|actress(es)?|talent|casting|performers?|on-?camera|portfolio|badge|id (photo|badge)|first day|photographer|photography|product|products|listing|listings|property|properties)\b",
    ),
    unless_document: None,
    message: "A photo with an application reveals race, colour, sex and age before qualifications are considered.",
    citation: "Gov. Code §12940(d); 42 U.S.C. §2000e-3(b)",
    suggestion: Some("Remove the photo request."),
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
                "Photo required.",
                "Send a résumé and a recent headshot to apply.",
                "Please include a photo with your application.",
                "Attach a full-body photo.",
                "To apply, text us your résumé and a selfie.",
            ],
        );
    }

    #[test]
    fn leaves_near_misses() {
        assert_leaves(
            &RULE,
            &[
                "We take your badge photo on your first day.",
                "Upload product photos to our listings.",
                "Photographer: submit your portfolio.",
            ],
        );
    }
}

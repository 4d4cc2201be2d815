//! Hair and appearance rules, photo requests.

use crate::rule::PhraseRule;
use crate::{Category, Severity};
use std::sync::OnceLock;

pub(crate) static RULE: PhraseRule = PhraseRule {
    id: "race_color_appearance.hair_or_photo",
    category: Category::RaceColorAppearance,
    severity: Severity::High,
    pattern: r"\bno (dreadlocks|dreads|locs|braids|cornrows|twists|afros?|natural hair)\b|\b(dreadlocks|locs|braids|cornrows) (are )?not (allowed|permitted)\b|\b(send|include|attach|submit) (a |your )?(recent )?(photo|photograph|picture|headshot|selfie)\b|\b(fair|light)[- ]skinned\b|\b(attractive|good-looking|pleasing appearance)\b",
    unless: Some(r"\b(model|actor|actress|talent agency)\b"),
    message: "Hair-texture and protective-hairstyle bans (CROWN Act), photo requests and appearance preferences invite race and colour discrimination.",
    citation: "Gov. Code §12926 (CROWN Act, SB 188); Gov. Code §12940(d)",
    suggestion: Some(
        "Remove the photo request and hair rules; state a neutral, safety-based grooming policy if the job needs one (hair secured near machinery).",
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
                "No dreadlocks or braids.",
                "Please attach a recent photo.",
                "Attractive front-desk staff wanted.",
            ],
        );
    }

    #[test]
    fn leaves_near_misses_alone() {
        assert_leaves(
            &RULE,
            &[
                "Hair must be secured near rotating machinery.",
                "Photo ID is checked on the first day.",
            ],
        );
    }
}

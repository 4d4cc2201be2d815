//! Bans on hair textures and protective hairstyles ("no dreadlocks", "braids are not allowed"),
//! protected by the CROWN Act.

use crate::rule::PhraseRule;
use crate::{Category, Severity};
use std::sync::OnceLock;

pub(crate) static RULE: PhraseRule = PhraseRule {
    id: "race_color_appearance.hairstyle_ban",
    category: Category::RaceColorAppearance,
    severity: Severity::High,
    pattern: r"\bno (dreadlocks|dreads|locs|locks|braids|cornrows|twists|afros?|natural hair|bantu knots)\b|\b(dreadlocks|dreads|locs|braids|cornrows|twists|afros?)((, | and |, and | or |, or )(dreadlocks|dreads|locs|braids|cornrows|twists|afros?))*,? (are |is )?(not (allowed|permitted)|prohibited|banned|forbidden)\b|\b(natural|ethnic|unprofessional) hair(styles)? (is |are )?(not (allowed|permitted)|prohibited|banned)\b",
    unless: Some(
        r"\b(we (offer|do|specialize|style)|services?|stylists? (who|that|to)|clients?|menu)\b",
    ),
    unless_document: None,
    message: "Race includes traits such as hair texture and protective hairstyles (braids, locs, twists); banning them is race discrimination.",
    citation: "Gov. Code §12926 (CROWN Act, SB 188), §12940(a)",
    suggestion: Some("Hair must be secured for food safety (hairnets provided)."),
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
                "No dreadlocks.",
                "Braids or locs are not permitted.",
                "Dreads, braids and cornrows are prohibited.",
            ],
        );
    }

    #[test]
    fn leaves_near_misses() {
        assert_leaves(
            &RULE,
            &[
                "Our salon offers braids and locs services.",
                "Hair must be tied back; hairnets provided.",
            ],
        );
    }
}

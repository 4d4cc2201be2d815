//! Banning religious dress ("no headscarves", "turbans, hijabs and yarmulkes are not permitted").

use crate::rule::PhraseRule;
use crate::{Category, Severity};
use std::sync::OnceLock;

pub(crate) static RULE: PhraseRule = PhraseRule {
    id: "religion.dress_ban",
    category: Category::Religion,
    severity: Severity::High,
    pattern: r"\b(no|not|bans?|banned|prohibits?|prohibited) (\w+,? (or|and) )?(religious )?(head ?scarves|headscarfs|head ?coverings|hijabs?|turbans?|yarmulkes?|kippahs?|kippot|niqabs?|burqas?|religious (dress|garb|attire|jewelry|symbols|head ?coverings))\b|\b(head ?scarves|head ?coverings|hijabs?|turbans?|yarmulkes?|kippahs?)((, | and |, and | or |, or )(head ?scarves|head ?coverings|hijabs?|turbans?|yarmulkes?|kippahs?))*,? (are |is )?(not (allowed|permitted)|prohibited|banned|forbidden)\b",
    unless: Some(
        r"\b(will|can|gladly|happy to) (be )?accommodat\w*|\breligious (accommodations?|exceptions?) (are|is|will be|can be) (available|made|granted|considered)\b",
    ),
    unless_document: None,
    message: "Religious dress and grooming are protected; a ban without accommodation is religious discrimination.",
    citation: "Gov. Code §12926(q), §12940(l); 42 U.S.C. §2000e(j)",
    suggestion: Some("State the dress code and add that religious accommodations are available."),
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
                "No headscarves at the front desk.",
                "No hats or headscarves of any kind.",
                "Turbans, hijabs and yarmulkes are not permitted.",
                "Hats and head coverings are prohibited, no exceptions.",
            ],
        );
    }

    #[test]
    fn leaves_near_misses() {
        assert_leaves(
            &RULE,
            &[
                "Hard hats required on site.",
                "Head coverings: religious accommodations are available.",
            ],
        );
    }
}

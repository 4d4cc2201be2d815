//! Religious preferences and bans on religious dress.

use crate::rule::PhraseRule;
use crate::{Category, Severity};
use std::sync::OnceLock;

pub(crate) static RULE: PhraseRule = PhraseRule {
    id: "religion.preference",
    category: Category::Religion,
    severity: Severity::High,
    pattern: r"\b(christians?|muslims?|jewish|jews|hindus?|catholics?|protestants?|mormons?|atheists?|church-?going|born-?again|god-?fearing) (only|preferred|candidates?|applicants?|individuals?|person|environment required)\b|\bmust (be|share) (a |our )?(christian|muslim|jewish|catholic|religious|faith)\b|\b(no|not) (religious )?(head ?scarves|hijabs?|turbans?|yarmulkes?|religious (dress|garb|attire))\b",
    unless: Some(r"\b(religious (organization|corporation|institution)|ministry|exempt)\b"),
    message: "A religious preference, or a ban on religious dress, discriminates by religious creed (which includes religious dress and grooming).",
    citation: "Gov. Code §12940(d), §12926 (religious creed); 42 U.S.C. §2000e-3(b)",
    suggestion: Some(
        "Remove the religious preference; state a neutral dress code with religious accommodation.",
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
                "Christian candidates preferred.",
                "Must share our faith.",
                "No head scarves or turbans on the floor.",
            ],
        );
    }

    #[test]
    fn leaves_near_misses_alone() {
        assert_leaves(
            &RULE,
            &[
                "Christmas week is a paid holiday.",
                "Religious accommodation available on request.",
                "Youth ministry leader (religious organization; exempt).",
            ],
        );
    }
}

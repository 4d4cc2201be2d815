//! A preference for (or against) a religion: "Christian candidates preferred", "atheists need not
//! apply".

use crate::rule::PhraseRule;
use crate::{Category, Severity};
use std::sync::OnceLock;

pub(crate) static RULE: PhraseRule = PhraseRule {
    id: "religion.preference",
    category: Category::Religion,
    severity: Severity::High,
    pattern: r"\b(christians?|muslims?|jewish|jews|hindus?|sikhs?|buddhists?|catholics?|protestants?|mormons?|atheists?|agnostics?|church-?going|born-?again|god-?fearing|bible-?believing|spirit-?filled|believers|non-?believers|people of faith) (only|preferred|candidates?|applicants?|individuals?|persons?|people|employees|staff|workers|environment required|need not apply|will not be considered)\b|\bshares? our (christian|religious|catholic|jewish|muslim|biblical|faith-based)( values| faith| beliefs)\b|\bmust (be|share) (a |an |our )?(christian|muslim|jewish|catholic|religious|faith|believer|beliefs)\b|\b(atheists?|agnostics?|non-?believers|muslims?|jews|christians?|hindus?|sikhs?) need not apply\b",
    unless: Some(concat!(
        crate::rule::eeo!(),
        "|",
        r"\b(religious (organization|corporation|institution|school)|ministry|exempt|church (staff|position))\b"
    )),
    unless_document: None,
    message: "Stating a religious preference in a job ad is unlawful for employers other than religious organisations.",
    citation: "Gov. Code §12940(d); 42 U.S.C. §2000e-3(b)",
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
                "Christian employees preferred.",
                "Christian candidates preferred.",
                "Atheists need not apply.",
                "Bible-believing applicants only.",
                "Must share our Christian faith.",
                "The ideal candidate shares our Christian values.",
            ],
        );
    }

    #[test]
    fn leaves_near_misses() {
        assert_leaves(
            &RULE,
            &[
                "We do not discriminate on the basis of religion; Christians, Jews and Muslims alike.",
                "Pastor position at our ministry; must share our Christian faith.",
            ],
        );
    }
}

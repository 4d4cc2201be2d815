//! A preference for one sex: "female receptionist preferred", "men only", "looking for a lady
//! bookkeeper".

use crate::rule::PhraseRule;
use crate::{Category, Severity};
use std::sync::OnceLock;

pub(crate) static RULE: PhraseRule = PhraseRule {
    id: "sex_gender.sex_preference",
    category: Category::SexGender,
    severity: Severity::High,
    pattern: r"\b(male|female|men|women|man|woman|lady|ladies|gentlemen|gentleman|guys?|gals?|girls?|boys?)( or (male|female|men|women))? (only|preferred|candidates?|applicants?|receptionists?|bookkeepers?|assistants?|nannies?|drivers?|workers?|staff|servers?|bartenders?|cashiers?|secretar(y|ies)|needed|wanted|required)\b|\b(looking for|seeking|prefer|prefers|hiring|want|wants|need|needs) (a |an |two |some )?(\w+ ){0,3}(male|female|man|woman|lady|girl|guy|gentleman|men|women|ladies|girls|guys)\b|\bno (women|men|females|males|ladies|girls|moms|mothers|dads|fathers)\b|\b(men|women|males|females) (are )?(better suited|preferred)\b|\bmust be (a )?(female|male|woman|man|lady)\b",
    unless: Some(concat!(
        crate::rule::eeo!(),
        "|",
        r"\b(men and women|women and men|male or female|female or male|all genders|any gender)\b|\b(women|woman|minority)[- ]owned\b|\b(men's|women's|ladies') (clothing|apparel|shelter|health|soccer|team|department)\b|\bencourag\w*|\bwelcome\w*\b|\bhear from\b|\b(men's|women's|womens|mens)\b|\bman (the|a|our|your)\b"
    )),
    unless_document: None,
    message: "Stating a preference for one sex in a job ad is unlawful unless sex is a bona fide occupational qualification, which is very rare.",
    citation: "Gov. Code §12940(d); 42 U.S.C. §2000e-3(b)",
    suggestion: Some("Describe the work and the qualifications; welcome all applicants."),
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
                "Must be female.",
                "Female receptionist preferred.",
                "Men only for this heavy work.",
                "Looking for a lady bookkeeper.",
                "Looking for a couple of strong guys to join our moving crew.",
                "Looking for a straight male house manager.",
                "No moms with young kids.",
            ],
        );
    }

    #[test]
    fn leaves_near_misses() {
        assert_leaves(
            &RULE,
            &[
                "We need someone who can man the front desk.",
                "Hiring an Assistant Coach for Women's Volleyball.",
                "Women candidates are strongly encouraged to apply.",
                "We especially want to hear from women and people of color.",
                "We are an equal opportunity employer and do not discriminate on the basis of sex.",
                "Women-owned business since 1998.",
                "Staff our men's clothing department.",
                "Human resources generalist.",
                "Hiring men and women for the night crew.",
            ],
        );
    }
}

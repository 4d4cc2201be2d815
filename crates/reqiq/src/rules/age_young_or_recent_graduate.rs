//! A preference for young applicants: "recent college graduate", "young and energetic", "college
//! students", "class of 2024".

use crate::rule::PhraseRule;
use crate::{Category, Severity};
use std::sync::OnceLock;

pub(crate) static RULE: PhraseRule = PhraseRule {
    id: "age.youth_preference",
    category: Category::Age,
    severity: Severity::High,
    pattern: r"\brecent (college |university |high school )?grad(uate)?s?\b|\b(young|youthful),?( and)? (energetic|dynamic|hungry|fresh|vibrant|team members?|person|persons|candidates?|applicants?|professionals?|talent|workers?|staff|men|women|guys|gals|blood|face|faces)\b|\btwenty-?somethings\b|\b(young|youthful),? ([0-9a-z_-]+,? (and )?){1,2}(team|crew|staff|people|candidates?|workers?|professionals?|talent|drivers|servers|go-getters)\b|\bcollege students?\b|\bclass of (19|20)\d\d\b|\bnew grads?\b|\bjust out of (college|school|university)\b",
    unless: Some(
        r"\b(serve|serving|mentor|mentoring|teach|teaching|tutor|tutoring|coach|coaching|supervise|supervising|advise|advising|support|supporting|counsel|counseling|help|helping|work with|working with|recruit|recruiting)\b[^.]{0,30}\b(young|students|graduates|grads)\b|\byoung (customers|clients|participants|patients|campers|audiences?|readers|athletes)\b",
    ),
    unless_document: None,
    message: "A preference for young applicants or recent graduates discourages older applicants; ads may not state an age preference.",
    citation: "29 CFR §1625.4(a); Gov. Code §12940(d); 29 U.S.C. §623(e)",
    suggestion: Some(
        "Describe the skills and experience needed (\"entry-level; 0+ years of experience welcome\").",
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
                "Recent college graduates preferred.",
                "Join our young and energetic team!",
                "College students welcome to apply as our ideal hire.",
                "Class of 2024 grads wanted",
                "Ideal for new grads.",
                "Young professionals wanted.",
                "We want young, energetic people to run pizzas.",
                "We are a young, scrappy team.",
                "We are looking for a young, energetic Site Safety Coordinator.",
                "A young and energetic team member to help customers pick boards.",
            ],
        );
    }

    #[test]
    fn leaves_near_misses() {
        assert_leaves(
            &RULE,
            &[
                "A shelter supporting young women experiencing homelessness.",
                "Advise students and recent graduates on careers.",
                "Supervise college students in the summer program.",
                "Run our after-school program for young people ages 12-18.",
                "Entry level: 0+ years of experience.",
                "Tutor college students in statistics.",
                "Graduate degree preferred.",
            ],
        );
    }
}

//! The balance of masculine- and feminine-coded words (Gaucher, Friesen & Kay 2011), as
//! information: heavily masculine-coded ads draw fewer women applicants. Words are coded when they
//! start with a stem from `data/gendered-wording.json`; known false friends are not counted.

use crate::rule::{Rule, finding_at};
use crate::{Category, Document, Fields, Finding, Severity};
use regex::Regex;
use serde::Deserialize;
use std::sync::LazyLock;

const ID: &str = "gender_coded_wording.balance";
const CITATION: &str = "Gaucher, Friesen & Kay (2011), J. Pers. Soc. Psychol. 101(1):109–128";

#[derive(Deserialize)]
struct Lexicon {
    feminine_coded_stems: Vec<String>,
    masculine_coded_stems: Vec<String>,
}

/// Words starting with a masculine-coded stem, and with a feminine-coded one: one expression per
/// side, so the text is scanned twice rather than every word compared with every stem.
static CODED: LazyLock<Option<(Regex, Regex)>> = LazyLock::new(|| {
    let lexicon: Lexicon =
        serde_json::from_str(include_str!("../../data/gendered-wording.json")).ok()?;
    let side = |stems: &[String]| {
        let alternatives: Vec<String> = stems.iter().map(|s| regex::escape(s)).collect();
        crate::rule::rule_regex(&format!(r"\b(?:{})[a-z'-]*", alternatives.join("|"))).ok()
    };
    Some((
        side(&lexicon.masculine_coded_stems)?,
        side(&lexicon.feminine_coded_stems)?,
    ))
});

/// The word after byte `at` (letters only), if any.
fn next_word(text: &str, at: usize) -> Option<&str> {
    let rest = text.get(at..)?.trim_start_matches([' ', ',', '-']);
    let end = rest
        .find(|c: char| !c.is_ascii_lowercase())
        .unwrap_or(rest.len());
    (end > 0).then(|| &rest[..end])
}

/// Words a stem matches that do not carry its coding ("responsibilities" is not "responsive";
/// "lead time", "lead paint" and "lead abatement" are about the metal or logistics, not leading;
/// "analyst" is a job title, "decision" a noun in "decision-making" processes; "principles" of
/// engineering; "force" in "workforce"-like compounds is never a prefix match).
fn false_friend(word: &str, next: Option<&str>) -> bool {
    match word {
        w if w.starts_with("respons") => true,
        "lead" => matches!(
            next,
            Some("time" | "times" | "paint" | "abatement" | "pipe" | "pipes" | "exposure" | "safe")
        ),
        w if w.starts_with("analyst") => true,
        "principles" | "principle" => true,
        "individuals" | "individual" => true,
        "active" => matches!(next, Some("directory" | "listening")),
        _ => false,
    }
}

pub(crate) struct GenderedWording;

impl Rule for GenderedWording {
    fn id(&self) -> &'static str {
        ID
    }

    fn category(&self) -> Category {
        Category::GenderCodedWording
    }

    fn citation(&self) -> &'static str {
        CITATION
    }

    fn description(&self) -> &'static str {
        "The balance of masculine- and feminine-coded words (Gaucher, Friesen & Kay 2011), reported as information when one side has at least three more; known false friends are not counted."
    }

    fn severity(&self) -> Severity {
        Severity::Info
    }

    fn check(&self, doc: &Document<'_>, _: &Fields, out: &mut Vec<Finding>) {
        let Some((masculine_words, feminine_words)) = &*CODED else {
            return;
        };
        let text = doc.text();
        let coded = |re: &Regex| -> Vec<regex::Match<'_>> {
            re.find_iter(text)
                .filter(|m| !false_friend(m.as_str(), next_word(text, m.end())))
                .collect()
        };
        let (masculine, feminine) = (coded(masculine_words), coded(feminine_words));
        let (dominant, other, side) = if masculine.len() > feminine.len() {
            (&masculine, &feminine, "masculine")
        } else if feminine.len() > masculine.len() {
            (&feminine, &masculine, "feminine")
        } else {
            return;
        };
        // Only a clear lean is worth saying: at least three more on one side.
        if dominant.len() < other.len() + 3 {
            return;
        }
        let Some(first) = dominant.first() else {
            return;
        };
        let listed: Vec<&str> = dominant.iter().map(|m| m.as_str()).collect();
        out.push(finding_at(
            doc,
            first.range(),
            (ID, Category::GenderCodedWording, Severity::Info, CITATION),
            &format!(
                "The wording leans {side}-coded ({} {side}-coded words: {}; {} of the other). Research links strongly gender-coded ads to fewer applicants of the other gender.",
                dominant.len(),
                listed.join(", "),
                other.len()
            ),
            Some("Balance the wording: describe the work and the team (\"collaborate\", \"support\", \"build\") as well as drive and leadership."),
        ));
    }
}

#[cfg(test)]
mod tests {
    use super::GenderedWording;
    use crate::rule::found;
    use crate::{Fields, Severity};

    #[test]
    fn a_strongly_masculine_ad_is_reported_as_information() {
        let text = "We want an aggressive, competitive, dominant and fearless rock star who is driven and ambitious.";
        let hits = found(&GenderedWording, text, &Fields::default());
        assert_eq!(hits.len(), 1);
        assert_eq!(hits[0].1, Severity::Info);
        assert_eq!(hits[0].0, "aggressive");
    }

    #[test]
    fn false_friends_and_balanced_wording_are_not_counted() {
        for text in [
            "Responsibilities: lead time planning, lead paint abatement, analyst reports, engineering principles.",
            "A collaborative, supportive team that values a competitive, driven and committed approach.",
        ] {
            assert!(
                found(&GenderedWording, text, &Fields::default()).is_empty(),
                "{text}"
            );
        }
    }
}

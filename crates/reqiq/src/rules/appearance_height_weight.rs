//! Height and weight requirements: protected outright in some places (Michigan, New York City, San
//! Francisco, Santa Cruz); elsewhere a low concern because they screen out women
//! and some national origins.

use crate::rule::PhraseRule;
use crate::{Category, Fields, Severity};
use std::sync::OnceLock;

/// Height and weight are protected where these places make them so; elsewhere the concern is
/// lower (they can screen out women and some national origins).
fn severity(fields: &Fields, default: Severity) -> Option<Severity> {
    let city = fields
        .work_city
        .as_deref()
        .unwrap_or_default()
        .trim()
        .to_ascii_lowercase();
    let state = fields.state();
    // San Francisco and Santa Cruz (California), New York City, and Michigan statewide.
    let protected = match state.as_deref() {
        Some("MI") => true,
        Some("NY") => matches!(city.as_str(), "new york" | "new york city" | "nyc"),
        Some("CA") | None => matches!(city.as_str(), "san francisco" | "santa cruz"),
        _ => false,
    };
    Some(if protected { default } else { Severity::Low })
}

pub(crate) static RULE: PhraseRule = PhraseRule {
    id: "race_color_appearance.height_weight",
    category: Category::RaceColorAppearance,
    severity: Severity::Medium,
    pattern: r#"\b(height|weight) (requirements?|limits?|restrictions?|minimums?|maximums?|standards?)\b|\b(must|should) (weigh|be) (under|over|less than|no more than|at least|more than) \d+ ?(lbs?|pounds|kg)\b|\b(must|should) be (at least )?\d ?(feet|ft|foot|')( ?\d+ ?(inches|in|"))? ?(tall|or taller)\b"#,
    unless: Some(
        r"\b(lift|lifting|carry|carrying|load|loads|package|packages|payload|capacity|boxes)\b",
    ),
    unless_document: None,
    message: "Height and weight requirements screen out women and some national origins, and are unlawful outright in some cities and states, unless the job truly needs them.",
    citation: "Mich. Comp. Laws §37.2202; N.Y.C. Admin. Code §8-107 (Local Law 61 of 2023); San Francisco and Santa Cruz ordinances (verify)",
    suggestion: Some("Describe the physical task the job needs instead."),
    severity_for: Some(severity),
    compiled: OnceLock::new(),
};

#[cfg(test)]
mod tests {
    use super::RULE;
    use crate::rule::found;
    use crate::rule::{assert_flags, assert_leaves};
    use crate::{Fields, Severity};

    #[test]
    fn flags() {
        assert_flags(
            &RULE,
            &[
                "Height requirement: 5'8\" minimum.",
                "Must weigh under 200 lbs.",
                "Must be at least 5 ft 6 in tall.",
            ],
        );
    }

    #[test]
    fn leaves_near_misses() {
        assert_leaves(
            &RULE,
            &[
                "Must lift at least 50 lbs.",
                "Package weight limits for the carrier are 70 lbs.",
            ],
        );
    }

    #[test]
    fn protected_places_raise_it() {
        let sf = Fields {
            work_city: Some("San Francisco".into()),
            ..Fields::default()
        };
        assert_eq!(
            found(&RULE, "Weight limit: 180 lbs.", &sf)[0].1,
            Severity::Medium
        );
        assert_eq!(
            found(&RULE, "Weight limit: 180 lbs.", &Fields::default())[0].1,
            Severity::Low
        );
        let madison_wi = Fields {
            work_state: Some("WI".into()),
            work_city: Some("Madison".into()),
            ..Fields::default()
        };
        assert_eq!(
            found(&RULE, "Weight limit: 180 lbs.", &madison_wi)[0].1,
            Severity::Low
        );
    }
}

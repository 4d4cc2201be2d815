//! A driver's licence requirement where the text shows no driving duty (SB 1100).

use crate::rule::{Rule, finding_at};
use crate::{Category, Document, Fields, Finding, Severity};
use regex::Regex;
use std::sync::LazyLock;

const ID: &str = "drivers_license.required_without_driving";
const CITATION: &str = "Gov. Code §12940 as amended by SB 1100 (eff. 2025-01-01)";

static REQUIREMENT: LazyLock<Option<Regex>> = LazyLock::new(|| {
    crate::rule::rule_regex(r"\b(valid |current )?driver'?s'? licen[cs]es?\b|\bdriving licen[cs]es?\b|\b(valid )?dl (required|needed|a must)\b").ok()
});

/// Duties that make driving a reasonably expected function of the job.
static DRIVING_DUTY: LazyLock<Option<Regex>> = LazyLock::new(|| {
    crate::rule::rule_regex(r"\b(drives?|driving|deliver(s|ing)? (packages|goods|parts|supplies|orders|food|products|equipment|materials|meals|pizzas?)|deliver(y|ies) (driver|route|van|truck|vehicle)s?|deliveries|(delivery|sales|service|bus|driving) routes?|fleet|company (truck|vehicle|van)|forklift|cdl|chauffeur|between (job )?sites|to (job |customer |client )?sites|travel to (customer|client)s?|operate (a |the )?(vehicle|truck|van)|vehicles|valet|shuttle|transport (patients|clients|residents|passengers))\b").ok()
});

/// A licence named as one of the identity documents new hires may choose (Form I-9), or said
/// not to be needed: not a requirement.
static IDENTITY_DOCUMENT: LazyLock<Option<Regex>> = LazyLock::new(|| {
    crate::rule::rule_regex(r"\bi-9\b|\b(identity|acceptable) documents?\b|\bstate id\b|\b(no|not) (\w+ ){0,3}(needed|required|necessary)\b|\bno (driver|driving)").ok()
});

pub(crate) struct DriversLicenseRequired;

impl Rule for DriversLicenseRequired {
    fn id(&self) -> &'static str {
        ID
    }

    fn category(&self) -> Category {
        Category::DriversLicense
    }

    fn citation(&self) -> &'static str {
        CITATION
    }

    fn description(&self) -> &'static str {
        "A driver's licence requirement in a California posting that shows no driving duty (SB 1100); licences named as identity documents are not requirements."
    }

    fn severity(&self) -> Severity {
        Severity::Medium
    }

    fn check(&self, doc: &Document<'_>, fields: &Fields, out: &mut Vec<Finding>) {
        // SB 1100 is California law: work elsewhere (and not remote) is outside it.
        if fields.state().is_some() && !fields.california_reach() {
            return;
        }
        let (Some(requirement), Some(duty), Some(identity)) =
            (&*REQUIREMENT, &*DRIVING_DUTY, &*IDENTITY_DOCUMENT)
        else {
            return;
        };
        let text = doc.text();
        if !requirement.is_match(text) {
            return;
        }
        // A duty anywhere in the posting (not counting the licence phrase itself) answers it.
        let stripped = requirement.replace_all(text, " ");
        if duty.is_match(&stripped) {
            return;
        }
        for m in requirement.find_iter(text) {
            if identity.is_match(&text[doc.sentence(m.start())]) {
                continue;
            }
            out.push(finding_at(
                doc,
                m.range(),
                (ID, Category::DriversLicense, Severity::Medium, CITATION),
                "A driver's licence may be required only when driving is a reasonably expected function of the job and other transport would not be comparable in time or cost; the posting shows no driving duty.",
                Some("Remove the licence requirement, or say why the job involves driving (for example \"drives between job sites daily\")."),
            ));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::DriversLicenseRequired;
    use crate::Fields;
    use crate::rule::found;

    #[test]
    fn flags_a_licence_with_no_driving_duty() {
        let hits = found(
            &DriversLicenseRequired,
            "Office coordinator. Valid driver's license required.",
            &Fields::default(),
        );
        assert_eq!(hits.len(), 1);
        assert_eq!(hits[0].0, "Valid driver's license");
    }

    #[test]
    fn leaves_a_licence_alone_when_the_role_drives() {
        for text in [
            "Licence required: the role drives between sites daily. Valid driver's licence.",
            "Deliver parts to customers; valid driver's license required.",
        ] {
            assert!(
                found(&DriversLicenseRequired, text, &Fields::default()).is_empty(),
                "{text}"
            );
        }
    }

    #[test]
    fn applies_in_california_remote_or_unknown_places_only() {
        let at = |state: &str| Fields {
            work_state: Some(state.into()),
            ..Fields::default()
        };
        let text = "Receptionist. DL required.";
        assert_eq!(
            found(&DriversLicenseRequired, text, &Fields::default()).len(),
            1
        );
        assert_eq!(found(&DriversLicenseRequired, text, &at("CA")).len(), 1);
        assert!(found(&DriversLicenseRequired, text, &at("TX")).is_empty());
        let i9 = "Office role. For Form I-9, bring a driver's license or state ID and a Social Security card.";
        assert!(
            found(
                &DriversLicenseRequired,
                "Data entry. No driver's license needed.",
                &at("CA")
            )
            .is_empty()
        );
        assert_eq!(
            found(&DriversLicenseRequired, "Route calls to agents and deliver features on time. Valid driver's license required.", &at("CA")).len(),
            1
        );
        assert!(found(&DriversLicenseRequired, i9, &at("CA")).is_empty());
    }
}

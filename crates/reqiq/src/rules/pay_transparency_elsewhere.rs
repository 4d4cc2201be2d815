//! No pay range in a posting for work in another jurisdiction with a pay-transparency law (the
//! table in `pay_laws.rs`): one finding per law that covers the posting on the rule pack's date.

use super::pay_laws::PAY_LAWS;
use super::pay_range::missing_range;
use crate::rule::{Rule, finding_at};
use crate::{Category, Document, Fields, Finding, RULE_PACK_DATE, Severity};

const ID: &str = "pay_transparency.other_jurisdiction";
const CITATION: &str = "state and city pay-transparency laws (see each finding)";

pub(crate) struct PayTransparencyElsewhere;

impl Rule for PayTransparencyElsewhere {
    fn id(&self) -> &'static str {
        ID
    }

    fn category(&self) -> Category {
        Category::PayTransparency
    }

    fn citation(&self) -> &'static str {
        CITATION
    }

    fn description(&self) -> &'static str {
        "Colorado, Washington, New York State and City, Illinois, Minnesota, Massachusetts, Maryland, Hawaii, Vermont, New Jersey and the District of Columbia require a pay range in postings for covered employers (size thresholds and dates in the table below); flagged when neither the text nor the fields give one."
    }

    fn severity(&self) -> Severity {
        Severity::High
    }

    fn check(&self, doc: &Document<'_>, fields: &Fields, out: &mut Vec<Finding>) {
        let mut laws = PAY_LAWS
            .iter()
            .filter(|law| law.covers(fields, RULE_PACK_DATE))
            .peekable();
        if laws.peek().is_none() {
            return;
        }
        let Some(at) = missing_range(doc, fields) else {
            return;
        };
        for law in laws {
            let mut finding = finding_at(
                doc,
                at.clone(),
                (ID, Category::PayTransparency, Severity::High, law.citation),
                &format!(
                    "{} requires employers with {} or more employees to state the pay range in job postings (in force since {}); it also asks for {}.",
                    law.name, law.min_employees, law.effective, law.also
                ),
                Some(
                    "Pay range: $X–$Y per year (or per hour), with a general description of benefits.",
                ),
            );
            finding.citation = std::borrow::Cow::Borrowed(law.citation);
            out.push(finding);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::PayTransparencyElsewhere;
    use crate::rule::found;
    use crate::{Document, Fields, Rule};

    fn fields(state: &str, city: Option<&str>, employees: u32) -> Fields {
        Fields {
            work_state: Some(state.into()),
            work_city: city.map(str::to_owned),
            employees_total: Some(employees),
            ..Fields::default()
        }
    }

    #[test]
    fn a_covered_posting_without_a_range_is_flagged_once_per_law_with_its_citation() {
        let doc = Document::new("Line cook. Pay: up to $30/hour.");
        let mut out = Vec::new();
        PayTransparencyElsewhere.check(&doc, &fields("NY", Some("Queens"), 20), &mut out);
        let citations: Vec<&str> = out.iter().map(|f| f.citation.as_ref()).collect();
        assert_eq!(
            citations,
            ["N.Y. Lab. Law §194-b", "N.Y.C. Admin. Code §8-107(32)"]
        );
        assert_eq!(out[0].excerpt, "up to $30");
        assert_eq!(
            found(
                &PayTransparencyElsewhere,
                "Competitive pay.",
                &fields("CO", None, 3)
            )
            .len(),
            1
        );
    }

    #[test]
    fn a_range_a_small_employer_or_another_state_is_fine() {
        for (text, f) in [
            ("Pay: $24–$29 per hour.", fields("WA", None, 50)),
            ("Competitive pay.", fields("MN", None, 29)),
            ("Competitive pay.", fields("TX", None, 900)),
            ("Competitive pay.", fields("CA", None, 900)),
        ] {
            assert!(
                found(&PayTransparencyElsewhere, text, &f).is_empty(),
                "{text}"
            );
        }
    }
}

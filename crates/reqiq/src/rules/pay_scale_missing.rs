//! No pay scale in a posting for an employer California's pay-transparency law covers.

use super::pay_range::missing_range;
use crate::rule::{Rule, finding_at};
use crate::{Category, Document, Fields, Finding, Severity};

const ID: &str = "pay_transparency.missing_pay_scale";
const CITATION: &str = "Cal. Lab. Code §432.3(c)(3) (SB 1162; SB 642)";
/// Employers with this many employees or more must include a pay scale.
const THRESHOLD: u32 = 15;

pub(crate) struct PayScaleMissing;

impl Rule for PayScaleMissing {
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
        "California employers with 15 or more employees must include the pay scale in every job posting, including remote roles that could be filled in California (when the employer has someone there); flagged when neither the text nor the fields give a range."
    }

    fn severity(&self) -> Severity {
        Severity::High
    }

    fn check(&self, doc: &Document<'_>, fields: &Fields, out: &mut Vec<Finding>) {
        // A remote role reaches California only through an employer with someone there: the
        // fields say so when the work state is California and no employee is in it.
        let remote_without_californians = fields.remote == Some(true)
            && fields.state().as_deref() == Some("CA")
            && fields.employees_in_state == Some(0);
        let covered = fields.california_reach()
            && !remote_without_californians
            && fields.employees_total.is_some_and(|n| n >= THRESHOLD);
        if !covered {
            return;
        }
        let Some(at) = missing_range(doc, fields) else {
            return;
        };
        out.push(finding_at(
            doc,
            at,
            (ID, Category::PayTransparency, Severity::High, CITATION),
            "California employers with 15 or more employees must include the pay scale (the range they reasonably expect to pay) in every job posting, including remote roles that could be filled in California.",
            Some("Pay range: $X–$Y per year (or per hour), plus any bonus or commission."),
        ));
    }
}

#[cfg(test)]
mod tests {
    use super::PayScaleMissing;
    use crate::rule::found;
    use crate::{Fields, Severity};

    fn ca(employees: u32) -> Fields {
        Fields {
            work_state: Some("CA".into()),
            employees_total: Some(employees),
            ..Fields::default()
        }
    }

    #[test]
    fn a_covered_employer_without_a_range_is_flagged_at_the_vague_wording() {
        let hits = found(
            &PayScaleMissing,
            "Great role. Competitive salary and benefits.",
            &ca(40),
        );
        assert_eq!(
            hits,
            vec![("Competitive salary".to_owned(), Severity::High)]
        );
        let remote = Fields {
            remote: Some(true),
            employees_total: Some(200),
            ..Fields::default()
        };
        assert_eq!(
            found(&PayScaleMissing, "Remote. Pay DOE.", &remote).len(),
            1
        );
    }

    #[test]
    fn a_range_in_the_text_or_fields_or_a_small_employer_is_fine() {
        assert!(
            found(
                &PayScaleMissing,
                "Competitive salary $70,000–$85,000 per year.",
                &ca(40)
            )
            .is_empty()
        );
        assert!(found(&PayScaleMissing, "$25 to $32/hour.", &ca(40)).is_empty());
        let with_fields = Fields {
            pay_min: Some(70_000.0),
            pay_max: Some(85_000.0),
            ..ca(40)
        };
        assert!(found(&PayScaleMissing, "Competitive salary.", &with_fields).is_empty());
        assert!(found(&PayScaleMissing, "Competitive salary.", &ca(12)).is_empty());
        let texas = Fields {
            work_state: Some("TX".into()),
            employees_total: Some(500),
            ..Fields::default()
        };
        assert!(found(&PayScaleMissing, "Competitive salary.", &texas).is_empty());
    }

    #[test]
    fn a_remote_role_needs_an_employer_with_someone_in_california() {
        let remote = |in_california| Fields {
            remote: Some(true),
            employees_in_state: in_california,
            ..ca(60)
        };
        assert!(found(&PayScaleMissing, "Remote. Pay DOE.", &remote(Some(0))).is_empty());
        assert_eq!(
            found(&PayScaleMissing, "Remote. Pay DOE.", &remote(Some(3))).len(),
            1
        );
        assert_eq!(
            found(&PayScaleMissing, "Remote. Pay DOE.", &remote(None)).len(),
            1
        );
        // On site in California, the hire is there: the rule applies whoever is there today.
        let on_site = Fields {
            employees_in_state: Some(0),
            ..ca(60)
        };
        assert_eq!(found(&PayScaleMissing, "Pay DOE.", &on_site).len(), 1);
    }
}

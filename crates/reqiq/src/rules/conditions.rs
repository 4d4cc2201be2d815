//! Facts from the fields that change several rules' answer, shared by those rules.

use crate::{Fields, Severity};

/// The building and construction trades are exempt from California's cannabis rules: there the
/// concern is only information.
pub(crate) fn construction_trades_exempt(fields: &Fields, default: Severity) -> Option<Severity> {
    Some(if fields.construction_trade == Some(true) {
        Severity::Info
    } else {
        default
    })
}

/// Citizenship and document requirements may be lawful under a government contract: there the
/// concern is only low.
pub(crate) fn low_under_government_contract(
    fields: &Fields,
    default: Severity,
) -> Option<Severity> {
    Some(if fields.government_contract == Some(true) {
        Severity::Low
    } else {
        default
    })
}

/// Unpaid internships and volunteering are lawful at a nonprofit; there the rule does not apply.
pub(crate) fn not_at_a_nonprofit(fields: &Fields, default: Severity) -> Option<Severity> {
    (fields.nonprofit != Some(true)).then_some(default)
}

#[cfg(test)]
mod tests {
    use crate::rule::{PhraseRule, found};
    use crate::{Fields, Severity};

    #[test]
    fn the_cannabis_rules_give_the_construction_trades_information_only() {
        let trade = Fields {
            construction_trade: Some(true),
            ..Fields::default()
        };
        let rules: [(&PhraseRule, &str); 3] = [
            (&super::super::cannabis_use::RULE, "No marijuana users."),
            (
                &super::super::cannabis_metabolite_test::RULE,
                "Must pass a 10-panel urine drug test, including THC metabolites.",
            ),
            (
                &super::super::cannabis_use_question::RULE,
                "Have you used cannabis in the past year?",
            ),
        ];
        for (rule, text) in rules {
            let default = found(rule, text, &Fields::default());
            assert_eq!(default[0].1, rule.severity, "{text}");
            assert_eq!(found(rule, text, &trade)[0].1, Severity::Info, "{text}");
        }
    }

    #[test]
    fn citizenship_requirements_are_low_under_a_government_contract() {
        let contract = Fields {
            government_contract: Some(true),
            ..Fields::default()
        };
        let rules: [(&PhraseRule, &str); 2] = [
            (
                &super::super::citizenship_required::RULE,
                "Must be a U.S. citizen.",
            ),
            (
                &super::super::citizenship_document_request::RULE,
                "Must have a U.S. passport.",
            ),
        ];
        for (rule, text) in rules {
            assert_eq!(
                found(rule, text, &Fields::default())[0].1,
                rule.severity,
                "{text}"
            );
            assert_eq!(found(rule, text, &contract)[0].1, Severity::Low, "{text}");
        }
    }

    #[test]
    fn unpaid_work_rules_do_not_apply_at_a_nonprofit() {
        let nonprofit = Fields {
            nonprofit: Some(true),
            ..Fields::default()
        };
        let rules: [(&PhraseRule, &str); 2] = [
            (
                &super::super::unpaid_internship::RULE,
                "Unpaid internship in our design team.",
            ),
            (
                &super::super::unpaid_exposure_or_equity::RULE,
                "This is a volunteer position.",
            ),
        ];
        for (rule, text) in rules {
            assert_eq!(found(rule, text, &Fields::default()).len(), 1, "{text}");
            assert!(found(rule, text, &nonprofit).is_empty(), "{text}");
        }
    }
}

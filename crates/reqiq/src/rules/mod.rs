//! The rule catalogue. Each rule is one file with its tests; adding one means adding its file and
//! one line below. `pay_laws` (the other jurisdictions' pay-transparency table) and `pay_range`
//! (finding a stated range) are shared by the pay-transparency rules.

mod able_bodied;
mod age_birth_date_or_graduation;
mod age_coded_terms;
mod age_limit;
mod age_max_experience;
mod age_young_or_recent_graduate;
mod appearance_attractiveness;
mod appearance_grooming;
mod appearance_hair;
mod appearance_height_weight;
mod appearance_photo_request;
mod birthplace_or_ancestry;
mod cannabis_metabolite_test;
mod cannabis_use;
mod cannabis_use_question;
mod citizenship_document_request;
mod citizenship_required;
mod conditions;
mod credit_bankruptcy;
mod credit_check;
mod credit_score_minimum;
mod criminal_arrest_inquiry;
mod criminal_conviction_question;
mod criminal_history_exclusion;
mod criminal_pre_offer_check;
mod disability_addiction_recovery;
mod disability_mental_health;
mod disability_physical_requirements;
mod drivers_license_required;
mod english_only_policy;
mod family_pregnancy;
mod family_status_inquiry;
mod family_status_preference;
mod gender_identity;
mod gendered_job_titles;
mod gendered_pronoun;
mod gendered_wording;
mod language_accent;
mod medical_genetic_information;
mod medical_history_inquiry;
mod medical_injury_history;
mod military_reserve_guard;
mod native_speaker;
mod non_compete;
mod non_compete_post_employment;
mod non_compete_training_repayment;
mod pay_laws;
mod pay_range;
mod pay_scale_missing;
mod pay_transparency_elsewhere;
mod race_or_color_preference;
mod religion_dress_grooming;
mod religion_no_accommodation;
mod religion_preference;
mod religion_required_participation;
mod salary_current_pay;
mod salary_history_reliance;
mod salary_history_request;
mod salary_pay_records;
mod sex_preference;
mod sexual_orientation_inquiry;
mod sexual_orientation_preference;
mod unpaid_exposure_or_equity;
mod unpaid_internship;
mod unpaid_training;
mod unpaid_trial;
mod veteran_status;

use crate::rule::Rule;
pub(crate) use pay_laws::rows as pay_law_rows;
use regex::{RegexSet, RegexSetBuilder};
use std::sync::LazyLock;

/// Every phrase rule's expression in one set, so one pass over the text tells which rules can
/// match at all (the rest are skipped). The set's lazy DFA needs about 16 MiB of cache for this
/// catalogue; below that it thrashes and one pass costs more than all the rules.
static TRIGGERS: LazyLock<Option<(RegexSet, Vec<usize>)>> = LazyLock::new(|| {
    let (rules, patterns): (Vec<usize>, Vec<String>) = ALL
        .iter()
        .enumerate()
        .filter_map(|(index, rule)| rule.trigger().map(|p| (index, p)))
        .unzip();
    let set = RegexSetBuilder::new(patterns)
        .size_limit(64 << 20)
        .dfa_size_limit(32 << 20)
        .build()
        .ok()?;
    Some((set, rules))
});

/// For each rule in `ALL`, whether it can find anything in `text`.
pub(crate) fn may_match(text: &str) -> Vec<bool> {
    let Some((set, rules)) = &*TRIGGERS else {
        return vec![true; ALL.len()];
    };
    let mut may = vec![true; ALL.len()];
    for &rule in rules {
        may[rule] = false;
    }
    for matched in set.matches(text).iter() {
        may[rules[matched]] = true;
    }
    may
}

/// Every rule, by category in report order.
pub(crate) static ALL: &[&dyn Rule] = &[
    &pay_scale_missing::PayScaleMissing,
    &pay_transparency_elsewhere::PayTransparencyElsewhere,
    &salary_current_pay::RULE,
    &salary_history_reliance::RULE,
    &salary_history_request::RULE,
    &salary_pay_records::RULE,
    &criminal_arrest_inquiry::RULE,
    &criminal_conviction_question::RULE,
    &criminal_history_exclusion::RULE,
    &criminal_pre_offer_check::RULE,
    &age_birth_date_or_graduation::RULE,
    &age_coded_terms::RULE,
    &age_limit::RULE,
    &age_max_experience::RULE,
    &age_young_or_recent_graduate::RULE,
    &gender_identity::RULE,
    &gendered_job_titles::RULE,
    &gendered_pronoun::RULE,
    &sex_preference::RULE,
    &gendered_wording::GenderedWording,
    &birthplace_or_ancestry::RULE,
    &citizenship_document_request::RULE,
    &citizenship_required::RULE,
    &english_only_policy::RULE,
    &language_accent::RULE,
    &native_speaker::RULE,
    &able_bodied::RULE,
    &disability_addiction_recovery::RULE,
    &disability_mental_health::RULE,
    &disability_physical_requirements::RULE,
    &religion_dress_grooming::RULE,
    &religion_no_accommodation::RULE,
    &religion_preference::RULE,
    &religion_required_participation::RULE,
    &family_pregnancy::RULE,
    &family_status_inquiry::RULE,
    &family_status_preference::RULE,
    &cannabis_metabolite_test::RULE,
    &cannabis_use::RULE,
    &cannabis_use_question::RULE,
    &non_compete::RULE,
    &non_compete_post_employment::RULE,
    &non_compete_training_repayment::RULE,
    &appearance_attractiveness::RULE,
    &appearance_grooming::RULE,
    &appearance_hair::RULE,
    &appearance_height_weight::RULE,
    &appearance_photo_request::RULE,
    &race_or_color_preference::RULE,
    &medical_genetic_information::RULE,
    &medical_history_inquiry::RULE,
    &medical_injury_history::RULE,
    &military_reserve_guard::RULE,
    &veteran_status::RULE,
    &sexual_orientation_inquiry::RULE,
    &sexual_orientation_preference::RULE,
    &unpaid_exposure_or_equity::RULE,
    &unpaid_internship::RULE,
    &unpaid_training::RULE,
    &unpaid_trial::RULE,
    &credit_bankruptcy::RULE,
    &credit_check::RULE,
    &credit_score_minimum::RULE,
    &drivers_license_required::DriversLicenseRequired,
];

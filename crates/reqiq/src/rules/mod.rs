//! The rule catalogue. Each rule is one file with its tests; adding one means adding its file and
//! one line below.

mod able_bodied;
mod age_young_or_recent_graduate;
mod appearance_hair;
mod cannabis_use;
mod citizenship_required;
mod credit_check;
mod criminal_history_exclusion;
mod drivers_license_required;
mod family_status_preference;
mod gendered_job_titles;
mod gendered_wording;
mod medical_history_inquiry;
mod native_speaker;
mod non_compete;
mod pay_scale_missing;
mod religion_preference;
mod salary_history_request;
mod sexual_orientation_preference;
mod unpaid_trial;
mod veteran_status;

use crate::rule::Rule;

/// Every rule, in report order.
pub(crate) static ALL: &[&dyn Rule] = &[
    &pay_scale_missing::PayScaleMissing,
    &salary_history_request::RULE,
    &criminal_history_exclusion::RULE,
    &age_young_or_recent_graduate::RULE,
    &gendered_job_titles::RULE,
    &gendered_wording::GenderedWording,
    &citizenship_required::RULE,
    &native_speaker::RULE,
    &able_bodied::RULE,
    &cannabis_use::RULE,
    &non_compete::RULE,
    &religion_preference::RULE,
    &family_status_preference::RULE,
    &appearance_hair::RULE,
    &medical_history_inquiry::RULE,
    &veteran_status::RULE,
    &sexual_orientation_preference::RULE,
    &unpaid_trial::RULE,
    &credit_check::RULE,
    &drivers_license_required::DriversLicenseRequired,
];

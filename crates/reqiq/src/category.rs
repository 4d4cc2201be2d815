//! The fixed categories every rule belongs to.

use serde::{Deserialize, Serialize};

/// A category of compliance concern. The names are stable: they appear in the API and reports.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Category {
    PayTransparency,
    SalaryHistory,
    CriminalHistory,
    Age,
    SexGender,
    GenderCodedWording,
    NationalOriginCitizenship,
    Language,
    Disability,
    Religion,
    FamilyMaritalPregnancy,
    CannabisDrugTesting,
    NonCompete,
    RaceColorAppearance,
    GeneticMedical,
    MilitaryVeteran,
    SexualOrientation,
    UnpaidWork,
    CreditHistory,
    DriversLicense,
}

impl Category {
    /// Every category, in the order reports list them.
    pub const ALL: [Category; 20] = [
        Category::PayTransparency,
        Category::SalaryHistory,
        Category::CriminalHistory,
        Category::Age,
        Category::SexGender,
        Category::GenderCodedWording,
        Category::NationalOriginCitizenship,
        Category::Language,
        Category::Disability,
        Category::Religion,
        Category::FamilyMaritalPregnancy,
        Category::CannabisDrugTesting,
        Category::NonCompete,
        Category::RaceColorAppearance,
        Category::GeneticMedical,
        Category::MilitaryVeteran,
        Category::SexualOrientation,
        Category::UnpaidWork,
        Category::CreditHistory,
        Category::DriversLicense,
    ];

    /// The stable name (as serialised).
    pub const fn as_str(self) -> &'static str {
        match self {
            Category::PayTransparency => "pay_transparency",
            Category::SalaryHistory => "salary_history",
            Category::CriminalHistory => "criminal_history",
            Category::Age => "age",
            Category::SexGender => "sex_gender",
            Category::GenderCodedWording => "gender_coded_wording",
            Category::NationalOriginCitizenship => "national_origin_citizenship",
            Category::Language => "language",
            Category::Disability => "disability",
            Category::Religion => "religion",
            Category::FamilyMaritalPregnancy => "family_marital_pregnancy",
            Category::CannabisDrugTesting => "cannabis_drug_testing",
            Category::NonCompete => "non_compete",
            Category::RaceColorAppearance => "race_color_appearance",
            Category::GeneticMedical => "genetic_medical",
            Category::MilitaryVeteran => "military_veteran",
            Category::SexualOrientation => "sexual_orientation",
            Category::UnpaidWork => "unpaid_work",
            Category::CreditHistory => "credit_history",
            Category::DriversLicense => "drivers_license",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_the_serialised_names_and_all_distinct() {
        let mut seen = std::collections::BTreeSet::new();
        for c in Category::ALL {
            assert_eq!(
                serde_json::to_value(c).unwrap(),
                serde_json::Value::String(c.as_str().to_owned())
            );
            assert!(seen.insert(c.as_str()));
        }
    }
}

//! Credentials: type codes, the state set by hand, the status that follows from the dates, and
//! the starter catalogue a new organisation can adopt.

use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;
use time::Date;

/// A credential type's short, stable code, carried on badges instead of its name: 2–8
/// characters, `A`–`Z` and `0`–`9` (lower case is accepted and upper-cased).
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct CredentialTypeCode(String);

/// Why a code was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("must be 2 to 8 letters or digits (A–Z, 0–9)")]
pub struct CodeError;

impl CredentialTypeCode {
    pub fn parse(input: &str) -> Result<Self, CodeError> {
        let code = input.trim().to_ascii_uppercase();
        let valid = (2..=8).contains(&code.len())
            && code
                .bytes()
                .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit());
        if valid {
            Ok(Self(code))
        } else {
            Err(CodeError)
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl TryFrom<String> for CredentialTypeCode {
    type Error = CodeError;
    fn try_from(value: String) -> Result<Self, Self::Error> {
        Self::parse(&value)
    }
}

impl From<CredentialTypeCode> for String {
    fn from(code: CredentialTypeCode) -> Self {
        code.0
    }
}

impl fmt::Display for CredentialTypeCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// What a manager has set: a credential is active until suspended or revoked.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CredentialState {
    Active,
    Suspended,
    Revoked,
}

impl CredentialState {
    pub const fn as_str(self) -> &'static str {
        match self {
            CredentialState::Active => "active",
            CredentialState::Suspended => "suspended",
            CredentialState::Revoked => "revoked",
        }
    }
}

/// A stored state that is not one of ours.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown credential state {0:?}")]
pub struct UnknownState(pub String);

impl FromStr for CredentialState {
    type Err = UnknownState;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "active" => Ok(CredentialState::Active),
            "suspended" => Ok(CredentialState::Suspended),
            "revoked" => Ok(CredentialState::Revoked),
            other => Err(UnknownState(other.to_owned())),
        }
    }
}

/// A credential's status on a given day.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CredentialStatus {
    Valid,
    /// Still valid, but expires within the organisation's window.
    Expiring,
    Expired,
    Suspended,
    Revoked,
}

impl CredentialStatus {
    /// The status of a credential in `state` that expires on `expires_on` (valid through that
    /// day; `None`: never), on `today`, with an "expiring" window of `window_days`.
    pub fn on(
        state: CredentialState,
        expires_on: Option<Date>,
        today: Date,
        window_days: i64,
    ) -> Self {
        match state {
            CredentialState::Revoked => return CredentialStatus::Revoked,
            CredentialState::Suspended => return CredentialStatus::Suspended,
            CredentialState::Active => {}
        }
        let Some(expires_on) = expires_on else {
            return CredentialStatus::Valid;
        };
        let days_left = (expires_on - today).whole_days();
        if days_left < 0 {
            CredentialStatus::Expired
        } else if days_left <= window_days {
            CredentialStatus::Expiring
        } else {
            CredentialStatus::Valid
        }
    }

    /// Whether a credential with this status counts towards clearance today.
    pub const fn clears(self) -> bool {
        matches!(self, CredentialStatus::Valid | CredentialStatus::Expiring)
    }

    pub const fn as_str(self) -> &'static str {
        match self {
            CredentialStatus::Valid => "valid",
            CredentialStatus::Expiring => "expiring",
            CredentialStatus::Expired => "expired",
            CredentialStatus::Suspended => "suspended",
            CredentialStatus::Revoked => "revoked",
        }
    }
}

/// `date` plus `months` calendar months, clamped to the end of a shorter month (a credential
/// issued on 31 January for one month expires on 28 or 29 February).
pub fn add_months(date: Date, months: i32) -> Date {
    let total = date.year() * 12 + i32::from(u8::from(date.month())) - 1 + months;
    let (year, month) = (total.div_euclid(12), total.rem_euclid(12) + 1);
    let month = u8::try_from(month)
        .ok()
        .and_then(|m| time::Month::try_from(m).ok())
        .unwrap_or(time::Month::December);
    let last = time::util::days_in_month(month, year);
    Date::from_calendar_date(year, month, date.day().min(last)).unwrap_or(date)
}

/// One entry of the starter catalogue.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct StarterType {
    pub code: &'static str,
    pub name: &'static str,
    pub description: &'static str,
    /// Default validity in months; `None`: does not expire.
    pub validity_months: Option<u16>,
}

const fn starter(
    code: &'static str,
    name: &'static str,
    description: &'static str,
    validity_months: Option<u16>,
) -> StarterType {
    StarterType {
        code,
        name,
        description,
        validity_months,
    }
}

/// Credential types most North American industrial employers track, with their usual validity.
pub const STARTER_CATALOGUE: &[StarterType] = &[
    starter(
        "FACPR",
        "First Aid/CPR",
        "Standard First Aid with CPR/AED (Level C).",
        Some(36),
    ),
    starter(
        "WAH",
        "Working at Heights",
        "Working at heights training, including fall hazard recognition.",
        Some(36),
    ),
    starter(
        "FALL",
        "Fall Protection",
        "Fall arrest and restraint equipment use and inspection.",
        Some(36),
    ),
    starter(
        "FORK",
        "Forklift Operator",
        "Powered industrial truck operator evaluation (29 CFR 1910.178(l)).",
        Some(36),
    ),
    starter(
        "WHMIS",
        "WHMIS",
        "Workplace Hazardous Materials Information System (GHS) training.",
        Some(12),
    ),
    starter(
        "H2S",
        "H2S Alive",
        "Hydrogen sulphide awareness, detection and rescue (Energy Safety Canada).",
        Some(36),
    ),
    starter(
        "CSE",
        "Confined Space Entry",
        "Entry, attendant and monitoring duties for permit-required confined spaces.",
        Some(36),
    ),
    starter(
        "LOTO",
        "Lockout/Tagout",
        "Control of hazardous energy (29 CFR 1910.147).",
        Some(36),
    ),
    starter(
        "GD",
        "Ground Disturbance",
        "Ground disturbance supervision and line locating (Level II).",
        Some(36),
    ),
    starter(
        "FW",
        "Fire Warden",
        "Fire warden duties, evacuation and extinguisher use.",
        Some(24),
    ),
    starter(
        "AWP",
        "Aerial Work Platform",
        "Mobile elevating work platform operator (ANSI/CSA).",
        Some(36),
    ),
    starter(
        "SCAF",
        "Scaffold User",
        "Scaffold user and inspection awareness.",
        Some(36),
    ),
    starter(
        "RIG",
        "Rigging and Signalling",
        "Qualified rigger and signal person.",
        Some(60),
    ),
    starter(
        "TDG",
        "Transportation of Dangerous Goods",
        "TDG certificate of training.",
        Some(36),
    ),
    starter(
        "OSHA10",
        "OSHA 10-Hour Construction",
        "OSHA Outreach 10-hour construction safety card.",
        None,
    ),
    starter(
        "OSHA30",
        "OSHA 30-Hour Construction",
        "OSHA Outreach 30-hour construction safety card for supervisors.",
        None,
    ),
];

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    const TODAY: Date = date!(2026 - 06 - 15);

    fn status(expires: Option<Date>) -> CredentialStatus {
        CredentialStatus::on(CredentialState::Active, expires, TODAY, 30)
    }

    #[test]
    fn a_credential_is_valid_through_its_expiry_day() {
        assert_eq!(status(Some(TODAY)), CredentialStatus::Expiring);
        assert_eq!(
            status(Some(date!(2026 - 06 - 14))),
            CredentialStatus::Expired
        );
    }

    #[test]
    fn expiring_means_within_the_window() {
        assert_eq!(
            status(Some(date!(2026 - 07 - 15))),
            CredentialStatus::Expiring
        );
        assert_eq!(status(Some(date!(2026 - 07 - 16))), CredentialStatus::Valid);
        assert_eq!(status(None), CredentialStatus::Valid);
    }

    #[test]
    fn a_suspended_or_revoked_credential_is_that_whatever_its_dates() {
        let far = Some(date!(2030 - 01 - 01));
        assert_eq!(
            CredentialStatus::on(CredentialState::Suspended, far, TODAY, 30),
            CredentialStatus::Suspended
        );
        assert_eq!(
            CredentialStatus::on(CredentialState::Revoked, None, TODAY, 30),
            CredentialStatus::Revoked
        );
        assert!(!CredentialStatus::Suspended.clears());
        assert!(CredentialStatus::Expiring.clears());
    }

    #[test]
    fn months_are_added_by_the_calendar() {
        assert_eq!(add_months(date!(2026 - 01 - 31), 1), date!(2026 - 02 - 28));
        assert_eq!(add_months(date!(2024 - 01 - 31), 1), date!(2024 - 02 - 29));
        assert_eq!(add_months(date!(2026 - 11 - 15), 36), date!(2029 - 11 - 15));
        assert_eq!(add_months(date!(2026 - 12 - 01), 1), date!(2027 - 01 - 01));
    }

    #[test]
    fn a_code_is_short_upper_case_letters_and_digits() {
        assert_eq!(CredentialTypeCode::parse(" h2s ").unwrap().as_str(), "H2S");
        assert!(CredentialTypeCode::parse("A").is_err());
        assert!(CredentialTypeCode::parse("TOOLONGCODE").is_err());
        assert!(CredentialTypeCode::parse("FA-CPR").is_err());
        assert!(CredentialTypeCode::parse("ÉTÉ").is_err());
    }

    #[test]
    fn the_starter_catalogue_has_unique_valid_codes_and_names() {
        let mut codes = std::collections::BTreeSet::new();
        let mut names = std::collections::BTreeSet::new();
        for t in STARTER_CATALOGUE {
            CredentialTypeCode::parse(t.code).unwrap();
            assert!(codes.insert(t.code), "{} twice", t.code);
            assert!(names.insert(t.name.to_lowercase()), "{} twice", t.name);
        }
        assert!(STARTER_CATALOGUE.len() >= 10);
    }
}

//! A membership's status: whether the person may act in the organisation.

use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

/// Whether a member may act in the organisation. A suspended member cannot sign in, and their
/// sessions and badges end.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MemberStatus {
    Active,
    Suspended,
}

impl MemberStatus {
    /// The name stored and shown by the API.
    #[must_use]
    pub const fn as_str(self) -> &'static str {
        match self {
            MemberStatus::Active => "active",
            MemberStatus::Suspended => "suspended",
        }
    }
}

impl fmt::Display for MemberStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A status that is not one of ours.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("must be `active` or `suspended`")]
pub struct UnknownMemberStatus(pub String);

impl FromStr for MemberStatus {
    type Err = UnknownMemberStatus;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "active" => Ok(MemberStatus::Active),
            "suspended" => Ok(MemberStatus::Suspended),
            other => Err(UnknownMemberStatus(other.to_owned())),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip_and_others_are_refused() {
        for status in [MemberStatus::Active, MemberStatus::Suspended] {
            assert_eq!(status.as_str().parse::<MemberStatus>(), Ok(status));
            assert_eq!(
                serde_json::to_string(&status).ok(),
                Some(format!("\"{status}\""))
            );
        }
        assert!("Active".parse::<MemberStatus>().is_err());
        assert!("pending".parse::<MemberStatus>().is_err());
    }
}

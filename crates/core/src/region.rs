//! Data-residency regions. Every organisation has exactly one home region; all of its rows,
//! files, audit events and backups live in that region's database.

use serde::{Deserialize, Serialize};
use std::{fmt, str::FromStr};

/// A home region for an organisation's data.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Region {
    /// North America (United States), the default.
    Na,
    /// Canada, on request.
    Ca,
}

impl Region {
    /// Every region, primary first.
    pub const ALL: [Region; 2] = [Region::Na, Region::Ca];

    /// The region that also holds the directory (organisation slug → region).
    pub const PRIMARY: Region = Region::Na;

    /// The stable code used in configuration, URLs and the database.
    pub const fn code(self) -> &'static str {
        match self {
            Region::Na => "na",
            Region::Ca => "ca",
        }
    }

    /// A human-readable name.
    pub const fn label(self) -> &'static str {
        match self {
            Region::Na => "North America",
            Region::Ca => "Canada",
        }
    }
}

impl Default for Region {
    fn default() -> Self {
        Region::PRIMARY
    }
}

impl fmt::Display for Region {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

/// The text named no known region.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown region {0:?}: expected one of \"na\" (North America) or \"ca\" (Canada)")]
pub struct UnknownRegion(pub String);

impl FromStr for Region {
    type Err = UnknownRegion;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Region::ALL
            .into_iter()
            .find(|r| r.code() == s)
            .ok_or_else(|| UnknownRegion(s.to_owned()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_round_trip() {
        for region in Region::ALL {
            assert_eq!(region.code().parse::<Region>(), Ok(region));
        }
    }

    #[test]
    fn the_default_region_is_north_america() {
        assert_eq!(Region::default(), Region::Na);
    }

    #[test]
    fn an_unknown_region_is_rejected_with_the_choices() {
        let err = "eu".parse::<Region>().unwrap_err();
        assert!(err.to_string().contains("\"na\""));
    }

    #[test]
    fn regions_serialise_as_lowercase_codes() {
        assert_eq!(serde_json::to_string(&Region::Ca).unwrap(), "\"ca\"");
        assert_eq!(
            serde_json::from_str::<Region>("\"na\"").unwrap(),
            Region::Na
        );
        assert!(serde_json::from_str::<Region>("\"NA\"").is_err());
    }
}

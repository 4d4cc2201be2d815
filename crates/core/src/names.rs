//! Human names (people and organisations) as shown in the product.

use serde::{Deserialize, Serialize};
use std::fmt;

/// A name for display: trimmed, 1–120 characters, no control characters.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct DisplayName(String);

/// Why a name was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum NameError {
    #[error("must not be empty")]
    Empty,
    #[error("must be at most 120 characters long")]
    TooLong,
    #[error("must not contain control characters")]
    ControlCharacters,
}

impl DisplayName {
    pub const MAX_CHARS: usize = 120;

    pub fn parse(input: &str) -> Result<Self, NameError> {
        let trimmed = input.trim();
        if trimmed.is_empty() {
            return Err(NameError::Empty);
        }
        if trimmed.chars().count() > Self::MAX_CHARS {
            return Err(NameError::TooLong);
        }
        if trimmed.chars().any(char::is_control) {
            return Err(NameError::ControlCharacters);
        }
        Ok(Self(trimmed.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl TryFrom<String> for DisplayName {
    type Error = NameError;
    fn try_from(value: String) -> Result<Self, Self::Error> {
        Self::parse(&value)
    }
}

impl From<DisplayName> for String {
    fn from(name: DisplayName) -> Self {
        name.0
    }
}

impl fmt::Display for DisplayName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn surrounding_whitespace_is_trimmed() {
        assert_eq!(
            DisplayName::parse("  Amélie Tremblay ").unwrap().as_str(),
            "Amélie Tremblay"
        );
    }

    #[test]
    fn a_blank_name_is_rejected() {
        assert_eq!(DisplayName::parse("   "), Err(NameError::Empty));
    }

    #[test]
    fn length_is_counted_in_characters_not_bytes() {
        assert!(DisplayName::parse(&"é".repeat(120)).is_ok());
        assert_eq!(
            DisplayName::parse(&"é".repeat(121)),
            Err(NameError::TooLong)
        );
    }

    #[test]
    fn a_name_with_a_newline_inside_is_rejected() {
        assert_eq!(
            DisplayName::parse("Ann\nBob"),
            Err(NameError::ControlCharacters)
        );
    }
}

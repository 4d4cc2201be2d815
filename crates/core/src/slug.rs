//! Organisation slugs: the short name in URLs and in the region directory.

use serde::{Deserialize, Serialize};
use std::fmt;

/// A validated organisation slug: 3–40 characters of lowercase ASCII letters, digits and
/// single hyphens, starting with a letter and not ending with a hyphen.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct OrgSlug(String);

/// Why a slug was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SlugError {
    #[error("must be between 3 and 40 characters long")]
    Length,
    #[error("may contain only lowercase letters a–z, digits and hyphens")]
    Characters,
    #[error("must start with a letter and must not end with a hyphen or contain two in a row")]
    Shape,
    #[error("is reserved")]
    Reserved,
}

/// Names that would collide with routes or mislead users.
const RESERVED: &[&str] = &[
    "admin", "api", "app", "assets", "attest", "auth", "gate", "healthz", "help", "login",
    "logout", "platform", "readyz", "root", "security", "signin", "signup", "status", "support",
    "system", "www",
];

impl OrgSlug {
    pub fn parse(input: &str) -> Result<Self, SlugError> {
        if !(3..=40).contains(&input.len()) {
            return Err(SlugError::Length);
        }
        if !input
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        {
            return Err(SlugError::Characters);
        }
        let starts_with_letter = input.bytes().next().is_some_and(|b| b.is_ascii_lowercase());
        if !starts_with_letter || input.ends_with('-') || input.contains("--") {
            return Err(SlugError::Shape);
        }
        if RESERVED.contains(&input) {
            return Err(SlugError::Reserved);
        }
        Ok(Self(input.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl TryFrom<String> for OrgSlug {
    type Error = SlugError;
    fn try_from(value: String) -> Result<Self, Self::Error> {
        Self::parse(&value)
    }
}

impl From<OrgSlug> for String {
    fn from(slug: OrgSlug) -> Self {
        slug.0
    }
}

impl fmt::Display for OrgSlug {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_plain_company_name_is_accepted() {
        assert_eq!(
            OrgSlug::parse("northwind-2").unwrap().as_str(),
            "northwind-2"
        );
    }

    #[test]
    fn a_slug_with_uppercase_letters_is_rejected() {
        assert_eq!(OrgSlug::parse("Northwind"), Err(SlugError::Characters));
    }

    #[test]
    fn a_slug_that_is_too_short_or_too_long_is_rejected() {
        assert_eq!(OrgSlug::parse("ab"), Err(SlugError::Length));
        assert_eq!(OrgSlug::parse(&"a".repeat(41)), Err(SlugError::Length));
    }

    #[test]
    fn a_slug_must_start_with_a_letter_and_use_single_inner_hyphens() {
        assert_eq!(OrgSlug::parse("1acme"), Err(SlugError::Shape));
        assert_eq!(OrgSlug::parse("acme-"), Err(SlugError::Shape));
        assert_eq!(OrgSlug::parse("ac--me"), Err(SlugError::Shape));
    }

    #[test]
    fn non_ascii_and_spaces_are_rejected() {
        assert_eq!(OrgSlug::parse("café"), Err(SlugError::Characters));
        assert_eq!(OrgSlug::parse("a cme"), Err(SlugError::Characters));
    }

    #[test]
    fn route_names_are_reserved() {
        assert_eq!(OrgSlug::parse("api"), Err(SlugError::Reserved));
    }
}

//! Email addresses.

use serde::{Deserialize, Serialize};
use std::fmt;

/// A syntactically valid email address of at most 254 characters. The domain is lowercased;
/// the local part is kept as typed, and comparisons elsewhere are case-insensitive.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct EmailAddress(String);

/// Why an email address was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum EmailError {
    #[error("must be at most 254 characters long")]
    TooLong,
    #[error("is not a valid email address")]
    Invalid,
}

impl EmailAddress {
    pub fn parse(input: &str) -> Result<Self, EmailError> {
        let trimmed = input.trim();
        if trimmed.len() > 254 {
            return Err(EmailError::TooLong);
        }
        let parsed = email_address::EmailAddress::parse_with_options(
            trimmed,
            email_address::Options::default()
                .without_display_text()
                .without_domain_literal(),
        )
        .map_err(|_| EmailError::Invalid)?;
        let domain = parsed.domain().to_lowercase();
        if !domain.contains('.') {
            return Err(EmailError::Invalid);
        }
        Ok(Self(format!("{}@{}", parsed.local_part(), domain)))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl TryFrom<String> for EmailAddress {
    type Error = EmailError;
    fn try_from(value: String) -> Result<Self, Self::Error> {
        Self::parse(&value)
    }
}

impl From<EmailAddress> for String {
    fn from(email: EmailAddress) -> Self {
        email.0
    }
}

impl fmt::Display for EmailAddress {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_ordinary_address_is_accepted_with_its_domain_lowercased() {
        assert_eq!(
            EmailAddress::parse(" Dana.Ng@Northwind.Example ")
                .unwrap()
                .as_str(),
            "Dana.Ng@northwind.example"
        );
    }

    #[test]
    fn an_email_without_at_sign_is_rejected() {
        assert_eq!(
            EmailAddress::parse("dana.northwind.example"),
            Err(EmailError::Invalid)
        );
    }

    #[test]
    fn a_display_name_form_is_rejected() {
        assert_eq!(
            EmailAddress::parse("Dana <dana@northwind.example>"),
            Err(EmailError::Invalid)
        );
    }

    #[test]
    fn a_domain_without_a_dot_is_rejected() {
        assert_eq!(
            EmailAddress::parse("dana@localhost"),
            Err(EmailError::Invalid)
        );
    }

    #[test]
    fn an_overlong_address_is_rejected() {
        let long = format!("{}@example.com", "a".repeat(250));
        assert_eq!(EmailAddress::parse(&long), Err(EmailError::TooLong));
    }
}

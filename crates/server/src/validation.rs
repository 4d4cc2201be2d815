//! Collecting field errors into one `validation_failed` response.

use crate::error::AppError;
use std::collections::BTreeMap;
use std::fmt::Display;

/// Accumulates per-field problems while parsing a request.
#[derive(Debug, Default)]
pub(crate) struct Fields(BTreeMap<String, String>);

impl Fields {
    /// The parsed value, or `None` after recording why `field` is invalid.
    pub(crate) fn check<T, E: Display>(&mut self, field: &str, result: Result<T, E>) -> Option<T> {
        match result {
            Ok(value) => Some(value),
            Err(error) => {
                self.0.insert(field.to_owned(), error.to_string());
                None
            }
        }
    }

    /// How many fields are invalid so far.
    pub(crate) fn len(&self) -> usize {
        self.0.len()
    }

    /// `Err(validation_failed)` if any field was invalid.
    pub(crate) fn finish(self) -> Result<(), AppError> {
        if self.0.is_empty() {
            Ok(())
        } else {
            Err(AppError::Validation(self.0))
        }
    }
}

/// An optional free-text field: trimmed, empty as none, at most `max` characters.
pub(crate) fn optional_text(
    fields: &mut Fields,
    field: &str,
    value: Option<&str>,
    max: usize,
) -> Option<String> {
    let value = value.map(str::trim).filter(|v| !v.is_empty())?;
    let checked = if value.chars().count() > max {
        Err(format!("must be at most {max} characters long"))
    } else if value.chars().any(|c| c.is_control() && c != '\n') {
        Err("must not contain control characters".to_owned())
    } else {
        Ok(value.to_owned())
    };
    fields.check(field, checked)
}

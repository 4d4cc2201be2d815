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

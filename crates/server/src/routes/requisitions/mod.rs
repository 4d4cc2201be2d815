//! The Requisitions product's API: submitting a requisition (pasted, or a text, DOCX or PDF
//! file), reading it with its findings, editing it (a new version, analysed again), reviewers'
//! decisions on findings, and the report as CSV or PDF. Every creation, analysis, view, review
//! and export is audited.

pub(crate) mod export;
pub(crate) mod public;
pub(crate) mod read;
mod report;
mod report_pdf;
pub(crate) mod review;
pub(crate) mod schema;
pub(crate) mod submit;
pub(crate) mod views;

use crate::audit::Resource;
use crate::error::AppError;
use crate::state::AppState;
use crate::validation::Fields;
use attest_core::{Permission, RequisitionId};
use attest_reqiq::{Fields as JobFields, Report};

/// The largest file accepted, in bytes (the engine's own limit).
pub(crate) const MAX_UPLOAD_BYTES: usize = attest_reqiq::MAX_FILE_BYTES;

/// The longest text accepted, in characters (as the engine's extraction limit).
pub(crate) const MAX_TEXT_CHARS: usize = 200_000;

/// The largest JSON body of a submission or edit, in bytes (200,000 characters, each escaped as
/// a `\uXXXX` surrogate pair at worst).
pub(crate) const MAX_TEXT_BODY: usize = 3 * 1024 * 1024;

/// Reading any requisitions at all: one's own, or the organisation's.
pub(crate) const READ_ANY: &[Permission] = &[
    Permission::RequisitionsReadOwn,
    Permission::RequisitionsReadOrg,
];

pub(crate) fn resource(id: RequisitionId) -> Resource {
    Resource {
        kind: "requisition",
        id: Some(id.to_string()),
    }
}

/// Runs the engine (in this process, off the async threads, or in the engine process).
pub(crate) async fn analyse(
    state: &AppState,
    text: String,
    fields: JobFields,
) -> Result<(String, Report), AppError> {
    crate::engine::analyse(&state.settings.engine, &state.cpu, text, fields).await
}

/// A requisition's title: trimmed, 1 to 200 characters, no control characters.
pub(crate) fn parse_title(problems: &mut Fields, title: &str) -> Option<String> {
    let title = title.trim();
    let checked = if title.is_empty() {
        Err("must not be empty")
    } else if title.chars().count() > 200 {
        Err("must be at most 200 characters long")
    } else if title.chars().any(is_unsafe_char) {
        Err("must not contain control or text-direction characters")
    } else {
        Ok(title.to_owned())
    };
    problems.check("title", checked)
}

/// A control character, or one that reorders how text is displayed (bidirectional overrides,
/// isolates and marks), which could disguise a title or file name.
pub(crate) fn is_unsafe_char(c: char) -> bool {
    c.is_control()
        || matches!(c, '\u{200e}' | '\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
}

/// Pasted text: not blank, at most 200,000 characters, no NUL.
pub(crate) fn parse_text(problems: &mut Fields, text: &str) -> Option<String> {
    parse_text_within(problems, text, MAX_TEXT_CHARS)
}

/// Text: not blank, at most `max` characters, no NUL.
pub(crate) fn parse_text_within(problems: &mut Fields, text: &str, max: usize) -> Option<String> {
    let checked = if text.trim().is_empty() {
        Err("must not be empty".to_owned())
    } else if text.chars().count() > max {
        Err(format!("must be at most {max} characters long"))
    } else if text.contains('\0') {
        Err("must not contain NUL characters".to_owned())
    } else {
        Ok(text.to_owned())
    };
    problems.check("text", checked)
}

/// The structured fields, checked: a two-letter state, a city of sensible length, counts and
/// pay that make sense together.
pub(crate) fn parse_fields(
    problems: &mut Fields,
    value: Option<serde_json::Value>,
) -> Option<JobFields> {
    let Some(value) = value else {
        return Some(JobFields::default());
    };
    let mut fields: JobFields = match serde_json::from_value(value) {
        Ok(f) => f,
        Err(e) => {
            problems.check::<(), _>("fields", Err(e.to_string()));
            return None;
        }
    };
    let before = problems.len();
    if let Some(state) = &fields.work_state {
        let state = state.trim().to_ascii_uppercase();
        if state.len() == 2 && state.bytes().all(|b| b.is_ascii_uppercase()) {
            fields.work_state = Some(state);
        } else {
            problems.check::<(), _>(
                "fields.work_state",
                Err("must be a two-letter state code such as CA"),
            );
        }
    }
    if let Some(city) = &fields.work_city {
        let city = city.trim();
        if city.is_empty() || city.chars().count() > 100 || city.chars().any(char::is_control) {
            problems.check::<(), _>("fields.work_city", Err("must be 1 to 100 characters"));
        } else {
            fields.work_city = Some(city.to_owned());
        }
    }
    if let (Some(total), Some(here)) = (fields.employees_total, fields.employees_in_state)
        && here > total
    {
        problems.check::<(), _>(
            "fields.employees_in_state",
            Err("must not exceed the total number of employees"),
        );
    }
    for (name, pay) in [
        ("fields.pay_min", fields.pay_min),
        ("fields.pay_max", fields.pay_max),
    ] {
        if let Some(p) = pay
            && !(p.is_finite() && (0.0..=100_000_000.0).contains(&p))
        {
            problems.check::<(), _>(name, Err("must be between 0 and 100,000,000"));
        }
    }
    if let (Some(min), Some(max)) = (fields.pay_min, fields.pay_max)
        && min > max
    {
        problems.check::<(), _>("fields.pay_max", Err("must not be below the minimum pay"));
    }
    if (fields.pay_min.is_some() || fields.pay_max.is_some()) && fields.pay_period.is_none() {
        problems.check::<(), _>(
            "fields.pay_period",
            Err("is required with a pay amount: per hour or per year"),
        );
    }
    (problems.len() == before).then_some(fields)
}

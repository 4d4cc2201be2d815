//! How the OpenAPI document describes what the analysis engine (`attest-reqiq`, which knows
//! nothing of OpenAPI) reads and writes, and the requisition API's named values. These types
//! only describe: the values themselves are the engine's, or strings checked elsewhere.

#![expect(
    dead_code,
    reason = "schema-only types: they describe the OpenAPI document"
)]

use utoipa::ToSchema;

/// How serious a concern is.
#[derive(ToSchema)]
#[serde(rename_all = "snake_case")]
pub(crate) enum Severity {
    High,
    Medium,
    Low,
    Info,
}

/// How a version's text arrived.
#[derive(ToSchema)]
#[serde(rename_all = "snake_case")]
pub(crate) enum Source {
    Paste,
    Text,
    Docx,
    Pdf,
}

/// A reviewer's decision on a finding.
#[derive(ToSchema)]
#[serde(rename_all = "snake_case")]
pub(crate) enum Decision {
    Accepted,
    Dismissed,
}

/// Pay is given per hour or per year.
#[derive(ToSchema)]
#[serde(rename_all = "snake_case")]
pub(crate) enum PayPeriod {
    Hour,
    Year,
}

/// A requisition's structured fields; every one is optional (absent: unknown).
#[derive(ToSchema)]
pub(crate) struct JobFields {
    /// Two-letter state or district code (`CA`, `NY`, `DC`…).
    #[schema(nullable = false)]
    work_state: Option<String>,
    #[schema(nullable = false)]
    work_city: Option<String>,
    #[schema(nullable = false)]
    remote: Option<bool>,
    #[schema(nullable = false)]
    employees_total: Option<u32>,
    #[schema(nullable = false)]
    employees_in_state: Option<u32>,
    #[schema(nullable = false)]
    pay_min: Option<f64>,
    #[schema(nullable = false)]
    pay_max: Option<f64>,
    #[schema(nullable = false)]
    pay_period: Option<PayPeriod>,
    #[schema(nullable = false)]
    government_contract: Option<bool>,
    #[schema(nullable = false)]
    construction_trade: Option<bool>,
    #[schema(nullable = false)]
    nonprofit: Option<bool>,
}

/// A finding of an analysis that is not kept (the anonymous checker's): `start`/`end` are
/// character offsets into the text (equal for something missing).
#[derive(ToSchema)]
pub(crate) struct AnalysedFinding {
    rule_id: String,
    category: String,
    severity: Severity,
    start: u32,
    end: u32,
    /// The text at the span, as written.
    excerpt: String,
    message: String,
    citation: String,
    suggestion: Option<String>,
    /// Stable through edits elsewhere in the text.
    fingerprint: String,
}

/// Counts by severity, and a score: 100 less 25 per high, 10 per medium and 3 per low finding,
/// never below 0.
#[derive(ToSchema)]
pub(crate) struct Summary {
    score: u32,
    high: u32,
    medium: u32,
    low: u32,
    info: u32,
}

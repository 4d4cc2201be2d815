//! What the engine reports: findings with their span, severity, category, citation and suggested
//! rewrite; a summary with a score; the rule pack's version.

use crate::Category;
use serde::{Deserialize, Serialize};
use std::borrow::Cow;

/// How serious a concern is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Severity {
    High,
    Medium,
    Low,
    Info,
}

impl Severity {
    pub const ALL: [Severity; 4] = [
        Severity::High,
        Severity::Medium,
        Severity::Low,
        Severity::Info,
    ];

    pub const fn as_str(self) -> &'static str {
        match self {
            Severity::High => "high",
            Severity::Medium => "medium",
            Severity::Low => "low",
            Severity::Info => "info",
        }
    }

    /// Points a finding of this severity takes off the score of 100.
    const fn weight(self) -> u32 {
        match self {
            Severity::High => 25,
            Severity::Medium => 10,
            Severity::Low => 3,
            Severity::Info => 0,
        }
    }
}

/// One potential concern in a requisition.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Finding {
    /// Borrowed from the catalogue; owned when read back from an engine process.
    pub rule_id: Cow<'static, str>,
    pub category: Category,
    pub severity: Severity,
    /// Character offsets into the (extracted) text; `start == end` for something missing.
    pub start: usize,
    pub end: usize,
    /// The text at the span, as written.
    pub excerpt: String,
    pub message: String,
    pub citation: Cow<'static, str>,
    pub suggestion: Option<String>,
    /// Stable across edits elsewhere in the text (see `fingerprint`): what a reviewer's
    /// decision is keyed by.
    pub fingerprint: String,
}

/// Counts by severity and a score: 100 less 25 per high, 10 per medium and 3 per low finding,
/// never below 0 (`info` findings do not count).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Summary {
    pub score: u32,
    pub high: usize,
    pub medium: usize,
    pub low: usize,
    pub info: usize,
}

impl Summary {
    pub fn of(findings: &[Finding]) -> Self {
        let count = |s: Severity| findings.iter().filter(|f| f.severity == s).count();
        let lost: u32 = findings.iter().map(|f| f.severity.weight()).sum();
        Self {
            score: 100u32.saturating_sub(lost),
            high: count(Severity::High),
            medium: count(Severity::Medium),
            low: count(Severity::Low),
            info: count(Severity::Info),
        }
    }
}

/// The engine's answer for one requisition.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Report {
    pub findings: Vec<Finding>,
    pub summary: Summary,
    pub rule_pack_version: Cow<'static, str>,
    /// Always shown with results.
    pub disclaimer: Cow<'static, str>,
}

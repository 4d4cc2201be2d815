//! `attest analyze [--fields FIELDS.json] FILE [--format text|json]`: a requisition checked by the
//! analysis engine, offline. Text shows each finding in its context with its reason and citation;
//! JSON is the engine's report.

use anyhow::Context as _;
use attest_reqiq::{Fields, Report, analyze};
use std::fmt::Write as _;
use std::io::{Read as _, Write as _};
use std::path::Path;

/// Runs the analysis; `Ok(true)` when nothing of medium or high severity was found.
pub(crate) fn run(file: &Path, fields: Option<&Path>, json: bool) -> anyhow::Result<bool> {
    let fields: Fields = match fields {
        Some(path) => serde_json::from_slice(
            &std::fs::read(path).with_context(|| format!("reading {}", path.display()))?,
        )
        .with_context(|| format!("{}: not valid fields", path.display()))?,
        None => Fields::default(),
    };
    let text = read_text(file)?;
    let report = analyze(&text, &fields);
    let mut out = std::io::stdout().lock();
    if json {
        writeln!(out, "{}", serde_json::to_string_pretty(&report)?)?;
    } else {
        write!(out, "{}", describe(&text, &report))?;
    }
    Ok(report.summary.high == 0 && report.summary.medium == 0)
}

/// The requisition's text: UTF-8 text, or the text of a .docx or PDF (what the bytes show, not the name).
fn read_text(file: &Path) -> anyhow::Result<String> {
    let limit = u64::try_from(attest_reqiq::MAX_FILE_BYTES).unwrap_or(u64::MAX) + 1;
    let mut bytes = Vec::new();
    if file == Path::new("-") {
        std::io::stdin().take(limit).read_to_end(&mut bytes)?;
    } else {
        std::fs::File::open(file)
            .with_context(|| format!("reading {}", file.display()))?
            .take(limit)
            .read_to_end(&mut bytes)?;
    }
    attest_reqiq::extract_text(&bytes).map_err(|e| anyhow::anyhow!("{}: {e}", file.display()))
}

/// Each finding with the line it stands in, the span marked, then the reason and citation.
fn describe(text: &str, report: &Report) -> String {
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::new();
    for f in &report.findings {
        let line_start = chars[..f.start.min(chars.len())]
            .iter()
            .rposition(|c| *c == '\n')
            .map_or(0, |i| i + 1);
        let line_end = chars[f.end.min(chars.len())..]
            .iter()
            .position(|c| *c == '\n')
            .map_or(chars.len(), |i| f.end + i);
        let before: String = chars[line_start..f.start.min(chars.len())].iter().collect();
        let after: String = chars[f.end.min(chars.len())..line_end].iter().collect();
        let line = 1 + chars[..line_start].iter().filter(|c| **c == '\n').count();
        let _ = writeln!(
            out,
            "{:<6} {} (line {line})\n  {}[[{}]]{}\n  {}\n  {}",
            f.severity.as_str().to_uppercase(),
            f.rule_id,
            before.trim_start(),
            f.excerpt,
            after.trim_end(),
            f.message,
            f.citation,
        );
        if let Some(s) = &f.suggestion {
            let _ = writeln!(out, "  Suggestion: {s}");
        }
        out.push('\n');
    }
    let s = &report.summary;
    let _ = writeln!(
        out,
        "Score {}/100 — {} high, {} medium, {} low, {} info (rule pack {}).\n{}",
        s.score, s.high, s.medium, s.low, s.info, report.rule_pack_version, report.disclaimer
    );
    out
}

//! The results table.

use std::io::Write as _;

/// One measurement beside its baseline.
#[derive(Debug, Clone)]
pub(crate) struct Row {
    pub(crate) name: String,
    pub(crate) figure: f64,
    pub(crate) baseline_name: String,
    pub(crate) baseline: f64,
    pub(crate) unit: &'static str,
    /// What the figure must reach, if there is a target: (minimum figure, minimum ratio).
    pub(crate) target: (Option<f64>, Option<f64>),
}

impl Row {
    fn ratio(&self) -> f64 {
        if self.baseline > 0.0 {
            self.figure / self.baseline
        } else {
            0.0
        }
    }

    fn meets_target(&self) -> bool {
        self.target.0.is_none_or(|min| self.figure >= min)
            && self.target.1.is_none_or(|min| self.ratio() >= min)
    }
}

/// The process's peak resident set size in MiB (Linux `VmHWM`).
pub(crate) fn peak_rss_mib() -> f64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|status| {
            status
                .lines()
                .find(|l| l.starts_with("VmHWM:"))
                .and_then(|l| l.split_whitespace().nth(1))
                .and_then(|kib| kib.parse::<f64>().ok())
        })
        .map_or(0.0, |kib| kib / 1024.0)
}

fn target_text(row: &Row) -> String {
    let mut parts = Vec::new();
    if let Some(min) = row.target.0 {
        parts.push(format!("≥ {min:.0} {}", row.unit));
    }
    if let Some(min) = row.target.1 {
        parts.push(format!("ratio ≥ {min}"));
    }
    if parts.is_empty() {
        return "—".into();
    }
    format!(
        "{} {}",
        parts.join(", "),
        if row.meets_target() {
            "✓"
        } else {
            "✗ MISSED"
        }
    )
}

pub(crate) fn print(rows: &[Row]) -> anyhow::Result<()> {
    let mut out = std::io::stdout().lock();
    writeln!(
        out,
        "| measurement | figure | baseline (same run) | ratio | target |"
    )?;
    writeln!(out, "|---|---:|---|---:|---|")?;
    for row in rows {
        writeln!(
            out,
            "| {} | {:.0} {} | {}: {:.0} {} | {:.2} | {} |",
            row.name,
            row.figure,
            row.unit,
            row.baseline_name,
            row.baseline,
            row.unit,
            row.ratio(),
            target_text(row)
        )?;
    }
    writeln!(
        out,
        "\npeak RSS of the benchmark process: {:.1} MiB",
        peak_rss_mib()
    )?;
    Ok(())
}

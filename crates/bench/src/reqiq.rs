//! The requisition engine: throughput on a corpus of ~350-word requisitions (built from the
//! labelled set's texts) with the full catalogue, per core, against raw SHA-256 of the same
//! texts; and the latency of a 5-page PDF, extraction included, against extraction alone.

use crate::measure::{interleaved, median};
use crate::report::Row;
use attest_reqiq::{Fields, analyze, extract_text, pdf_fixture, rules};
use sha2::{Digest as _, Sha256};
use std::path::Path;
use std::time::Instant;

/// Words per requisition in the corpus.
const WORDS: usize = 350;

/// Requisitions of `WORDS` words, each the labelled set's texts run together from a different
/// starting case, so every one mixes concerns and clean wording as real postings do.
pub(crate) fn corpus() -> anyhow::Result<Vec<String>> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../reqiq/eval/cases");
    let cases = attest_reqiq::evaluation::Case::load_dir(&dir)?;
    anyhow::ensure!(!cases.is_empty(), "no cases in {}", dir.display());
    let words: Vec<&str> = cases
        .iter()
        .flat_map(|c| c.text.split_whitespace())
        .collect();
    Ok((0..200)
        .map(|i| {
            let start = (i * 97) % words.len();
            words
                .iter()
                .cycle()
                .skip(start)
                .take(WORDS)
                .copied()
                .collect::<Vec<_>>()
                .join(" ")
        })
        .collect())
}

fn percentile(sorted: &[f64], p: f64) -> f64 {
    let at = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted.get(at).copied().unwrap_or(0.0)
}

/// Microseconds per call of `f`, `runs` times: (p50, p99).
fn latencies(runs: usize, mut f: impl FnMut() -> bool) -> anyhow::Result<(f64, f64)> {
    let mut took = Vec::with_capacity(runs);
    for _ in 0..runs {
        let started = Instant::now();
        anyhow::ensure!(f(), "a measured call failed");
        took.push(started.elapsed().as_secs_f64() * 1e6);
    }
    took.sort_by(f64::total_cmp);
    Ok((median(&mut took.clone()), percentile(&took, 0.99)))
}

pub(crate) fn run(seconds: f64, pdf_runs: usize) -> anyhow::Result<Vec<Row>> {
    let corpus = corpus()?;
    let fields = Fields {
        work_state: Some("CA".into()),
        employees_total: Some(120),
        ..Fields::default()
    };
    let findings: usize = corpus
        .iter()
        .map(|t| analyze(t, &fields).findings.len())
        .sum();
    eprintln!(
        "{} rules; corpus of {} requisitions x {WORDS} words ({} bytes on average), {findings} findings in all",
        rules().len(),
        corpus.len(),
        corpus.iter().map(String::len).sum::<usize>() / corpus.len()
    );
    let mut next = corpus.iter().cycle();
    let mut next_raw = corpus.iter().cycle();
    let (engine, raw) = interleaved(
        seconds,
        || {
            next.next()
                .is_some_and(|t| analyze(t, &fields).summary.score <= 100)
        },
        || {
            next_raw
                .next()
                .map(|t| std::hint::black_box(Sha256::digest(t.as_bytes())))
                .is_some()
        },
    );

    // A 5-page PDF: 45 lines of about 12 words a page, from the corpus.
    let lines: Vec<String> = corpus
        .iter()
        .flat_map(|t| {
            t.split_whitespace()
                .collect::<Vec<_>>()
                .chunks(12)
                .map(|c| c.join(" "))
                .collect::<Vec<_>>()
        })
        .collect();
    let pages: Vec<Vec<String>> = lines.chunks(45).take(5).map(<[String]>::to_vec).collect();
    let pdf = pdf_fixture(&pages);
    let text = extract_text(&pdf).map_err(|e| anyhow::anyhow!("the 5-page PDF: {e}"))?;
    eprintln!(
        "5-page PDF: {} bytes, {} words extracted",
        pdf.len(),
        text.split_whitespace().count()
    );
    let (_, extract_p99) = latencies(pdf_runs, || extract_text(&pdf).is_ok())?;
    let (full_p50, full_p99) = latencies(pdf_runs, || {
        extract_text(&pdf).is_ok_and(|t| analyze(&t, &fields).summary.score <= 100)
    })?;
    eprintln!("5-page PDF, extraction and analysis: p50 {full_p50:.0} µs");
    Ok(vec![
        Row {
            name: format!(
                "requisition analysis ({} rules, ~350 words), per core",
                rules().len()
            ),
            figure: engine,
            baseline_name: "raw SHA-256 of the same text".into(),
            baseline: raw,
            unit: "requisitions/s",
            target: (Some(5_000.0), None),
        },
        Row {
            name: "5-page PDF, extraction + analysis, p99".into(),
            figure: full_p99,
            baseline_name: "extraction alone, p99".into(),
            baseline: extract_p99,
            unit: "µs",
            target: (None, None),
        },
    ])
}

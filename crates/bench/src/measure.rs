//! Rates measured so that a shared machine's changing load falls on a figure and its baseline
//! alike.

use std::time::{Duration, Instant};

/// Calls `f` repeatedly for about `seconds`; returns calls per second.
pub(crate) fn rate(seconds: f64, mut f: impl FnMut() -> bool) -> f64 {
    let mut calls = 0u64;
    let started = Instant::now();
    let budget = Duration::from_secs_f64(seconds);
    while started.elapsed() < budget {
        for _ in 0..64 {
            assert!(f(), "a measured call failed");
        }
        calls += 64;
    }
    calls as f64 / started.elapsed().as_secs_f64()
}

/// Rates of `a` and `b` measured in alternating slices of a tenth of a second over about
/// `seconds` each, so that a shared machine's changing load falls on both alike; the medians of
/// the slices (a busy moment spoils a slice, not the figure).
pub(crate) fn interleaved(
    seconds: f64,
    mut a: impl FnMut() -> bool,
    mut b: impl FnMut() -> bool,
) -> (f64, f64) {
    let slices = (seconds / 0.1).ceil().max(1.0) as usize;
    let (mut rates_a, mut rates_b) = (Vec::new(), Vec::new());
    for _ in 0..slices {
        rates_a.push(rate(0.1, &mut a));
        rates_b.push(rate(0.1, &mut b));
    }
    (median(&mut rates_a), median(&mut rates_b))
}

pub(crate) fn median(values: &mut [f64]) -> f64 {
    values.sort_by(f64::total_cmp);
    values.get(values.len() / 2).copied().unwrap_or(0.0)
}

//! Readiness computed in memory for 10,000 workers × 10 credentials × 20 sites (the issue's
//! target: under 100 ms, i.e. at least 10 runs per second), against a straightforward
//! computation of the same matrix with hash sets, measured in the same run.

use crate::report::Row;
use attest_core::readiness::{
    self, CrewInput, HeldCredential, JobRoleInput, ReadinessInput, SiteInput, WorkerInput,
};
use attest_core::{
    CredentialId, CredentialStatus, CredentialTypeId, CrewId, JobRoleId, SiteId, UserId,
};
use std::collections::{HashMap, HashSet};
use std::time::Instant;
use uuid::Uuid;

/// A deterministic workforce: `workers` workers in 200 crews over `sites` sites, 30 credential
/// types, each site requiring 3 and each of 5 job roles 2, each worker holding `per_worker`
/// credentials (one in eight expired, one in fifty suspended).
pub(crate) fn workforce(workers: usize, per_worker: usize, sites: usize) -> ReadinessInput {
    let id = |kind: u128, n: usize| Uuid::from_u128((kind << 64) | n as u128);
    let types: Vec<CredentialTypeId> = (0..30).map(|n| CredentialTypeId::from(id(1, n))).collect();
    let site_ids: Vec<SiteId> = (0..sites).map(|n| SiteId::from(id(2, n))).collect();
    let crews: Vec<CrewInput> = (0..200)
        .map(|n| CrewInput {
            crew_id: CrewId::from(id(3, n)),
            site_id: Some(site_ids[n % sites]),
        })
        .collect();
    let roles: Vec<JobRoleInput> = (0..5)
        .map(|n| JobRoleInput {
            job_role_id: JobRoleId::from(id(4, n)),
            requires: vec![types[n], types[n + 3]],
        })
        .collect();
    let today = time::macros::date!(2026 - 12 - 01);
    let workers = (0..workers)
        .map(|w| WorkerInput {
            user_id: UserId::from(id(5, w)),
            job_role: (w % 3 == 0).then(|| roles[w % 5].job_role_id),
            crews: vec![crews[w % 200].crew_id],
            credentials: (0..per_worker)
                .map(|c| {
                    let status = match (w * 7 + c * 13) % 50 {
                        0 => CredentialStatus::Suspended,
                        k if k % 8 == 0 => CredentialStatus::Expired,
                        k if k % 5 == 0 => CredentialStatus::Expiring,
                        _ => CredentialStatus::Valid,
                    };
                    HeldCredential {
                        credential_id: CredentialId::from(id(6, w * per_worker + c)),
                        type_id: types[(w + c * 3) % 30],
                        status,
                        expires_on: Some(
                            today + time::Duration::days(((w * 31 + c * 17) % 400) as i64 - 30),
                        ),
                    }
                })
                .collect(),
        })
        .collect();
    ReadinessInput {
        today,
        workers,
        sites: site_ids
            .iter()
            .enumerate()
            .map(|(n, s)| SiteInput {
                site_id: *s,
                requires: vec![types[n % 30], types[(n + 3) % 30], types[(n + 6) % 30]],
            })
            .collect(),
        crews,
        job_roles: roles,
    }
}

/// The same result without bitsets: per worker a hash set of what counts; per cell whether it
/// is cleared and, if not, which required types are missing. Returns the number of cleared
/// cells (so it cannot be optimised away).
fn straightforward(input: &ReadinessInput) -> usize {
    let roles: HashMap<JobRoleId, &Vec<CredentialTypeId>> = input
        .job_roles
        .iter()
        .map(|r| (r.job_role_id, &r.requires))
        .collect();
    let mut matrix: Vec<Vec<(SiteId, bool, Vec<CredentialTypeId>)>> =
        Vec::with_capacity(input.workers.len());
    for w in &input.workers {
        let held: HashSet<CredentialTypeId> = w
            .credentials
            .iter()
            .filter(|c| c.status.clears())
            .map(|c| c.type_id)
            .collect();
        let role = w
            .job_role
            .and_then(|r| roles.get(&r))
            .map(|r| r.as_slice())
            .unwrap_or_default();
        let row = input
            .sites
            .iter()
            .map(|site| {
                let missing: Vec<CredentialTypeId> = site
                    .requires
                    .iter()
                    .chain(role)
                    .filter(|t| !held.contains(t))
                    .copied()
                    .collect();
                (site.site_id, missing.is_empty(), missing)
            })
            .collect();
        matrix.push(row);
    }
    matrix
        .iter()
        .flatten()
        .filter(|(_, cleared, _)| *cleared)
        .count()
}

/// Median seconds of `runs` runs of `f`.
fn median_seconds(runs: usize, mut f: impl FnMut() -> usize) -> f64 {
    let mut times: Vec<f64> = (0..runs)
        .map(|_| {
            let start = Instant::now();
            std::hint::black_box(f());
            start.elapsed().as_secs_f64()
        })
        .collect();
    times.sort_by(f64::total_cmp);
    times[times.len() / 2]
}

pub(crate) fn run(workers: usize) -> Vec<Row> {
    let input = workforce(workers, 10, 20);
    let ours = median_seconds(15, || {
        let r = readiness::compute(&input);
        r.workers
            .iter()
            .map(|w| w.sites.iter().filter(|s| s.cleared).count())
            .sum()
    });
    let naive = median_seconds(15, || straightforward(&input));
    eprintln!(
        "readiness: {workers} workers × 10 credentials × 20 sites in {:.1} ms (straightforward: {:.1} ms)",
        ours * 1000.0,
        naive * 1000.0
    );
    vec![Row {
        name: format!(
            "readiness in memory, {workers} workers × 10 credentials × 20 sites (target < 100 ms)"
        ),
        figure: 1.0 / ours,
        baseline_name: "the same matrix (cleared and missing types per cell) with hash sets".into(),
        baseline: 1.0 / naive,
        unit: "runs/s",
        target: (Some(10.0), None),
    }]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_bitset_computation_agrees_with_the_straightforward_one() {
        let input = workforce(500, 10, 20);
        let r = readiness::compute(&input);
        let ours: usize = r
            .workers
            .iter()
            .map(|w| w.sites.iter().filter(|s| s.cleared).count())
            .sum();
        assert_eq!(ours, straightforward(&input));
        assert!(
            ours > 0 && ours < 500 * 20,
            "the fixture has cleared and blocked cells: {ours}"
        );
    }
}

//! Workforce readiness: who is cleared for which site, and why not.
//!
//! A worker is cleared for a site when they hold a credential that counts today (valid or
//! expiring) of every type the site requires and every type their job role requires. A worker
//! is cleared overall when they are cleared for their job role and for every site their crews
//! work at. Per site and per crew, the share of assigned workers who are cleared.
//!
//! Pure computation over what the caller may see: sets of credential types are bitsets, so the
//! whole matrix (workers × sites) costs one AND-NOT per cell.

use crate::credentials::CredentialStatus;
use crate::ids::{CredentialId, CredentialTypeId, CrewId, JobRoleId, SiteId, UserId};
use serde::Serialize;
use std::collections::HashMap;
use time::Date;

/// A credential a worker holds, with its status today.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct HeldCredential {
    pub credential_id: CredentialId,
    pub type_id: CredentialTypeId,
    pub status: CredentialStatus,
    pub expires_on: Option<Date>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct WorkerInput {
    pub user_id: UserId,
    pub job_role: Option<JobRoleId>,
    pub crews: Vec<CrewId>,
    pub credentials: Vec<HeldCredential>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SiteInput {
    pub site_id: SiteId,
    pub requires: Vec<CredentialTypeId>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CrewInput {
    pub crew_id: CrewId,
    pub site_id: Option<SiteId>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct JobRoleInput {
    pub job_role_id: JobRoleId,
    pub requires: Vec<CredentialTypeId>,
}

/// Everything readiness depends on.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ReadinessInput {
    pub today: Date,
    pub workers: Vec<WorkerInput>,
    pub sites: Vec<SiteInput>,
    pub crews: Vec<CrewInput>,
    pub job_roles: Vec<JobRoleInput>,
}

/// Why a requirement is not met.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum GapReason {
    Missing,
    Expired,
    Suspended,
    Revoked,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct Gap {
    pub type_id: CredentialTypeId,
    pub reason: GapReason,
}

/// One worker at one site.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct SiteClearance {
    pub site_id: SiteId,
    /// Whether one of the worker's crews works at this site.
    pub assigned: bool,
    pub cleared: bool,
    /// Unmet requirements (site and job role), in type order.
    pub gaps: Vec<Gap>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct WorkerReadiness {
    pub user_id: UserId,
    /// Cleared for their job role and every site they are assigned to.
    pub cleared: bool,
    /// Unmet requirements of their job role alone.
    pub job_role_gaps: Vec<Gap>,
    /// Every site, in input order.
    pub sites: Vec<SiteClearance>,
}

/// How many of a group are cleared.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Share {
    pub total: u32,
    pub cleared: u32,
}

impl Share {
    /// The cleared share in whole percent (100 for an empty group: nothing is missing).
    pub fn percent(self) -> u32 {
        (self.cleared * 100).checked_div(self.total).unwrap_or(100)
    }

    fn count(&mut self, cleared: bool) {
        self.total += 1;
        self.cleared += u32::from(cleared);
    }
}

/// Credentials that count today and expire within 30, 60 and 90 days (cumulative), and those
/// already expired.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Outlook {
    pub within_30_days: u32,
    pub within_60_days: u32,
    pub within_90_days: u32,
    pub expired: u32,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Readiness {
    pub overall: Share,
    /// Per site, in input order: workers assigned to the site.
    pub sites: Vec<(SiteId, Share)>,
    /// Per crew, in input order: the crew's members, cleared for their job role and the crew's
    /// site.
    pub crews: Vec<(CrewId, Share)>,
    pub workers: Vec<WorkerReadiness>,
    pub outlook: Outlook,
}

/// A set of credential types, as bits over the types' positions.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
struct TypeSet(Vec<u64>);

impl TypeSet {
    fn with_words(words: usize) -> Self {
        Self(vec![0; words])
    }

    fn insert(&mut self, index: usize) {
        if let Some(word) = self.0.get_mut(index / 64) {
            *word |= 1 << (index % 64);
        }
    }

    fn union(&self, other: &TypeSet) -> TypeSet {
        TypeSet(self.0.iter().zip(&other.0).map(|(a, b)| a | b).collect())
    }

    /// Whether every member of `self` is in `held`.
    fn covered_by(&self, held: &TypeSet) -> bool {
        self.0
            .iter()
            .zip(&held.0)
            .all(|(need, have)| need & !have == 0)
    }

    /// Members of `self` not in `held`, in index order.
    fn missing_from<'a>(&'a self, held: &'a TypeSet) -> impl Iterator<Item = usize> + 'a {
        self.0
            .iter()
            .zip(&held.0)
            .enumerate()
            .flat_map(|(w, (need, have))| {
                let mut bits = need & !have;
                std::iter::from_fn(move || {
                    if bits == 0 {
                        return None;
                    }
                    let bit = bits.trailing_zeros() as usize;
                    bits &= bits - 1;
                    Some(w * 64 + bit)
                })
            })
    }
}

/// Positions of the credential types that appear anywhere in the input.
struct TypeIndex {
    ids: Vec<CredentialTypeId>,
    positions: HashMap<CredentialTypeId, usize>,
}

impl TypeIndex {
    fn of(input: &ReadinessInput) -> Self {
        let mut index = TypeIndex {
            ids: Vec::new(),
            positions: HashMap::new(),
        };
        let required = input
            .sites
            .iter()
            .flat_map(|s| &s.requires)
            .chain(input.job_roles.iter().flat_map(|r| &r.requires));
        for id in required {
            if !index.positions.contains_key(id) {
                index.positions.insert(*id, index.ids.len());
                index.ids.push(*id);
            }
        }
        index
    }

    fn words(&self) -> usize {
        self.ids.len().div_ceil(64).max(1)
    }

    fn set(&self, ids: &[CredentialTypeId]) -> TypeSet {
        let mut set = TypeSet::with_words(self.words());
        for id in ids {
            if let Some(&i) = self.positions.get(id) {
                set.insert(i);
            }
        }
        set
    }
}

/// Computes readiness for every worker and site in `input`, on `input.today`.
pub fn compute(input: &ReadinessInput) -> Readiness {
    let types = TypeIndex::of(input);
    let site_needs: Vec<TypeSet> = input.sites.iter().map(|s| types.set(&s.requires)).collect();
    let role_needs: HashMap<JobRoleId, TypeSet> = input
        .job_roles
        .iter()
        .map(|r| (r.job_role_id, types.set(&r.requires)))
        .collect();
    let none = TypeSet::with_words(types.words());
    let site_position: HashMap<SiteId, usize> = input
        .sites
        .iter()
        .enumerate()
        .map(|(i, s)| (s.site_id, i))
        .collect();
    let crew_site: HashMap<CrewId, Option<usize>> = input
        .crews
        .iter()
        .map(|c| {
            let site = c.site_id.and_then(|s| site_position.get(&s).copied());
            (c.crew_id, site)
        })
        .collect();
    let crew_position: HashMap<CrewId, usize> = input
        .crews
        .iter()
        .enumerate()
        .map(|(i, c)| (c.crew_id, i))
        .collect();

    let mut overall = Share::default();
    let mut site_shares = vec![Share::default(); input.sites.len()];
    let mut crew_shares = vec![Share::default(); input.crews.len()];
    let mut outlook = Outlook::default();
    let mut workers = Vec::with_capacity(input.workers.len());
    for worker in &input.workers {
        count_outlook(&mut outlook, worker, input.today);
        let held = held_set(&types, worker);
        let role_need = worker
            .job_role
            .and_then(|r| role_needs.get(&r))
            .unwrap_or(&none);
        let role_cleared = role_need.covered_by(&held);
        let mut assigned = vec![false; input.sites.len()];
        for crew in &worker.crews {
            if let Some(Some(site)) = crew_site.get(crew) {
                assigned[*site] = true;
            }
        }
        let mut sites = Vec::with_capacity(input.sites.len());
        let mut cleared_everywhere = role_cleared;
        for (i, site) in input.sites.iter().enumerate() {
            let cleared = role_cleared && site_needs[i].covered_by(&held);
            if assigned[i] {
                site_shares[i].count(cleared);
                cleared_everywhere &= cleared;
            }
            sites.push(SiteClearance {
                site_id: site.site_id,
                assigned: assigned[i],
                cleared,
                gaps: if cleared {
                    Vec::new()
                } else {
                    gaps(&types, &site_needs[i].union(role_need), &held, worker)
                },
            });
        }
        for crew in &worker.crews {
            if let Some(&c) = crew_position.get(crew) {
                let cleared = match crew_site.get(crew) {
                    Some(Some(site)) => sites[*site].cleared,
                    _ => role_cleared,
                };
                crew_shares[c].count(cleared);
            }
        }
        overall.count(cleared_everywhere);
        workers.push(WorkerReadiness {
            user_id: worker.user_id,
            cleared: cleared_everywhere,
            job_role_gaps: if role_cleared {
                Vec::new()
            } else {
                gaps(&types, role_need, &held, worker)
            },
            sites,
        });
    }
    Readiness {
        overall,
        sites: input
            .sites
            .iter()
            .zip(site_shares)
            .map(|(s, share)| (s.site_id, share))
            .collect(),
        crews: input
            .crews
            .iter()
            .zip(crew_shares)
            .map(|(c, share)| (c.crew_id, share))
            .collect(),
        workers,
        outlook,
    }
}

fn held_set(types: &TypeIndex, worker: &WorkerInput) -> TypeSet {
    let mut held = TypeSet::with_words(types.words());
    for credential in &worker.credentials {
        if credential.status.clears()
            && let Some(&i) = types.positions.get(&credential.type_id)
        {
            held.insert(i);
        }
    }
    held
}

fn gaps(types: &TypeIndex, need: &TypeSet, held: &TypeSet, worker: &WorkerInput) -> Vec<Gap> {
    need.missing_from(held)
        .map(|i| {
            let type_id = types.ids[i];
            let reason = worker
                .credentials
                .iter()
                .filter(|c| c.type_id == type_id)
                .map(|c| match c.status {
                    CredentialStatus::Suspended => GapReason::Suspended,
                    CredentialStatus::Revoked => GapReason::Revoked,
                    _ => GapReason::Expired,
                })
                .next()
                .unwrap_or(GapReason::Missing);
            Gap { type_id, reason }
        })
        .collect()
}

fn count_outlook(outlook: &mut Outlook, worker: &WorkerInput, today: Date) {
    for credential in &worker.credentials {
        if credential.status == CredentialStatus::Expired {
            outlook.expired += 1;
            continue;
        }
        let (true, Some(expires)) = (credential.status.clears(), credential.expires_on) else {
            continue;
        };
        let days = (expires - today).whole_days();
        outlook.within_30_days += u32::from(days <= 30);
        outlook.within_60_days += u32::from(days <= 60);
        outlook.within_90_days += u32::from(days <= 90);
    }
}

#[cfg(test)]
#[path = "readiness_tests.rs"]
mod tests;

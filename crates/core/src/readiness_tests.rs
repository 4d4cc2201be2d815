//! Readiness against a fixture computed by hand (see each assertion's comment).

use super::*;
use crate::credentials::CredentialStatus as S;
use time::macros::date;

const TODAY: Date = date!(2026 - 06 - 15);

struct Fixture {
    input: ReadinessInput,
    fa: CredentialTypeId,
    wah: CredentialTypeId,
    fork: CredentialTypeId,
    workers: Vec<UserId>,
}

fn held(type_id: CredentialTypeId, status: S, expires_on: Option<Date>) -> HeldCredential {
    HeldCredential {
        credential_id: CredentialId::new(),
        type_id,
        status,
        expires_on,
    }
}

/// Sites: Tower needs FA + WAH, Depot needs FA + FORK, Yard needs nothing.
/// Job role Operator needs FORK. Crews: Framing at Tower, Logistics at Depot, Floaters nowhere.
/// Workers:
/// - A (Framing): FA valid, WAH expiring in 20 days.
/// - B (Framing): FA valid, WAH expired.
/// - C (Logistics, Operator): FA valid, FORK suspended.
/// - D (Framing and Logistics): FA, WAH (80 days left), FORK (45 days left).
/// - E (Floaters, Operator): nothing.
fn fixture() -> Fixture {
    let (fa, wah, fork) = (
        CredentialTypeId::new(),
        CredentialTypeId::new(),
        CredentialTypeId::new(),
    );
    let (tower, depot, yard) = (SiteId::new(), SiteId::new(), SiteId::new());
    let operator = JobRoleId::new();
    let (framing, logistics, floaters) = (CrewId::new(), CrewId::new(), CrewId::new());
    let far = Some(date!(2028 - 01 - 01));
    let worker = |job_role, crews: Vec<CrewId>, credentials| WorkerInput {
        user_id: UserId::new(),
        job_role,
        crews,
        credentials,
    };
    let workers = vec![
        worker(
            None,
            vec![framing],
            vec![
                held(fa, S::Valid, far),
                held(wah, S::Expiring, Some(date!(2026 - 07 - 05))),
            ],
        ),
        worker(
            None,
            vec![framing],
            vec![
                held(fa, S::Valid, far),
                held(wah, S::Expired, Some(date!(2026 - 06 - 01))),
            ],
        ),
        worker(
            Some(operator),
            vec![logistics],
            vec![held(fa, S::Valid, None), held(fork, S::Suspended, far)],
        ),
        worker(
            None,
            vec![framing, logistics],
            vec![
                held(fa, S::Valid, None),
                held(wah, S::Valid, Some(date!(2026 - 09 - 03))),
                held(fork, S::Valid, Some(date!(2026 - 07 - 30))),
            ],
        ),
        worker(Some(operator), vec![floaters], vec![]),
    ];
    let ids = workers.iter().map(|w| w.user_id).collect();
    Fixture {
        input: ReadinessInput {
            today: TODAY,
            workers,
            sites: vec![
                SiteInput {
                    site_id: tower,
                    requires: vec![fa, wah],
                },
                SiteInput {
                    site_id: depot,
                    requires: vec![fa, fork],
                },
                SiteInput {
                    site_id: yard,
                    requires: vec![],
                },
            ],
            crews: vec![
                CrewInput {
                    crew_id: framing,
                    site_id: Some(tower),
                },
                CrewInput {
                    crew_id: logistics,
                    site_id: Some(depot),
                },
                CrewInput {
                    crew_id: floaters,
                    site_id: None,
                },
            ],
            job_roles: vec![JobRoleInput {
                job_role_id: operator,
                requires: vec![fork],
            }],
        },
        fa,
        wah,
        fork,
        workers: ids,
    }
}

fn share(total: u32, cleared: u32) -> Share {
    Share { total, cleared }
}

#[test]
fn shares_per_site_crew_and_overall_match_the_hand_computed_fixture() {
    let f = fixture();
    let r = compute(&f.input);
    // Tower: A, B, D assigned; A (expiring counts) and D cleared.
    // Depot: C, D assigned; only D cleared. Yard: nobody assigned.
    let sites: Vec<Share> = r.sites.iter().map(|(_, s)| *s).collect();
    assert_eq!(sites, vec![share(3, 2), share(2, 1), share(0, 0)]);
    assert_eq!(sites[0].percent(), 66);
    assert_eq!(sites[2].percent(), 100);
    // Framing: A, B, D → 2; Logistics: C, D → 1; Floaters: E (fails Operator) → 0.
    let crews: Vec<Share> = r.crews.iter().map(|(_, s)| *s).collect();
    assert_eq!(crews, vec![share(3, 2), share(2, 1), share(1, 0)]);
    // A and D are cleared everywhere they work.
    assert_eq!(r.overall, share(5, 2));
    let cleared: Vec<bool> = r.workers.iter().map(|w| w.cleared).collect();
    assert_eq!(cleared, vec![true, false, false, true, false]);
}

#[test]
fn each_gap_says_which_type_and_why() {
    let f = fixture();
    let r = compute(&f.input);
    let gap = |type_id, reason| Gap { type_id, reason };
    // B at Tower: WAH expired.
    assert_eq!(
        r.workers[1].sites[0].gaps,
        vec![gap(f.wah, GapReason::Expired)]
    );
    // C at Depot: FORK suspended (site and job role both need it; reported once).
    assert_eq!(
        r.workers[2].sites[1].gaps,
        vec![gap(f.fork, GapReason::Suspended)]
    );
    assert_eq!(
        r.workers[2].job_role_gaps,
        vec![gap(f.fork, GapReason::Suspended)]
    );
    // C is not assigned to Tower but the matrix still says what they lack there.
    assert!(!r.workers[2].sites[0].assigned);
    assert_eq!(
        r.workers[2].sites[0].gaps,
        vec![
            gap(f.wah, GapReason::Missing),
            gap(f.fork, GapReason::Suspended)
        ]
    );
    // E: the Operator role needs FORK, which E lacks; even the Yard is closed to E.
    assert_eq!(
        r.workers[4].job_role_gaps,
        vec![gap(f.fork, GapReason::Missing)]
    );
    assert!(!r.workers[4].sites[2].cleared);
    // A is cleared at Tower with no gaps; at Depot A lacks FORK.
    assert!(r.workers[0].sites[0].cleared && r.workers[0].sites[0].gaps.is_empty());
    assert_eq!(
        r.workers[0].sites[1].gaps,
        vec![gap(f.fork, GapReason::Missing)]
    );
    assert_eq!(r.workers[0].user_id, f.workers[0]);
    let _ = f.fa;
}

#[test]
fn the_outlook_counts_what_expires_within_30_60_and_90_days() {
    let r = compute(&fixture().input);
    // A's WAH in 20 days; D's FORK in 45 and WAH in 80; B's WAH already expired; C's FORK is
    // suspended (not counted).
    assert_eq!(
        r.outlook,
        Outlook {
            within_30_days: 1,
            within_60_days: 2,
            within_90_days: 3,
            expired: 1
        }
    );
}

#[test]
fn more_than_64_types_still_work() {
    let types: Vec<CredentialTypeId> = (0..130).map(|_| CredentialTypeId::new()).collect();
    let site = SiteId::new();
    let crew = CrewId::new();
    let all_but_last: Vec<HeldCredential> = types[..129]
        .iter()
        .map(|t| held(*t, S::Valid, None))
        .collect();
    let input = ReadinessInput {
        today: TODAY,
        workers: vec![WorkerInput {
            user_id: UserId::new(),
            job_role: None,
            crews: vec![crew],
            credentials: all_but_last,
        }],
        sites: vec![SiteInput {
            site_id: site,
            requires: types.clone(),
        }],
        crews: vec![CrewInput {
            crew_id: crew,
            site_id: Some(site),
        }],
        job_roles: vec![],
    };
    let r = compute(&input);
    assert_eq!(
        r.workers[0].sites[0].gaps,
        vec![Gap {
            type_id: types[129],
            reason: GapReason::Missing
        }]
    );
}

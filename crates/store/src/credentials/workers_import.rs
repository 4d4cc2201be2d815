//! Importing workers: each row is a person by email address, with a name, and optionally an
//! existing crew and job role. A new address becomes a member with the `worker` role (the
//! caller then invites them); a known address keeps its account and is put in the crew and given
//! the job role. What a row asks must be within the caller's permissions (adding people:
//! `people.manage`; crews: `crews.manage`; job roles: `credentials.manage`), else it is a problem
//! of that row. All rows are checked before anything is written; a row that asks for nothing new
//! changes nothing, so the same file twice changes nothing.

use crate::credentials::{ImportReport, Progress};
use crate::{StoreError, Tx};
use attest_core::{CrewId, JobRoleId, OrgId, Permission, PermissionSet, RoleId, UserId};
use attest_import::{Problem, WorkerRow};
use std::collections::{HashMap, HashSet};

/// A member the import created, to invite.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Created {
    pub user_id: UserId,
    pub email: String,
    pub name: String,
}

struct Known {
    user_id: UserId,
    job_role: Option<JobRoleId>,
    crews: HashSet<CrewId>,
}

enum Change {
    Create { user: UserId, row_index: usize },
    Update,
}

struct Planned {
    change: Change,
    user: UserId,
    crew: Option<CrewId>,
    job_role: Option<JobRoleId>,
}

/// Checks `rows` (and, with `apply`, writes them). Returns the report and the members created.
pub async fn import_workers(
    tx: &mut Tx,
    org_id: OrgId,
    permissions: &PermissionSet,
    rows: &[WorkerRow],
    apply: bool,
    progress: &mut dyn Progress,
) -> Result<(ImportReport, Vec<Created>), StoreError> {
    let mut report = ImportReport {
        rows: rows.len(),
        ..ImportReport::default()
    };
    let known: HashMap<String, Known> = sqlx::query!(
        r#"select u.user_id, attest.email_key(u.email) as "email!", j.job_role_id as "job_role_id?",
                  coalesce(array_agg(cm.crew_id) filter (where cm.crew_id is not null), '{}') as "crews!"
           from attest.users u
           left join attest.worker_job_roles j on j.org_id = u.org_id and j.user_id = u.user_id
           left join attest.crew_members cm on cm.org_id = u.org_id and cm.user_id = u.user_id
           where u.org_id = attest.current_org_id()
           group by u.user_id, u.email, j.job_role_id"#
    )
    .fetch_all(&mut **tx)
    .await?
    .into_iter()
    .map(|r| {
        let known = Known {
            user_id: r.user_id.into(),
            job_role: r.job_role_id.map(JobRoleId::from),
            crews: r.crews.into_iter().map(CrewId::from).collect(),
        };
        (r.email, known)
    })
    .collect();
    let crews: HashMap<String, CrewId> = crate::crews::list(tx)
        .await?
        .into_iter()
        .map(|c| (c.name.to_lowercase(), c.crew_id))
        .collect();
    let roles: HashMap<String, JobRoleId> = crate::job_roles::list(tx)
        .await?
        .into_iter()
        .map(|j| (j.name.to_lowercase(), j.job_role_id))
        .collect();
    let may = |p: Permission| permissions.contains(p);
    let mut plan = Vec::new();
    for (index, row) in rows.iter().enumerate() {
        let mut problems = Vec::new();
        let mut problem = |column: &str, reason: String| {
            problems.push(Problem {
                row: row.row,
                column: column.to_owned(),
                reason,
            })
        };
        let existing = known.get(&row.email.as_str().to_lowercase());
        if existing.is_none() && !may(Permission::PeopleManage) {
            problem(
                "email",
                format!(
                    "no member has the address {}, and your role cannot add members",
                    row.email.as_str()
                ),
            );
        }
        let crew = match &row.crew {
            None => None,
            Some(name) => match crews.get(&name.to_lowercase()) {
                None => {
                    problem("crew", format!("there is no crew named {name:?}"));
                    None
                }
                Some(id) => Some(*id),
            },
        };
        let job_role = match &row.job_role {
            None => None,
            Some(name) => match roles.get(&name.to_lowercase()) {
                None => {
                    problem("job_role", format!("there is no job role named {name:?}"));
                    None
                }
                Some(id) => Some(*id),
            },
        };
        let new_crew = crew.filter(|c| existing.is_none_or(|k| !k.crews.contains(c)));
        let new_role = job_role.filter(|j| existing.is_none_or(|k| k.job_role != Some(*j)));
        if new_crew.is_some() && !may(Permission::CrewsManage) {
            problem("crew", "your role cannot change crews".to_owned());
        }
        if new_role.is_some() && !may(Permission::CredentialsManage) {
            problem("job_role", "your role cannot give job roles".to_owned());
        }
        if !problems.is_empty() {
            report.problems.extend(problems);
            continue;
        }
        match existing {
            None => {
                let user = UserId::new();
                report.added += 1;
                plan.push(Planned {
                    change: Change::Create {
                        user,
                        row_index: index,
                    },
                    user,
                    crew: new_crew,
                    job_role: new_role,
                });
            }
            Some(k) if new_crew.is_some() || new_role.is_some() => {
                report.renewed += 1;
                plan.push(Planned {
                    change: Change::Update,
                    user: k.user_id,
                    crew: new_crew,
                    job_role: new_role,
                });
            }
            Some(_) => report.unchanged += 1,
        }
    }
    progress.step("checked", rows.len(), rows.len());
    if !report.problems.is_empty() || !apply {
        return Ok((report, Vec::new()));
    }
    let worker_role: RoleId =
        crate::people::role_id(tx, attest_core::BuiltinRole::Worker.key()).await?;
    let mut created = Vec::new();
    for (done, p) in plan.iter().enumerate() {
        if let Change::Create { user, row_index } = p.change
            && let Some(row) = rows.get(row_index)
        {
            let person = crate::people::NewPerson {
                user_id: user,
                email: row.email.clone(),
                display_name: row.name.clone(),
                role_id: worker_role,
            };
            crate::people::insert(tx, org_id, &person).await?;
            created.push(Created {
                user_id: user,
                email: row.email.as_str().to_owned(),
                name: row.name.as_str().to_owned(),
            });
        }
        if let Some(crew) = p.crew {
            crate::crews::add_member(tx, org_id, crew, p.user).await?;
        }
        if let Some(role) = p.job_role {
            crate::job_roles::assign(tx, org_id, p.user, Some(role)).await?;
        }
        if (done + 1) % 500 == 0 {
            progress.step("written", done + 1, plan.len());
        }
    }
    progress.step("written", plan.len(), plan.len());
    report.applied = true;
    Ok((report, created))
}

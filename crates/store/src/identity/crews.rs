//! Crews: a supervisor and their workers.

use crate::{StoreError, Tx};
use attest_core::{CrewId, DisplayName, OrgId, SiteId, UserId};
use serde::Serialize;

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Crew {
    pub crew_id: CrewId,
    pub name: String,
    pub supervisor_id: Option<UserId>,
    pub site_id: Option<SiteId>,
}

/// Adds a crew. Needs `crews.manage`.
pub async fn create(
    tx: &mut Tx,
    org_id: OrgId,
    name: &DisplayName,
    supervisor: Option<UserId>,
    site: Option<SiteId>,
) -> Result<CrewId, StoreError> {
    let crew_id = CrewId::new();
    sqlx::query!(
        "insert into attest.crews (org_id, crew_id, name, supervisor_id, site_id) values ($1, $2, $3, $4, $5)",
        org_id.as_uuid(),
        crew_id.as_uuid(),
        name.as_str(),
        supervisor.map(|s| s.as_uuid()),
        site.map(|s| s.as_uuid()),
    )
    .execute(&mut **tx)
    .await?;
    Ok(crew_id)
}

/// Puts a person in a crew. Needs `crews.manage`.
pub async fn add_member(
    tx: &mut Tx,
    org_id: OrgId,
    crew: CrewId,
    user: UserId,
) -> Result<(), StoreError> {
    sqlx::query!(
        "insert into attest.crew_members (org_id, crew_id, user_id) values ($1, $2, $3) on conflict do nothing",
        org_id.as_uuid(),
        crew.as_uuid(),
        user.as_uuid(),
    )
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// The organisation's crews, by name. Needs `crews.read`.
pub async fn list(tx: &mut Tx) -> Result<Vec<Crew>, StoreError> {
    let rows = sqlx::query!(
        "select crew_id, name, supervisor_id, site_id from attest.crews order by name"
    )
    .fetch_all(&mut **tx)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| Crew {
            crew_id: r.crew_id.into(),
            name: r.name,
            supervisor_id: r.supervisor_id.map(UserId::from),
            site_id: r.site_id.map(SiteId::from),
        })
        .collect())
}

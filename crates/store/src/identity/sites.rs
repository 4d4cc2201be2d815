//! Work sites.

use crate::{StoreError, Tx};
use attest_core::{DisplayName, OrgId, SiteId};
use serde::Serialize;

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Site {
    pub site_id: SiteId,
    pub name: String,
    pub address: String,
}

/// Adds a site. Needs `sites.manage`.
pub async fn create(
    tx: &mut Tx,
    org_id: OrgId,
    name: &DisplayName,
    address: &str,
) -> Result<SiteId, StoreError> {
    let site_id = SiteId::new();
    sqlx::query!(
        "insert into attest.sites (org_id, site_id, name, address) values ($1, $2, $3, $4)",
        org_id.as_uuid(),
        site_id.as_uuid(),
        name.as_str(),
        address,
    )
    .execute(&mut **tx)
    .await?;
    Ok(site_id)
}

/// The organisation's sites, by name. Needs `sites.read`.
pub async fn list(tx: &mut Tx) -> Result<Vec<Site>, StoreError> {
    let rows = sqlx::query!("select site_id, name, address from attest.sites order by name")
        .fetch_all(&mut **tx)
        .await?;
    Ok(rows
        .into_iter()
        .map(|r| Site {
            site_id: r.site_id.into(),
            name: r.name,
            address: r.address,
        })
        .collect())
}

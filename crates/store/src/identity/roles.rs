//! Roles: the built-in ones every organisation gets, and custom ones it adds.

use crate::error::on_constraint;
use crate::{StoreError, Tx};
use attest_core::{OrgId, Permission, PermissionSet, RoleId, UserId};

/// The unique constraint on a role key within an organisation.
const ROLE_KEY_TAKEN: &str = "roles_key_key";

/// Adds a custom role with these permissions. Needs `roles.manage`. The platform permission can
/// never be granted by an organisation.
pub async fn create_custom(
    tx: &mut Tx,
    org_id: OrgId,
    key: &str,
    name: &str,
    permissions: &PermissionSet,
) -> Result<RoleId, StoreError> {
    let role_id = RoleId::new();
    sqlx::query!(
        "insert into attest.roles (org_id, role_id, key, name, builtin) values ($1, $2, $3, $4, false)",
        org_id.as_uuid(),
        role_id.as_uuid(),
        key,
        name,
    )
    .execute(&mut **tx)
    .await
    .map_err(on_constraint(ROLE_KEY_TAKEN, StoreError::RoleKeyTaken))?;
    let names: Vec<String> = permissions.iter().map(|p| p.name().to_owned()).collect();
    sqlx::query!(
        "insert into attest.role_permissions (org_id, role_id, permission) select $1, $2, unnest($3::text[])",
        org_id.as_uuid(),
        role_id.as_uuid(),
        &names,
    )
    .execute(&mut **tx)
    .await?;
    Ok(role_id)
}

/// A member's role key and permissions, as granted by their (active) membership; `None` if they
/// have no active membership.
pub async fn of_member(
    tx: &mut Tx,
    user: UserId,
) -> Result<Option<(String, PermissionSet)>, StoreError> {
    let rows = sqlx::query!(
        r#"select r.key, p.permission as "permission?"
           from attest.memberships m
           join attest.roles r on r.org_id = m.org_id and r.role_id = m.role_id
           left join attest.role_permissions p on p.org_id = r.org_id and p.role_id = r.role_id
           where m.org_id = attest.current_org_id() and m.user_id = $1 and m.status = 'active'"#,
        user.as_uuid(),
    )
    .fetch_all(&mut **tx)
    .await?;
    let Some(key) = rows.first().map(|r| r.key.clone()) else {
        return Ok(None);
    };
    let permissions = rows
        .iter()
        .filter_map(|r| r.permission.as_deref())
        .filter_map(|p| p.parse::<Permission>().ok())
        .collect();
    Ok(Some((key, permissions)))
}

/// A role as the API lists it.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct RoleInfo {
    pub role_id: RoleId,
    pub key: String,
    pub name: String,
    pub description: String,
    pub builtin: bool,
    pub permissions: Vec<String>,
}

/// The organisation's roles, built-in first, with their permissions.
pub async fn list(tx: &mut Tx) -> Result<Vec<RoleInfo>, StoreError> {
    let rows = sqlx::query!(
        r#"select r.role_id, r.key, r.name, r.description, r.builtin,
                  coalesce(array_agg(p.permission order by p.permission) filter (where p.permission is not null), '{}') as "permissions!"
           from attest.roles r
           left join attest.role_permissions p on p.org_id = r.org_id and p.role_id = r.role_id
           where r.org_id = attest.current_org_id()
           group by r.org_id, r.role_id
           order by r.builtin desc, r.created_at, r.key"#
    )
    .fetch_all(&mut **tx)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| RoleInfo {
            role_id: r.role_id.into(),
            key: r.key,
            name: r.name,
            description: r.description,
            builtin: r.builtin,
            permissions: r.permissions,
        })
        .collect())
}

/// How many active members hold the role with this key.
pub async fn active_holders(tx: &mut Tx, key: &str) -> Result<i64, StoreError> {
    Ok(sqlx::query_scalar!(
        r#"select count(*) as "n!" from attest.memberships m
           join attest.roles r on r.org_id = m.org_id and r.role_id = m.role_id
           where m.org_id = attest.current_org_id() and r.key = $1 and m.status = 'active'"#,
        key,
    )
    .fetch_one(&mut **tx)
    .await?)
}

//! Organisations: creation (with built-in roles and a first admin) and reading.

use crate::{AccessContext, Regions, StoreError, Tx, begin, directory, people};
use attest_core::{BuiltinRole, DisplayName, EmailAddress, OrgId, OrgSlug, Region, RoleId, UserId};
use serde::Serialize;
use std::collections::BTreeMap;
use time::OffsetDateTime;

/// An organisation as the API shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Organisation {
    pub org_id: OrgId,
    pub slug: String,
    pub name: String,
    pub region: Region,
    #[serde(with = "time::serde::rfc3339")]
    pub created_at: OffsetDateTime,
}

/// What creating an organisation needs: the organisation and its first admin.
#[derive(Debug, Clone)]
pub struct NewOrganisation {
    pub slug: OrgSlug,
    pub name: DisplayName,
    pub region: Region,
    pub admin_email: EmailAddress,
    pub admin_name: DisplayName,
    /// An argon2id PHC hash (see `attest_crypto::PasswordHashes`).
    pub admin_password_hash: String,
}

/// The result of creating an organisation.
#[derive(Debug, Clone)]
pub struct CreatedOrganisation {
    pub organisation: Organisation,
    pub admin_id: UserId,
    /// The built-in roles by key.
    pub roles: BTreeMap<&'static str, RoleId>,
}

/// Creates an organisation in its home region: claims the slug in the directory (primary
/// region), then writes the organisation, its built-in roles and its first `org_admin` in one
/// transaction in the home region's database. If that fails, the slug is released again.
/// (Sign-up does the same in steps, to record the creation in the same transaction:
/// [`reserve`], [`insert`] in a transaction begun with [`Reservation::context`], and
/// [`release`] if that fails.)
pub async fn create(
    regions: &Regions,
    new: &NewOrganisation,
) -> Result<CreatedOrganisation, StoreError> {
    let reservation = reserve(regions, new).await?;
    let created = async {
        let mut tx = begin(regions.pool(new.region)?, &reservation.context()).await?;
        let created = insert(&mut tx, &reservation, new).await?;
        tx.commit().await.map_err(StoreError::from)?;
        Ok(created)
    }
    .await;
    if created.is_err() {
        release(regions, new).await;
    }
    created
}

/// A new organisation's identifiers, with its slug claimed in the directory.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Reservation {
    pub org_id: OrgId,
    pub admin_id: UserId,
    pub region: Region,
}

impl Reservation {
    /// The access context of the creating transaction: the first admin's, in their role.
    #[must_use]
    pub fn context(&self) -> AccessContext {
        AccessContext {
            org_id: self.org_id,
            user_id: Some(self.admin_id),
            permissions: BuiltinRole::OrgAdmin.permissions(),
        }
    }
}

/// Claims `new.slug` in the directory (primary region) for an organisation homed in
/// `new.region`, and chooses its identifiers. Refused with a conflict if the slug is taken.
pub async fn reserve(regions: &Regions, new: &NewOrganisation) -> Result<Reservation, StoreError> {
    regions.pool(new.region)?;
    directory::claim(regions.primary(), &new.slug, new.region).await?;
    Ok(Reservation {
        org_id: OrgId::new(),
        admin_id: UserId::new(),
        region: new.region,
    })
}

/// Gives back the slug of an organisation that failed to be created. A failure here is logged:
/// the creation's own error is the one to report.
pub async fn release(regions: &Regions, new: &NewOrganisation) {
    if let Err(error) = directory::release(regions.primary(), &new.slug).await {
        tracing::error!(%error, "could not release the slug of an organisation that failed to be created");
    }
}

/// Writes the reserved organisation, its built-in roles and its first `org_admin`, in `tx`
/// (begun in the home region with [`Reservation::context`]).
pub async fn insert(
    tx: &mut Tx,
    reservation: &Reservation,
    new: &NewOrganisation,
) -> Result<CreatedOrganisation, StoreError> {
    let (org_id, admin_id) = (reservation.org_id, reservation.admin_id);
    let created_at = sqlx::query_scalar!(
        "insert into attest.organisations (org_id, slug, name, region) values ($1, $2, $3, $4)
         returning created_at",
        org_id.as_uuid(),
        new.slug.as_str(),
        new.name.as_str(),
        new.region.code(),
    )
    .fetch_one(&mut **tx)
    .await
    .map_err(crate::error::on_constraint(
        "organisations_slug_key",
        StoreError::SlugTaken,
    ))?;
    let roles = insert_builtin_roles(tx, org_id).await?;
    let admin = people::NewPerson {
        user_id: admin_id,
        email: new.admin_email.clone(),
        display_name: new.admin_name.clone(),
        role_id: roles[BuiltinRole::OrgAdmin.key()],
    };
    people::insert(tx, org_id, &admin).await?;
    people::insert_password_hash(tx, org_id, admin_id, &new.admin_password_hash).await?;
    Ok(CreatedOrganisation {
        organisation: Organisation {
            org_id,
            slug: new.slug.to_string(),
            name: new.name.to_string(),
            region: new.region,
            created_at,
        },
        admin_id,
        roles,
    })
}

/// Writes the organisation's copies of the built-in roles (permission sets from
/// `attest_core::BuiltinRole`).
async fn insert_builtin_roles(
    tx: &mut Tx,
    org_id: OrgId,
) -> Result<BTreeMap<&'static str, RoleId>, StoreError> {
    let mut roles = BTreeMap::new();
    for role in BuiltinRole::organisation_roles() {
        let role_id = RoleId::new();
        sqlx::query!(
            "insert into attest.roles (org_id, role_id, key, name, description, builtin)
             values ($1, $2, $3, $4, $5, true)",
            org_id.as_uuid(),
            role_id.as_uuid(),
            role.key(),
            role.name(),
            role.description(),
        )
        .execute(&mut **tx)
        .await?;
        let permissions: Vec<String> = role
            .permission_list()
            .iter()
            .map(|p| p.name().to_owned())
            .collect();
        sqlx::query!(
            "insert into attest.role_permissions (org_id, role_id, permission)
             select $1, $2, unnest($3::text[])",
            org_id.as_uuid(),
            role_id.as_uuid(),
            &permissions,
        )
        .execute(&mut **tx)
        .await?;
        roles.insert(role.key(), role_id);
    }
    Ok(roles)
}

/// An organisation's security policies.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Policy {
    /// Every member must use a second factor.
    pub mfa_required: bool,
    /// A session not refreshed for this long ends.
    pub idle_timeout_minutes: i32,
    /// A session ends this long after sign-in, whatever its activity.
    pub session_lifetime_hours: i32,
}

/// The context organisation's security policies.
pub async fn policy(tx: &mut Tx) -> Result<Policy, StoreError> {
    sqlx::query_as!(
        Policy,
        "select mfa_required, idle_timeout_minutes, session_lifetime_hours from attest.organisations
         where org_id = attest.current_org_id()"
    )
    .fetch_optional(&mut **tx)
    .await?
    .ok_or(StoreError::NotFound)
}

/// Changes the context organisation's security policies. Needs `org.manage`.
pub async fn set_policy(tx: &mut Tx, policy: &Policy) -> Result<(), StoreError> {
    let updated = sqlx::query!(
        "update attest.organisations set mfa_required = $1, idle_timeout_minutes = $2, session_lifetime_hours = $3
         where org_id = attest.current_org_id()",
        policy.mfa_required,
        policy.idle_timeout_minutes,
        policy.session_lifetime_hours,
    )
    .execute(&mut **tx)
    .await?
    .rows_affected();
    if updated == 0 {
        Err(StoreError::NotFound)
    } else {
        Ok(())
    }
}

/// An organisation row as stored.
struct OrganisationRow {
    org_id: uuid::Uuid,
    slug: String,
    name: String,
    region: String,
    created_at: OffsetDateTime,
}

impl TryFrom<OrganisationRow> for Organisation {
    type Error = StoreError;

    fn try_from(row: OrganisationRow) -> Result<Self, StoreError> {
        Ok(Organisation {
            org_id: row.org_id.into(),
            slug: row.slug,
            name: row.name,
            // The column's check constraint allows only known region codes.
            region: row.region.parse().map_err(|_| StoreError::NotFound)?,
            created_at: row.created_at,
        })
    }
}

/// The organisation of the transaction's context, if the context may see it.
pub async fn current(tx: &mut Tx) -> Result<Organisation, StoreError> {
    sqlx::query_as!(
        OrganisationRow,
        "select org_id, slug, name, region, created_at from attest.organisations
         where org_id = attest.current_org_id()"
    )
    .fetch_optional(&mut **tx)
    .await?
    .ok_or(StoreError::NotFound)?
    .try_into()
}

/// Finds the organisation with this slug in one region's database. The transaction's context
/// holds only the slug, which reveals that one organisation's row and nothing else.
pub async fn resolve(
    pool: &sqlx::PgPool,
    slug: &OrgSlug,
) -> Result<Option<Organisation>, StoreError> {
    let mut tx = pool.begin().await?;
    sqlx::query!(
        "select set_config('attest.lookup_slug', $1, true)",
        slug.as_str()
    )
    .fetch_one(&mut *tx)
    .await?;
    let row = sqlx::query_as!(
        OrganisationRow,
        "select org_id, slug, name, region, created_at from attest.organisations where slug = $1",
        slug.as_str()
    )
    .fetch_optional(&mut *tx)
    .await?;
    tx.commit().await?;
    row.map(Organisation::try_from).transpose()
}

//! An organisation with people in every position that matters for visibility.

use attest_core::{
    BuiltinRole, CrewId, DisplayName, EmailAddress, OrgId, OrgSlug, Permission, Region, RoleId,
    SiteId, UserId,
};
use attest_store::organisations::{self, NewOrganisation};
use attest_store::{AccessContext, Regions, begin, crews, people, sites};
use std::collections::BTreeMap;

#[derive(Debug, Clone)]
#[expect(dead_code, reason = "a fixture: each test uses some of it")]
pub(crate) struct Org {
    pub(crate) org_id: OrgId,
    pub(crate) slug: String,
    pub(crate) name: String,
    pub(crate) region: Region,
    pub(crate) roles: BTreeMap<&'static str, RoleId>,
    pub(crate) admin: UserId,
    pub(crate) manager: UserId,
    pub(crate) auditor: UserId,
    /// Supervises `crew` (worker, crewmate).
    pub(crate) supervisor: UserId,
    /// Supervises `other_crew` (other_worker).
    pub(crate) other_supervisor: UserId,
    pub(crate) worker: UserId,
    pub(crate) crewmate: UserId,
    pub(crate) other_worker: UserId,
    pub(crate) site: SiteId,
    pub(crate) crew: CrewId,
    pub(crate) other_crew: CrewId,
}

impl Org {
    /// The context of `user` acting with `role`'s permissions.
    pub(crate) fn context(&self, user: UserId, role: BuiltinRole) -> AccessContext {
        AccessContext {
            org_id: self.org_id,
            user_id: Some(user),
            permissions: role.permissions(),
        }
    }

    /// Every permission there is (except the platform's): the most a context can hold.
    pub(crate) fn all_powerful(&self) -> AccessContext {
        AccessContext {
            org_id: self.org_id,
            user_id: Some(self.admin),
            permissions: Permission::ALL
                .iter()
                .copied()
                .filter(|p| *p != Permission::PlatformAdmin)
                .collect(),
        }
    }
}

pub(crate) const HASH: &str =
    "$argon2id$v=19$m=1024,t=1,p=1$c2FsdHNhbHRzYWx0$Q2hlY2tlZCBieSBub2JvZHkgaW4gdGhpcyB0ZXN0";

pub(crate) async fn org(regions: &Regions, slug: &str, region: Region) -> anyhow::Result<Org> {
    let name = format!("{slug} Ltd");
    let created = organisations::create(
        regions,
        &NewOrganisation {
            slug: OrgSlug::parse(slug)?,
            name: DisplayName::parse(&name)?,
            region,
            admin_email: EmailAddress::parse(&format!("admin@{slug}.example"))?,
            admin_name: DisplayName::parse("Ada Admin")?,
            admin_password_hash: HASH.into(),
        },
    )
    .await?;
    let org_id = created.organisation.org_id;
    let admin = created.admin_id;
    let admin_context = AccessContext {
        org_id,
        user_id: Some(admin),
        permissions: BuiltinRole::OrgAdmin.permissions(),
    };
    let mut tx = begin(regions.pool(region)?, &admin_context).await?;
    let mut add = async |name: &str, role: BuiltinRole| -> anyhow::Result<UserId> {
        let user_id = UserId::new();
        let local = name.to_lowercase().replace(' ', ".");
        people::insert(
            &mut tx,
            org_id,
            &people::NewPerson {
                user_id,
                email: EmailAddress::parse(&format!("{local}@{slug}.example"))?,
                display_name: DisplayName::parse(name)?,
                role_id: created.roles[role.key()],
            },
        )
        .await?;
        Ok(user_id)
    };
    let manager = add("Mona Manager", BuiltinRole::HseManager).await?;
    let auditor = add("Aldo Auditor", BuiltinRole::Auditor).await?;
    let supervisor = add("Sue Supervisor", BuiltinRole::Supervisor).await?;
    let other_supervisor = add("Otto Supervisor", BuiltinRole::Supervisor).await?;
    let worker = add("Will Worker", BuiltinRole::Worker).await?;
    let crewmate = add("Cara Crewmate", BuiltinRole::Worker).await?;
    let other_worker = add("Olga Worker", BuiltinRole::Worker).await?;
    people::insert_password_hash(&mut tx, org_id, worker, HASH).await?;
    let site = sites::create(
        &mut tx,
        org_id,
        &DisplayName::parse("Main Site")?,
        "1 Main St",
    )
    .await?;
    let crew = crews::create(
        &mut tx,
        org_id,
        &DisplayName::parse("Crew One")?,
        Some(supervisor),
        Some(site),
    )
    .await?;
    let other_crew = crews::create(
        &mut tx,
        org_id,
        &DisplayName::parse("Crew Two")?,
        Some(other_supervisor),
        None,
    )
    .await?;
    crews::add_member(&mut tx, org_id, crew, worker).await?;
    crews::add_member(&mut tx, org_id, crew, crewmate).await?;
    crews::add_member(&mut tx, org_id, other_crew, other_worker).await?;
    tx.commit().await?;
    Ok(Org {
        org_id,
        slug: slug.to_owned(),
        name,
        region,
        roles: created.roles,
        admin,
        manager,
        auditor,
        supervisor,
        other_supervisor,
        worker,
        crewmate,
        other_worker,
        site,
        crew,
        other_crew,
    })
}

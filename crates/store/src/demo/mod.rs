//! The demo data `attest serve --demo` seeds on first start: a construction company homed in
//! North America and an energy company homed in Canada, with people in every built-in role,
//! sites and crews, so the product means something on first sign-in. The [`credentials`] and
//! [`requisitions`] modules seed each product's part.

mod credentials;
mod requisitions;

use self::credentials::{DemoCredentials, Seeded};
use crate::audit::AuditAction;
use crate::audit::{self, Actor, AuditEvent, Origin};
use crate::organisations::{self, NewOrganisation};
use crate::{AccessContext, Regions, StoreError, begin, crews, directory, people, sites};
use attest_core::{BuiltinRole, DisplayName, EmailAddress, OrgSlug, Region, UserId};
use std::collections::BTreeMap;

struct DemoOrg {
    slug: &'static str,
    name: &'static str,
    region: Region,
    domain: &'static str,
    /// (name, role); the first is the organisation admin.
    people: &'static [(&'static str, BuiltinRole)],
    /// (name, address)
    sites: &'static [(&'static str, &'static str)],
    /// (crew name, supervisor, site, members)
    crews: &'static [(
        &'static str,
        &'static str,
        &'static str,
        &'static [&'static str],
    )],
    credentials: DemoCredentials,
}

use BuiltinRole::*;

const NORTHWIND: DemoOrg = DemoOrg {
    slug: "northwind",
    name: "Northwind Constructors",
    region: Region::Na,
    domain: "northwind.example",
    people: &[
        ("Olivia Grant", OrgAdmin),
        ("Hannah Okafor", HseManager),
        ("Samuel Reyes", Supervisor),
        ("Priya Nair", Supervisor),
        ("Liam Chen", Worker),
        ("Ava Martin", Worker),
        ("Noah Tremblay", Worker),
        ("Zoe Wilson", Worker),
        ("Ethan Brown", Worker),
        ("Mia Roy", Worker),
        ("Lucas Gagnon", Worker),
        ("Chloé Bouchard", Worker),
        ("Aisha Khan", Auditor),
        ("Daniel Park", RequisitionAuthor),
        ("Grace Liu", ComplianceReviewer),
    ],
    sites: &[
        ("Harbour Tower", "100 Harbour Street, Oakland, CA"),
        ("Eastside Depot", "2250 Industrial Way, Hayward, CA"),
        ("North Yard", "18 Quarry Road, Richmond, CA"),
    ],
    crews: &[
        (
            "Tower framing",
            "Samuel Reyes",
            "Harbour Tower",
            &["Liam Chen", "Ava Martin", "Noah Tremblay", "Zoe Wilson"],
        ),
        (
            "Electrical",
            "Priya Nair",
            "Eastside Depot",
            &["Ethan Brown", "Mia Roy", "Lucas Gagnon", "Chloé Bouchard"],
        ),
    ],
    credentials: DemoCredentials {
        job_roles: &[
            (
                "Carpenter",
                &[],
                &["Liam Chen", "Ava Martin", "Noah Tremblay", "Zoe Wilson"],
            ),
            (
                "Electrician",
                &["LOTO"],
                &["Ethan Brown", "Mia Roy", "Lucas Gagnon", "Chloé Bouchard"],
            ),
        ],
        sites: &[
            ("Harbour Tower", &["FACPR", "WAH", "FALL"]),
            ("Eastside Depot", &["FACPR", "WHMIS"]),
            ("North Yard", &["FACPR", "GD"]),
        ],
        credentials: &[
            ("Liam Chen", "FACPR", 410, RED_CROSS, None),
            ("Liam Chen", "WAH", 300, IHSA, None),
            ("Liam Chen", "FALL", 250, IHSA, None),
            ("Ava Martin", "FACPR", 200, ST_JOHN, None),
            ("Ava Martin", "WAH", 12, IHSA, None),
            ("Ava Martin", "FALL", 520, IHSA, None),
            ("Noah Tremblay", "FACPR", -5, RED_CROSS, None),
            ("Noah Tremblay", "WAH", 610, IHSA, None),
            ("Noah Tremblay", "FALL", 95, IHSA, None),
            ("Zoe Wilson", "FACPR", 700, ST_JOHN, None),
            ("Zoe Wilson", "WAH", 45, IHSA, None),
            ("Ethan Brown", "FACPR", 300, RED_CROSS, None),
            ("Ethan Brown", "WHMIS", 200, NORTHWIND_TRAINING, None),
            ("Ethan Brown", "LOTO", 400, NORTHWIND_TRAINING, None),
            ("Mia Roy", "FACPR", 150, ST_JOHN, None),
            ("Mia Roy", "WHMIS", 25, NORTHWIND_TRAINING, None),
            ("Mia Roy", "LOTO", 80, NORTHWIND_TRAINING, None),
            ("Lucas Gagnon", "FACPR", 500, RED_CROSS, None),
            ("Lucas Gagnon", "WHMIS", -20, NORTHWIND_TRAINING, None),
            ("Lucas Gagnon", "LOTO", 900, NORTHWIND_TRAINING, None),
            ("Chloé Bouchard", "FACPR", 60, ST_JOHN, None),
            ("Chloé Bouchard", "WHMIS", 300, NORTHWIND_TRAINING, None),
            (
                "Chloé Bouchard",
                "LOTO",
                640,
                NORTHWIND_TRAINING,
                Some("Lockout procedure breach under review"),
            ),
            ("Chloé Bouchard", "FORK", 330, "Lift Academy", None),
            ("Samuel Reyes", "FACPR", 90, RED_CROSS, None),
            ("Samuel Reyes", "OSHA30", 3000, "OSHA Outreach", None),
        ],
    },
};

const RED_CROSS: &str = "Canadian Red Cross";
const ST_JOHN: &str = "St. John Ambulance";
const IHSA: &str = "IHSA";
const NORTHWIND_TRAINING: &str = "Northwind Safety Training";

const MAPLE_RIDGE: DemoOrg = DemoOrg {
    slug: "maple-ridge",
    name: "Maple Ridge Energy",
    region: Region::Ca,
    domain: "mapleridge.example",
    people: &[
        ("Émilie Lavoie", OrgAdmin),
        ("Marc Dubois", HseManager),
        ("Jean Leblanc", Supervisor),
        ("Sophie Côté", Worker),
        ("Olivier Pelletier", Worker),
        ("Amira Haddad", Worker),
    ],
    sites: &[("Fort Hills Camp", "Highway 63, Fort McMurray, AB")],
    crews: &[(
        "Turnaround crew",
        "Jean Leblanc",
        "Fort Hills Camp",
        &["Sophie Côté", "Olivier Pelletier", "Amira Haddad"],
    )],
    credentials: DemoCredentials {
        job_roles: &[(
            "Process operator",
            &["CSE"],
            &["Sophie Côté", "Olivier Pelletier", "Amira Haddad"],
        )],
        sites: &[("Fort Hills Camp", &["H2S", "FACPR", "GD"])],
        credentials: &[
            ("Sophie Côté", "H2S", 540, ENERGY_SAFETY, None),
            ("Sophie Côté", "FACPR", 380, RED_CROSS, None),
            ("Sophie Côté", "GD", 700, ENERGY_SAFETY, None),
            ("Sophie Côté", "CSE", 260, ENERGY_SAFETY, None),
            ("Olivier Pelletier", "H2S", 20, ENERGY_SAFETY, None),
            ("Olivier Pelletier", "FACPR", 410, ST_JOHN, None),
            ("Olivier Pelletier", "GD", 300, ENERGY_SAFETY, None),
            ("Olivier Pelletier", "CSE", 150, ENERGY_SAFETY, None),
            ("Amira Haddad", "H2S", 330, ENERGY_SAFETY, None),
            ("Amira Haddad", "FACPR", 95, RED_CROSS, None),
            ("Amira Haddad", "GD", 480, ENERGY_SAFETY, None),
            ("Amira Haddad", "CSE", -10, ENERGY_SAFETY, None),
        ],
    },
};

const ENERGY_SAFETY: &str = "Energy Safety Canada";

/// A demo account.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DemoAccount {
    pub organisation: String,
    pub slug: String,
    pub region: Region,
    pub email: String,
    pub name: String,
    pub role: BuiltinRole,
}

/// What seeding did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DemoOutcome {
    /// Organisations created now (empty if they all existed).
    pub created: Vec<String>,
}

/// The demo accounts, whether or not they have been seeded.
pub fn accounts() -> Vec<DemoAccount> {
    [NORTHWIND, MAPLE_RIDGE]
        .iter()
        .flat_map(|org| {
            org.people.iter().map(|(name, role)| DemoAccount {
                organisation: org.name.to_owned(),
                slug: org.slug.to_owned(),
                region: org.region,
                email: email_for(name, org.domain),
                name: (*name).to_owned(),
                role: *role,
            })
        })
        .collect()
}

/// Seeds every demo organisation that does not exist yet (in regions this server has), giving
/// every demo account the password whose argon2id hash is `password_hash`.
pub async fn seed(
    regions: &Regions,
    kek: &dyn attest_crypto::KeyEncryptionKey,
    password_hash: &str,
) -> Result<DemoOutcome, StoreError> {
    let mut created = Vec::new();
    for org in [NORTHWIND, MAPLE_RIDGE] {
        if regions.pool(org.region).is_err() {
            tracing::warn!(slug = org.slug, region = %org.region, "demo organisation skipped: region not configured");
            continue;
        }
        let slug = parse(OrgSlug::parse(org.slug))?;
        if directory::lookup(regions.primary(), &slug).await?.is_some() {
            continue;
        }
        seed_one(regions, kek, &org, slug, password_hash).await?;
        created.push(org.slug.to_owned());
    }
    Ok(DemoOutcome { created })
}

async fn seed_one(
    regions: &Regions,
    kek: &dyn attest_crypto::KeyEncryptionKey,
    org: &DemoOrg,
    slug: OrgSlug,
    password_hash: &str,
) -> Result<(), StoreError> {
    let (admin_name, _) = org.people[0];
    let new = NewOrganisation {
        slug,
        name: parse(DisplayName::parse(org.name))?,
        region: org.region,
        admin_email: parse(EmailAddress::parse(&email_for(admin_name, org.domain)))?,
        admin_name: parse(DisplayName::parse(admin_name))?,
        admin_password_hash: password_hash.to_owned(),
    };
    let created = organisations::create(regions, &new).await?;
    let org_id = created.organisation.org_id;
    let context = AccessContext {
        org_id,
        user_id: Some(created.admin_id),
        permissions: OrgAdmin.permissions(),
    };
    let mut tx = begin(regions.pool(org.region)?, &context).await?;
    let now = time::OffsetDateTime::now_utc();
    people::mark_verified(&mut tx, created.admin_id, now).await?;
    let mut ids: BTreeMap<&str, UserId> = BTreeMap::from([(admin_name, created.admin_id)]);
    for (name, role) in &org.people[1..] {
        let person = people::NewPerson {
            user_id: UserId::new(),
            email: parse(EmailAddress::parse(&email_for(name, org.domain)))?,
            display_name: parse(DisplayName::parse(name))?,
            role_id: created.roles[role.key()],
        };
        people::insert(&mut tx, org_id, &person).await?;
        people::insert_password_hash(&mut tx, org_id, person.user_id, password_hash).await?;
        people::mark_verified(&mut tx, person.user_id, now).await?;
        ids.insert(name, person.user_id);
    }
    let mut site_ids = BTreeMap::new();
    for (name, address) in org.sites {
        site_ids.insert(
            *name,
            sites::create(&mut tx, org_id, &parse(DisplayName::parse(name))?, address).await?,
        );
    }
    for (name, supervisor, site, members) in org.crews {
        let crew = crews::create(
            &mut tx,
            org_id,
            &parse(DisplayName::parse(name))?,
            ids.get(supervisor).copied(),
            site_ids.get(site).copied(),
        )
        .await?;
        for member in *members {
            if let Some(user) = ids.get(member) {
                crews::add_member(&mut tx, org_id, crew, *user).await?;
            }
        }
    }
    // Seeding is an administrative action like any other: on the record, by the system.
    let seeded =
        |action: AuditAction, resource_type: &'static str, id: String, subject, details| {
            AuditEvent {
                occurred_at: now,
                actor: Actor::System,
                action,
                resource_type,
                resource_id: Some(id),
                subject,
                origin: Origin::default(),
                details,
            }
        };
    audit::append(
        &mut tx,
        org_id,
        &seeded(
            AuditAction::OrganisationCreated,
            "organisation",
            org_id.to_string(),
            Some(created.admin_id),
            serde_json::json!({ "seed": "demo", "region": org.region.code() }),
        ),
    )
    .await?;
    for (name, role) in &org.people[1..] {
        if let Some(user) = ids.get(name) {
            audit::append(
                &mut tx,
                org_id,
                &seeded(
                    AuditAction::MemberAdded,
                    "account",
                    user.to_string(),
                    Some(*user),
                    serde_json::json!({ "seed": "demo", "role": role.key() }),
                ),
            )
            .await?;
        }
    }
    tx.commit().await?;
    let manager = org
        .people
        .iter()
        .find(|(_, role)| *role == HseManager)
        .and_then(|(name, _)| ids.get(name).copied())
        .ok_or(StoreError::NotFound)?;
    let seeded = Seeded {
        org_id,
        manager,
        people: &ids,
        sites: &site_ids,
    };
    credentials::seed(
        regions.pool(org.region)?,
        kek,
        &org.credentials,
        &seeded,
        now,
    )
    .await?;
    let role_holder = |wanted: BuiltinRole| {
        org.people
            .iter()
            .find(|(_, role)| *role == wanted)
            .and_then(|(name, _)| ids.get(name).copied())
    };
    if let (Some(author), Some(reviewer)) = (
        role_holder(RequisitionAuthor),
        role_holder(ComplianceReviewer),
    ) {
        requisitions::seed(regions.pool(org.region)?, org_id, author, reviewer, now).await?;
    }
    tracing::info!(slug = org.slug, region = %org.region, %org_id, "demo organisation created");
    Ok(())
}

/// `Olivia Grant` at `northwind.example` → `olivia.grant@northwind.example` (accents dropped).
fn email_for(name: &str, domain: &str) -> String {
    let local: String = name
        .to_lowercase()
        .chars()
        .map(|c| match c {
            'é' | 'è' | 'ê' => 'e',
            'ô' => 'o',
            ' ' => '.',
            other => other,
        })
        .filter(|c| c.is_ascii_alphanumeric() || *c == '.')
        .collect();
    format!("{local}@{domain}")
}

/// The demo data is constant; a parse failure is a programming error reported as not-found
/// rather than a panic.
fn parse<T, E: std::fmt::Display>(result: Result<T, E>) -> Result<T, StoreError> {
    result.map_err(|e| {
        tracing::error!(error = %e, "invalid demo data");
        StoreError::NotFound
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn emails_are_plain_ascii() {
        assert_eq!(
            email_for("Chloé Bouchard", "x.example"),
            "chloe.bouchard@x.example"
        );
        assert_eq!(
            email_for("Émilie Lavoie", "x.example"),
            "emilie.lavoie@x.example"
        );
    }

    #[test]
    fn every_demo_value_is_valid() {
        for account in accounts() {
            EmailAddress::parse(&account.email).unwrap();
            DisplayName::parse(&account.name).unwrap();
            OrgSlug::parse(&account.slug).unwrap();
        }
        for org in [NORTHWIND, MAPLE_RIDGE] {
            assert_eq!(
                org.people[0].1, OrgAdmin,
                "the first person administers {}",
                org.slug
            );
            for (_, supervisor, site, members) in org.crews {
                assert!(
                    org.people
                        .iter()
                        .any(|(n, r)| n == supervisor && *r == Supervisor)
                );
                assert!(org.sites.iter().any(|(s, _)| s == site));
                assert!(
                    members
                        .iter()
                        .all(|m| org.people.iter().any(|(n, _)| n == m))
                );
            }
        }
    }

    #[test]
    fn every_organisation_role_has_a_demo_account() {
        let roles: Vec<_> = accounts().iter().map(|a| a.role).collect();
        for role in BuiltinRole::organisation_roles() {
            assert!(roles.contains(&role), "{}", role.key());
        }
    }
}

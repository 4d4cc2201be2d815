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
    identity_rows(regions, org_id, region, worker).await?;
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

/// Rows in every identity table for `worker` (a session, a refresh token, an email token, a
/// second factor and a recovery code, a failed sign-in, an audit event, a queued mail), written
/// as the worker themselves, as the sign-in flows do.
async fn identity_rows(
    regions: &Regions,
    org_id: OrgId,
    region: Region,
    worker: UserId,
) -> anyhow::Result<()> {
    use attest_store::{accounts, audit, email_tokens, ledger, mfa, outbox, sessions};
    let now = time::OffsetDateTime::now_utc();
    let context = AccessContext {
        org_id,
        user_id: Some(worker),
        permissions: attest_core::PermissionSet::empty(),
    };
    let mut tx = begin(regions.pool(region)?, &context).await?;
    let new = sessions::NewSession {
        session_id: uuid::Uuid::now_v7(),
        user_id: worker,
        now,
        lifetime: time::Duration::hours(12),
        mfa_verified: false,
        user_agent: Some("fixture".into()),
        source_ip: None,
        token_hash: [1; 32],
    };
    sessions::create(&mut tx, org_id, &new).await?;
    email_tokens::create(
        &mut tx,
        org_id,
        worker,
        email_tokens::Purpose::VerifyEmail,
        None,
        now,
        time::Duration::hours(1),
    )
    .await?;
    mfa::start_enrolment(&mut tx, org_id, worker, b"sealed secret", now).await?;
    mfa::replace_recovery_codes(&mut tx, org_id, worker, &[[2; 32]]).await?;
    accounts::record_failure(
        &mut tx,
        org_id,
        worker,
        now,
        accounts::LockPolicy::default(),
    )
    .await?;
    let event = audit::AuditEvent {
        occurred_at: now,
        actor: audit::Actor::System,
        action: audit::AuditAction::MemberAdded,
        resource_type: "account",
        resource_id: Some(worker.to_string()),
        subject: Some(worker),
        origin: audit::Origin::default(),
        details: serde_json::json!({}),
    };
    audit::append(&mut tx, org_id, &event).await?;
    tx.commit().await?;
    // Integrate it (tree, checkpoint, the organisation's log key), then leave one event waiting.
    ledger::integrate(regions.pool(region)?, &attest_testkit::kek()?, org_id, 100).await?;
    let mut tx = begin(regions.pool(region)?, &context).await?;
    audit::append(&mut tx, org_id, &event).await?;
    let mail = outbox::Mail {
        kind: "fixture".into(),
        to: "will.worker@example.com".into(),
        subject: "Hello".into(),
        body: "Hello".into(),
    };
    outbox::enqueue(&mut tx, org_id, &mail, now).await?;
    tx.commit().await?;
    Ok(())
}

/// Rows in every credentials table: a starter type, a job role held by `worker`, requirements
/// of the site and the job role, an evidence file and a credential with personal fields.
pub(crate) async fn credential_rows(
    pool: &sqlx::PgPool,
    o: &Org,
    kek: &attest_crypto::LocalKek,
) -> anyhow::Result<()> {
    let (worker, site) = (o.worker, o.site);
    let manager = &o.context(o.manager, BuiltinRole::HseManager);
    use attest_store::credentials::{self, NewCredential, NewEvidence, PersonalFields, Renewal};
    use attest_store::{credential_types, job_roles, requirements};
    let org_id = manager.org_id;
    let mut tx = begin(pool, manager).await?;
    let starter = attest_core::STARTER_CATALOGUE
        .first()
        .ok_or_else(|| anyhow::anyhow!("empty catalogue"))?;
    let added = credential_types::adopt(&mut tx, org_id, &[starter]).await?;
    let (type_id, _) = added
        .first()
        .cloned()
        .ok_or_else(|| anyhow::anyhow!("not adopted"))?;
    let settings = attest_store::credential_settings::CredentialSettings {
        expiring_window_days: 45,
        reminder_offsets_days: vec![60, 14],
    };
    attest_store::credential_settings::set(&mut tx, org_id, &settings).await?;
    let role = job_roles::create(&mut tx, org_id, &DisplayName::parse("Rigger")?).await?;
    job_roles::assign(&mut tx, org_id, worker, Some(role)).await?;
    requirements::add(&mut tx, org_id, type_id, requirements::Target::Site(site)).await?;
    requirements::add(
        &mut tx,
        org_id,
        type_id,
        requirements::Target::JobRole(role),
    )
    .await?;
    let file = NewEvidence {
        user_id: worker,
        content_type: "application/pdf",
        bytes: b"%PDF-1.4 fixture",
        uploaded_by: manager.user_id,
    };
    let evidence = credentials::store_evidence(&mut tx, kek, org_id, &file).await?;
    let new = NewCredential {
        user_id: worker,
        type_id,
        renewal: Renewal {
            issuer: "Red Cross".into(),
            issued_on: time::macros::date!(2026 - 01 - 01),
            expires_on: None,
            personal: PersonalFields {
                number: Some("RC-1".into()),
                notes: None,
                evidence_id: Some(evidence),
            },
        },
    };
    let credential = credentials::add(&mut tx, kek, org_id, manager.user_id, &new).await?;
    let reminder = attest_store::expiry::Reminder {
        credential_id: credential,
        version: 1,
        kind: "reminder",
        offset_days: 30,
        recipients: 2,
    };
    attest_store::expiry::record_reminder(
        &mut tx,
        org_id,
        &reminder,
        time::OffsetDateTime::now_utc(),
    )
    .await?;
    tx.commit().await?;

    // Badges: the worker's badge (holder, status list, badge key), its revocation by suspending
    // the credential, and a supervisor's scan.
    let now = time::OffsetDateTime::now_utc();
    let mut tx = begin(pool, &o.context(worker, BuiltinRole::Worker)).await?;
    attest_store::badges::issue_own(&mut tx, kek, org_id, &o.slug, worker, now).await?;
    tx.commit().await?;
    let mut tx = begin(pool, manager).await?;
    credentials::set_state(
        &mut tx,
        credential,
        attest_core::CredentialState::Suspended,
        Some("fixture"),
        now,
    )
    .await?;
    tx.commit().await?;
    let scan = attest_store::badges::Scan {
        scan_id: uuid::Uuid::now_v7(),
        scanned_by: o.supervisor,
        scanned_at: now,
        valid: true,
        reason: None,
        subject_user: Some(worker),
    };
    let mut tx = begin(pool, &o.context(o.supervisor, BuiltinRole::Supervisor)).await?;
    attest_store::badges::record_scan(&mut tx, org_id, &scan).await?;
    tx.commit().await?;
    Ok(())
}

/// A requisition by the worker (as a requisition author) with its analysis, and a reviewer's
/// decision on one of its findings.
pub(crate) async fn requisition_rows(pool: &sqlx::PgPool, o: &Org) -> anyhow::Result<()> {
    use attest_store::requisitions::{self, NewVersion, ReviewDecision, Source};
    let text = "Warehouse associate. No felons. Native English speaker required.";
    let fields = attest_reqiq::Fields::default();
    let report = attest_reqiq::analyze(text, &fields);
    let fingerprint = report
        .findings
        .first()
        .map(|f| f.fingerprint.clone())
        .ok_or_else(|| anyhow::anyhow!("the fixture text has findings"))?;
    let version = NewVersion {
        body: text,
        fields: &fields,
        source: Source::Paste,
        file_name: None,
    };
    let author = o.context(o.worker, BuiltinRole::RequisitionAuthor);
    let mut tx = begin(pool, &author).await?;
    let id =
        requisitions::create(&mut tx, o.org_id, o.worker, "Warehouse", &version, &report).await?;
    tx.commit().await?;
    let reviewer = o.context(o.manager, BuiltinRole::ComplianceReviewer);
    let mut tx = begin(pool, &reviewer).await?;
    requisitions::review(
        &mut tx,
        o.org_id,
        id,
        &fingerprint,
        o.manager,
        ReviewDecision::Dismissed,
        "fixture",
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

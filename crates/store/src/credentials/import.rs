//! Importing credentials: every row checked against the organisation (the worker by address,
//! the type by code or name, what is on record) before anything is written; then, if no row has
//! a problem and this is not a dry run, everything written in bulk in the caller's transaction
//! (all or nothing). A row that matches what is on record changes nothing, so importing the same
//! file twice changes nothing the second time.

use super::personal::{self, PersonalFields};
use crate::{StoreError, Tx, data_keys};
use attest_core::{CredentialId, CredentialTypeId, OrgId, UserId};
use attest_crypto::KeyEncryptionKey;
use attest_import::{CredentialRow, Expiry, Problem};
use serde::Serialize;
use std::collections::HashMap;
use time::Date;
use uuid::Uuid;

/// Rows written per statement (and per progress report).
const CHUNK: usize = 1000;

/// What an import found, and (unless refused or a dry run) did.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct ImportReport {
    pub rows: usize,
    pub added: usize,
    pub renewed: usize,
    pub unchanged: usize,
    pub problems: Vec<Problem>,
    /// Whether anything was written.
    pub applied: bool,
}

/// Progress: rows checked or written so far, of how many.
pub trait Progress: Send {
    fn step(&mut self, stage: &'static str, done: usize, total: usize);
}

impl<F: FnMut(&'static str, usize, usize) + Send> Progress for F {
    fn step(&mut self, stage: &'static str, done: usize, total: usize) {
        self(stage, done, total);
    }
}

/// One row, resolved.
struct Planned<'a> {
    row: &'a CredentialRow,
    user: UserId,
    type_id: CredentialTypeId,
    expires_on: Option<Date>,
    /// The credential on record to renew, and its next version.
    renews: Option<(CredentialId, i32)>,
}

struct OnRecord {
    credential_id: CredentialId,
    version: i32,
    issuer: String,
    issued_on: Date,
    expires_on: Option<Date>,
}

/// Checks `rows` (and, with `apply`, writes them). Needs `people.read.org`,
/// `credentials.read.org` and `credentials.manage`.
pub async fn import_credentials(
    tx: &mut Tx,
    kek: &dyn KeyEncryptionKey,
    org_id: OrgId,
    recorded_by: Option<UserId>,
    rows: &[CredentialRow],
    apply: bool,
    progress: &mut dyn Progress,
) -> Result<ImportReport, StoreError> {
    let mut report = ImportReport {
        rows: rows.len(),
        ..ImportReport::default()
    };
    let plan = plan(tx, rows, &mut report).await?;
    progress.step("checked", rows.len(), rows.len());
    if !report.problems.is_empty() || !apply {
        return Ok(report);
    }
    let people: Vec<UserId> = {
        let mut p: Vec<UserId> = plan
            .iter()
            .filter(|p| has_personal(p.row))
            .map(|p| p.user)
            .collect();
        p.sort_unstable();
        p.dedup();
        p
    };
    let keys = data_keys::person_keys(tx, kek, org_id, &people).await?;
    let total = plan.len();
    let mut done = 0;
    for chunk in plan.chunks(CHUNK) {
        write_chunk(tx, org_id, recorded_by, chunk, &keys).await?;
        done += chunk.len();
        progress.step("written", done, total);
    }
    report.applied = true;
    Ok(report)
}

fn has_personal(row: &CredentialRow) -> bool {
    row.number.is_some() || row.notes.is_some()
}

async fn plan<'a>(
    tx: &mut Tx,
    rows: &'a [CredentialRow],
    report: &mut ImportReport,
) -> Result<Vec<Planned<'a>>, StoreError> {
    let people: HashMap<String, UserId> = sqlx::query!(
        "select user_id, attest.email_key(email) as \"email!\" from attest.users where org_id = attest.current_org_id()"
    )
    .fetch_all(&mut **tx)
    .await?
    .into_iter()
    .map(|r| (r.email, UserId::from(r.user_id)))
    .collect();
    let types = crate::credential_types::list(tx).await?;
    let by_code: HashMap<String, &crate::credential_types::CredentialType> = types
        .iter()
        .flat_map(|t| [(t.code.to_lowercase(), t), (t.name.to_lowercase(), t)])
        .collect();
    let on_record: HashMap<(UserId, CredentialTypeId), OnRecord> = sqlx::query!(
        "select credential_id, user_id, type_id, version, issuer, issued_on, expires_on from attest.credentials
         where org_id = attest.current_org_id()"
    )
    .fetch_all(&mut **tx)
    .await?
    .into_iter()
    .map(|r| {
        let key = (UserId::from(r.user_id), CredentialTypeId::from(r.type_id));
        let record = OnRecord {
            credential_id: r.credential_id.into(),
            version: r.version,
            issuer: r.issuer,
            issued_on: r.issued_on,
            expires_on: r.expires_on,
        };
        (key, record)
    })
    .collect();
    let mut plan = Vec::with_capacity(rows.len());
    for row in rows {
        let problem = |column: &str, reason: String| Problem {
            row: row.row,
            column: column.to_owned(),
            reason,
        };
        let user = people.get(&row.email.as_str().to_lowercase()).copied();
        let kind = by_code.get(&row.credential.to_lowercase()).copied();
        if user.is_none() {
            report.problems.push(problem(
                "email",
                format!(
                    "no member of the organisation has the address {}",
                    row.email.as_str()
                ),
            ));
        }
        match kind {
            None => report.problems.push(problem(
                "credential",
                format!(
                    "{:?} is not a credential type's code or name here",
                    row.credential
                ),
            )),
            Some(t) if t.archived => report
                .problems
                .push(problem("credential", format!("{} is archived", t.name))),
            Some(_) => {}
        }
        let (Some(user), Some(kind)) = (user, kind) else {
            continue;
        };
        if kind.archived {
            continue;
        }
        let expires_on = match row.expires {
            Expiry::On(d) => Some(d),
            Expiry::Never => None,
            Expiry::TypeDefault => kind
                .validity_months
                .map(|m| attest_core::add_months(row.issued_on, m)),
        };
        let renews = match on_record.get(&(user, kind.type_id)) {
            None => None,
            Some(r)
                if r.issuer == row.issuer
                    && r.issued_on == row.issued_on
                    && r.expires_on == expires_on =>
            {
                report.unchanged += 1;
                continue;
            }
            Some(r) if row.issued_on < r.issued_on => {
                report.problems.push(problem(
                    "issued_on",
                    format!(
                        "a later {} (issued {}) is on record",
                        kind.name, r.issued_on
                    ),
                ));
                continue;
            }
            Some(r) => Some((r.credential_id, r.version + 1)),
        };
        if renews.is_some() {
            report.renewed += 1;
        } else {
            report.added += 1;
        }
        plan.push(Planned {
            row,
            user,
            type_id: kind.type_id,
            expires_on,
            renews,
        });
    }
    Ok(plan)
}

/// Column arrays for one chunk.
#[derive(Default)]
struct Columns {
    ids: Vec<Uuid>,
    users: Vec<Uuid>,
    types: Vec<Uuid>,
    versions: Vec<i32>,
    issuers: Vec<String>,
    issued: Vec<Date>,
    expires: Vec<Option<Date>>,
    numbers: Vec<Option<Vec<u8>>>,
    notes: Vec<Option<Vec<u8>>>,
}

async fn write_chunk(
    tx: &mut Tx,
    org_id: OrgId,
    recorded_by: Option<UserId>,
    chunk: &[Planned<'_>],
    keys: &HashMap<UserId, attest_crypto::DataKey>,
) -> Result<(), StoreError> {
    let mut c = Columns::default();
    for p in chunk {
        let (id, version) = p.renews.unwrap_or_else(|| (CredentialId::new(), 1));
        let fields = PersonalFields {
            number: p.row.number.clone(),
            notes: p.row.notes.clone(),
            evidence_id: None,
        };
        let (number, notes) = match keys.get(&p.user).filter(|_| has_personal(p.row)) {
            Some(key) => {
                let sealed = personal::seal(key, org_id, id, version, &fields)?;
                (sealed.number, sealed.notes)
            }
            None => (None, None),
        };
        c.ids.push(id.as_uuid());
        c.users.push(p.user.as_uuid());
        c.types.push(p.type_id.as_uuid());
        c.versions.push(version);
        c.issuers.push(p.row.issuer.clone());
        c.issued.push(p.row.issued_on);
        c.expires.push(p.expires_on);
        c.numbers.push(number);
        c.notes.push(notes);
    }
    // New credentials (version 1) and renewals (a later version) in one statement each.
    sqlx::query!(
        "insert into attest.credentials (org_id, credential_id, user_id, type_id, version, issuer, issued_on, expires_on)
         select $1, i, u, t, 1, s, d, e from unnest($2::uuid[], $3::uuid[], $4::uuid[], $5::int4[], $6::text[], $7::date[], $8::date[]) as x(i, u, t, v, s, d, e)
         where v = 1",
        org_id.as_uuid(), &c.ids, &c.users, &c.types, &c.versions, &c.issuers, &c.issued, &c.expires as &[Option<Date>],
    )
    .execute(&mut **tx)
    .await?;
    sqlx::query!(
        "update attest.credentials c set version = x.v, issuer = x.s, issued_on = x.d, expires_on = x.e,
                state = 'active', state_reason = null, state_changed_at = null, expiry_recorded_on = null, updated_at = now()
         from unnest($2::uuid[], $3::int4[], $4::text[], $5::date[], $6::date[]) as x(i, v, s, d, e)
         where c.org_id = $1 and c.credential_id = x.i and x.v > 1",
        org_id.as_uuid(), &c.ids, &c.versions, &c.issuers, &c.issued, &c.expires as &[Option<Date>],
    )
    .execute(&mut **tx)
    .await?;
    sqlx::query!(
        "insert into attest.credential_versions (org_id, credential_id, version, issuer, issued_on, expires_on, recorded_by)
         select $1, i, v, s, d, e, $7 from unnest($2::uuid[], $3::int4[], $4::text[], $5::date[], $6::date[]) as x(i, v, s, d, e)",
        org_id.as_uuid(), &c.ids, &c.versions, &c.issuers, &c.issued, &c.expires as &[Option<Date>], recorded_by.map(|u| u.as_uuid()),
    )
    .execute(&mut **tx)
    .await?;
    sqlx::query!(
        "insert into attest.credential_personal (org_id, credential_id, version, user_id, number_sealed, notes_sealed)
         select $1, i, v, u, n, o from unnest($2::uuid[], $3::int4[], $4::uuid[], $5::bytea[], $6::bytea[]) as x(i, v, u, n, o)
         where n is not null or o is not null",
        org_id.as_uuid(), &c.ids, &c.versions, &c.users, &c.numbers as &[Option<Vec<u8>>], &c.notes as &[Option<Vec<u8>>],
    )
    .execute(&mut **tx)
    .await?;
    Ok(())
}

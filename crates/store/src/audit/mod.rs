//! The audit ledger: appending events in the same transaction as the change they record, and
//! ([`ledger`]) the organisation's Merkle tree, signed checkpoints, proofs and exports.
//!
//! The appender builds the event's ledger leaf (see `attest_ledger::Leaf`) and its hash, and
//! writes the event, its personal fields and a place in the sequencer's queue in one statement.
//! The event gets a durable row number at once; the sequencer gives it its gap-free sequence
//! number (leaf index + 1) when it integrates it into the organisation's Merkle tree.

pub mod ledger;

mod action;

pub use action::AuditAction;

use crate::{StoreError, Tx};
use attest_core::{OrgId, UserId};
use attest_ledger::event::{leaf_time, truncate_to_micros};
use attest_ledger::{Leaf, Personal, hex};
use std::net::IpAddr;
use time::OffsetDateTime;
use uuid::Uuid;

/// Who acted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Actor {
    /// A signed-in (or signing-in) person, in the role they act with.
    User {
        user_id: UserId,
        role: Option<String>,
    },
    /// Attest itself (a background job).
    System,
    /// Someone not (yet) identified: a failed sign-in, a visitor.
    Anonymous,
}

/// Where a request came from.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Origin {
    pub source_ip: Option<IpAddr>,
    pub user_agent: Option<String>,
    pub request_id: Option<String>,
}

/// One audit event. Its `action`'s name is stable (`auth.sign_in`, `member.role_changed`).
/// `details` never holds secrets or special categories of personal data.
#[derive(Debug, Clone)]
pub struct AuditEvent {
    pub occurred_at: OffsetDateTime,
    pub actor: Actor,
    pub action: AuditAction,
    pub resource_type: &'static str,
    pub resource_id: Option<String>,
    /// The person the event is about.
    pub subject: Option<UserId>,
    pub origin: Origin,
    pub details: serde_json::Value,
}

/// An event ready to store: its leaf (what the tree commits to) and personal fields.
struct Prepared {
    leaf: Leaf,
    personal: Personal,
    salt: [u8; 16],
    occurred_at: OffsetDateTime,
}

fn prepare(org_id: OrgId, event: &AuditEvent) -> Result<Prepared, StoreError> {
    let occurred_at = truncate_to_micros(event.occurred_at);
    let salt = attest_crypto::random_bytes::<16>()?;
    let user_agent = event
        .origin
        .user_agent
        .as_deref()
        .map(|ua| ua.chars().take(512).collect::<String>());
    let personal = Personal {
        ip: event.origin.source_ip.map(|ip| ip.to_string()),
        ua: user_agent,
        salt: hex(&salt),
    };
    let (kind, user, role) = match &event.actor {
        Actor::User { user_id, role } => ("user", Some(user_id.as_uuid()), role.clone()),
        Actor::System => ("system", None, None),
        Actor::Anonymous => ("anonymous", None, None),
    };
    let details = if event.details.is_object() {
        event.details.clone()
    } else {
        serde_json::json!({})
    };
    let leaf = Leaf {
        v: Leaf::VERSION,
        org: org_id.as_uuid(),
        id: Uuid::now_v7(),
        time: leaf_time(occurred_at),
        actor: attest_ledger::Actor {
            kind: kind.to_owned(),
            user,
            role,
        },
        action: event.action.as_str().to_owned(),
        resource: attest_ledger::Resource {
            kind: event.resource_type.to_owned(),
            id: event.resource_id.clone(),
        },
        subject: event.subject.map(|s| s.as_uuid()),
        request: event.origin.request_id.clone(),
        details,
        personal: hex(&personal.digest()),
    };
    Ok(Prepared {
        leaf,
        personal,
        salt,
        occurred_at,
    })
}

/// Appends the event (one statement: the event, its personal fields, its place in the
/// sequencer's queue) and returns its durable row number. (No `RETURNING` from the events
/// themselves: that would need the right to read them, which appending does not.)
pub async fn append(tx: &mut Tx, org_id: OrgId, event: &AuditEvent) -> Result<i64, StoreError> {
    let p = prepare(org_id, event)?;
    let leaf = &p.leaf;
    let digest = p.personal.digest();
    let leaf_hash = leaf.hash();
    let row = sqlx::query_scalar!(
        r#"with r as (select nextval('audit.event_rows') as event_row),
           e as (insert into audit.events (org_id, event_row, event_id, occurred_at, actor_kind, actor_user_id, actor_role,
                     action, resource_type, resource_id, subject_user_id, request_id, details, personal_digest, leaf_hash)
                 select $1, event_row, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14 from r),
           p as (insert into attest.audit_personal (org_id, event_row, source_ip, user_agent, salt)
                 select $1, event_row, $15, $16, $17 from r),
           q as (insert into attest.audit_queue (org_id, event_row, leaf_hash) select $1, event_row, $14 from r)
           select event_row as "event_row!" from r"#,
        org_id.as_uuid(),
        leaf.id,
        p.occurred_at,
        leaf.actor.kind,
        leaf.actor.user,
        leaf.actor.role,
        leaf.action,
        leaf.resource.kind,
        leaf.resource.id,
        leaf.subject,
        leaf.request,
        leaf.details,
        digest.as_slice(),
        leaf_hash.0.as_slice(),
        p.personal.ip,
        p.personal.ua,
        p.salt.as_slice(),
    )
    .fetch_one(&mut **tx)
    .await?;
    Ok(row)
}

/// An event as read back.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct StoredEvent {
    /// The gap-free sequence number (leaf index + 1), once the sequencer has integrated it.
    pub seq: Option<i64>,
    pub event_id: Uuid,
    #[serde(with = "time::serde::rfc3339")]
    pub occurred_at: OffsetDateTime,
    pub actor_kind: String,
    pub actor_user_id: Option<Uuid>,
    pub actor_role: Option<String>,
    pub action: String,
    pub resource_type: String,
    pub resource_id: Option<String>,
    pub subject_user_id: Option<Uuid>,
    /// `None` once erased (or never known).
    pub source_ip: Option<String>,
    pub user_agent: Option<String>,
    pub request_id: Option<String>,
    pub details: serde_json::Value,
}

/// Which events to list.
#[derive(Debug, Clone, Default)]
pub struct Filter {
    pub actor: Option<Uuid>,
    pub action: Option<String>,
    pub resource_type: Option<String>,
    pub resource_id: Option<String>,
    pub subject: Option<Uuid>,
    pub from: Option<OffsetDateTime>,
    pub to: Option<OffsetDateTime>,
    /// Only events appended before this row (paging, newest first).
    pub before_row: Option<i64>,
}

/// Events the context may read (`audit.read.org`, or `audit.read.self` for one's own), newest
/// first, with their row numbers for paging.
pub async fn list(
    tx: &mut Tx,
    filter: &Filter,
    limit: i64,
) -> Result<Vec<(i64, StoredEvent)>, StoreError> {
    // A page's leaf index and personal fields are looked up per event (correlated subqueries,
    // which PostgreSQL runs for the rows returned only), never joined: statistics a growing log
    // has outrun made the planner read every personal row of the organisation for one page.
    crate::context::plan_for_given_values(tx).await?;
    let rows = sqlx::query!(
        r#"select e.event_row,
                  (select l.leaf_index from audit.leaves l
                    where l.org_id = e.org_id and l.event_row = e.event_row) as "leaf_index?",
                  e.event_id, e.occurred_at, e.actor_kind, e.actor_user_id,
                  e.actor_role, e.action, e.resource_type, e.resource_id, e.subject_user_id,
                  (select p.source_ip from attest.audit_personal p
                    where p.org_id = e.org_id and p.event_row = e.event_row) as "source_ip?",
                  (select p.user_agent from attest.audit_personal p
                    where p.org_id = e.org_id and p.event_row = e.event_row) as "user_agent?",
                  e.request_id, e.details
           from audit.events e
           where e.org_id = attest.current_org_id()
             and ($1::uuid is null or e.actor_user_id = $1)
             and ($2::text is null or e.action = $2 or starts_with(e.action, $2 || '.'))
             and ($3::text is null or e.resource_type = $3)
             and ($4::text is null or e.resource_id = $4)
             and ($5::uuid is null or e.subject_user_id = $5)
             and ($6::timestamptz is null or e.occurred_at >= $6)
             and ($7::timestamptz is null or e.occurred_at < $7)
             and ($8::bigint is null or e.event_row < $8)
           order by e.event_row desc
           limit $9"#,
        filter.actor,
        filter.action,
        filter.resource_type,
        filter.resource_id,
        filter.subject,
        filter.from,
        filter.to,
        filter.before_row,
        limit,
    )
    .fetch_all(&mut **tx)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| {
            (
                r.event_row,
                StoredEvent {
                    seq: r.leaf_index.map(|i| i + 1),
                    event_id: r.event_id,
                    occurred_at: r.occurred_at,
                    actor_kind: r.actor_kind,
                    actor_user_id: r.actor_user_id,
                    actor_role: r.actor_role,
                    action: r.action,
                    resource_type: r.resource_type,
                    resource_id: r.resource_id,
                    subject_user_id: r.subject_user_id,
                    source_ip: r.source_ip,
                    user_agent: r.user_agent,
                    request_id: r.request_id,
                    details: r.details,
                },
            )
        })
        .collect())
}

/// The most recent events the context may read, newest first.
pub async fn recent(tx: &mut Tx, limit: i64) -> Result<Vec<StoredEvent>, StoreError> {
    Ok(list(tx, &Filter::default(), limit)
        .await?
        .into_iter()
        .map(|(_, e)| e)
        .collect())
}

/// Erases the personal fields (source IP, user agent) of every event by or about `person`, for a
/// deletion request. The events and the tree stay as they are: each leaf holds only the salted
/// digest of what is erased. Needs `people.manage`. Returns how many events were affected.
pub async fn erase_personal(tx: &mut Tx, person: UserId) -> Result<u64, StoreError> {
    Ok(sqlx::query!(
        "delete from attest.audit_personal p using audit.events e
         where p.org_id = attest.current_org_id() and e.org_id = p.org_id and e.event_row = p.event_row
           and (e.actor_user_id = $1 or e.subject_user_id = $1)",
        person.as_uuid(),
    )
    .execute(&mut **tx)
    .await?
    .rows_affected())
}

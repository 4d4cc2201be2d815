//! Appending audit events, in the same transaction as the change they record.

use crate::{StoreError, Tx};
use attest_core::{OrgId, UserId};
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

/// One audit event. `action` is a stable dotted name (`auth.sign_in`, `member.role_changed`).
/// `details` never holds secrets or special categories of personal data.
#[derive(Debug, Clone)]
pub struct AuditEvent {
    pub occurred_at: OffsetDateTime,
    pub actor: Actor,
    pub action: &'static str,
    pub resource_type: &'static str,
    pub resource_id: Option<String>,
    /// The person the event is about.
    pub subject: Option<UserId>,
    pub origin: Origin,
    pub details: serde_json::Value,
}

/// Appends the event to the organisation's log and returns its sequence number. Sequence numbers
/// are gap-free: the counter row stays locked until the transaction ends, and a rollback gives
/// the number back along with the change it would have recorded.
pub async fn append(tx: &mut Tx, org_id: OrgId, event: &AuditEvent) -> Result<i64, StoreError> {
    let seq = sqlx::query_scalar!(
        r#"insert into audit.counters (org_id, next_seq) values ($1, 2)
           on conflict (org_id) do update set next_seq = audit.counters.next_seq + 1
           returning next_seq - 1 as "seq!""#,
        org_id.as_uuid(),
    )
    .fetch_one(&mut **tx)
    .await?;
    let (kind, actor_user, actor_role) = match &event.actor {
        Actor::User { user_id, role } => ("user", Some(user_id.as_uuid()), role.clone()),
        Actor::System => ("system", None, None),
        Actor::Anonymous => ("anonymous", None, None),
    };
    let user_agent = event
        .origin
        .user_agent
        .as_deref()
        .map(|ua| ua.chars().take(512).collect::<String>());
    let details = if event.details.is_object() {
        event.details.clone()
    } else {
        serde_json::json!({})
    };
    sqlx::query!(
        "insert into audit.events (org_id, seq, event_id, occurred_at, actor_kind, actor_user_id, actor_role,
             action, resource_type, resource_id, subject_user_id, source_ip, user_agent, request_id, details)
         values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12::text::inet, $13, $14, $15)",
        org_id.as_uuid(),
        seq,
        Uuid::now_v7(),
        event.occurred_at,
        kind,
        actor_user,
        actor_role,
        event.action,
        event.resource_type,
        event.resource_id,
        event.subject.map(|s| s.as_uuid()),
        event.origin.source_ip.map(|ip| ip.to_string()),
        user_agent,
        event.origin.request_id,
        details,
    )
    .execute(&mut **tx)
    .await?;
    Ok(seq)
}

/// An event as read back.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct StoredEvent {
    pub seq: i64,
    #[serde(with = "time::serde::rfc3339")]
    pub occurred_at: OffsetDateTime,
    pub actor_kind: String,
    pub actor_user_id: Option<Uuid>,
    pub actor_role: Option<String>,
    pub action: String,
    pub resource_type: String,
    pub resource_id: Option<String>,
    pub subject_user_id: Option<Uuid>,
    pub source_ip: Option<String>,
    pub user_agent: Option<String>,
    pub request_id: Option<String>,
    pub details: serde_json::Value,
}

/// The most recent events the context may read (`audit.read.org`, or `audit.read.self` for one's
/// own), newest first.
pub async fn recent(tx: &mut Tx, limit: i64) -> Result<Vec<StoredEvent>, StoreError> {
    Ok(sqlx::query_as!(
        StoredEvent,
        r#"select seq, occurred_at, actor_kind, actor_user_id, actor_role, action, resource_type, resource_id,
                  subject_user_id, host(source_ip) as source_ip, user_agent, request_id, details
           from audit.events where org_id = attest.current_org_id()
           order by seq desc limit $1"#,
        limit,
    )
    .fetch_all(&mut **tx)
    .await?)
}

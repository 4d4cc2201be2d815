//! Invitations for the workers an import created: a signed link in the outbox and a
//! `member.invited` event each, in the import's transaction. The web app's import and
//! `attest import workers` both use this.

use crate::audit::Resource;
use crate::auth::flows::Links;
use crate::error::AppError;
use crate::mail::messages;
use attest_core::BuiltinRole;
use attest_store::audit::AuditAction;
use attest_store::audit::{self, Actor, AuditEvent, Origin};
use attest_store::email_tokens::Purpose;
use attest_store::organisations::Organisation;
use attest_store::workers_import::Created;
use attest_store::{Tx, outbox};

/// Who invites, and how links are signed.
#[derive(Debug, Clone)]
pub struct Inviter<'a> {
    pub links: Links<'a>,
    pub actor: Actor,
    pub origin: Origin,
    /// The name the invitation gives as the inviter's.
    pub name: String,
}

/// Queues an invitation to each created worker and records it.
pub async fn invite_imported(
    tx: &mut Tx,
    organisation: &Organisation,
    inviter: &Inviter<'_>,
    created: &[Created],
) -> Result<(), AppError> {
    let role = BuiltinRole::Worker;
    for person in created {
        let link = inviter
            .links
            .make(tx, organisation, person.user_id, Purpose::Invitation, None)
            .await?;
        let mail = messages::invitation(
            &person.email,
            &person.name,
            &organisation.name,
            &inviter.name,
            role.name(),
            &link,
        );
        outbox::enqueue(tx, organisation.org_id, &mail, inviter.links.now).await?;
        let resource = Resource::account(person.user_id);
        let event = AuditEvent {
            occurred_at: inviter.links.now,
            actor: inviter.actor.clone(),
            action: AuditAction::MemberInvited,
            resource_type: resource.kind,
            resource_id: resource.id,
            subject: Some(person.user_id),
            origin: inviter.origin.clone(),
            details: serde_json::json!({ "role": role.key(), "via": "import" }),
        };
        audit::append(tx, organisation.org_id, &event).await?;
    }
    Ok(())
}

//! Invitations for the workers an import created: a signed link in the outbox and a
//! `member.invited` record each, in the import's unit of work (whose caller is the one who
//! invites). The web app's import and `attest import workers` both use this.

use crate::audit::{Resource, Work};
use crate::auth::flows::Links;
use crate::error::AppError;
use crate::mail::messages;
use attest_core::BuiltinRole;
use attest_store::audit::AuditAction;
use attest_store::email_tokens::Purpose;
use attest_store::organisations::Organisation;
use attest_store::outbox;
use attest_store::workers_import::Created;

/// Queues an invitation to each created worker, signed with `links`, and records it. The
/// invitation gives `inviter` as the inviter's name.
pub async fn invite_imported(
    tx: &mut Work,
    organisation: &Organisation,
    links: &Links<'_>,
    inviter: &str,
    created: &[Created],
) -> Result<(), AppError> {
    let role = BuiltinRole::Worker;
    for person in created {
        let link = links
            .make(tx, organisation, person.user_id, Purpose::Invitation, None)
            .await?;
        let mail = messages::invitation(
            &person.email,
            &person.name,
            &organisation.name,
            inviter,
            role.name(),
            &link,
        );
        outbox::enqueue(tx, organisation.org_id, &mail, links.now).await?;
        tx.record(
            AuditAction::MemberInvited,
            Resource::account(person.user_id),
            Some(person.user_id),
            serde_json::json!({ "role": role.key(), "via": "import" }),
        )
        .await?;
    }
    Ok(())
}

//! The text of every message Attest sends. Plain text only: no markup to escape, nothing to load.

use attest_store::outbox::Mail;

fn mail(kind: &str, to: &str, subject: String, body: String) -> Mail {
    Mail {
        kind: kind.to_owned(),
        to: to.to_owned(),
        subject,
        body,
    }
}

const SIGNATURE: &str = "— Attest\n\nYou receive this because of your account with Attest. If you did not expect it, you can ignore it.";

pub(crate) fn verify_email(to: &str, name: &str, organisation: &str, link: &str) -> Mail {
    mail(
        "verify_email",
        to,
        format!("Confirm your email address for {organisation}"),
        format!(
            "Hello {name},\n\nPlease confirm your email address to start using {organisation} on Attest:\n\n{link}\n\n\
             The link works once and expires in 48 hours.\n\n{SIGNATURE}\n"
        ),
    )
}

pub(crate) fn invitation(
    to: &str,
    name: &str,
    organisation: &str,
    inviter: &str,
    role: &str,
    link: &str,
) -> Mail {
    mail(
        "invitation",
        to,
        format!("{inviter} invited you to {organisation} on Attest"),
        format!(
            "Hello {name},\n\n{inviter} invited you to join {organisation} on Attest as {role}.\n\n\
             Accept the invitation and choose your password here:\n\n{link}\n\n\
             The link works once and expires in 7 days.\n\n{SIGNATURE}\n"
        ),
    )
}

pub(crate) fn password_reset(to: &str, name: &str, link: &str) -> Mail {
    mail(
        "password_reset",
        to,
        "Reset your Attest password".to_owned(),
        format!(
            "Hello {name},\n\nSomeone (we hope you) asked to reset your Attest password. Choose a new one here:\n\n{link}\n\n\
             The link works once and expires in 1 hour. Using it signs you out everywhere.\n\
             If you did not ask, ignore this message: your password stays as it is.\n\n{SIGNATURE}\n"
        ),
    )
}

pub(crate) fn password_changed(to: &str, name: &str, when: &str) -> Mail {
    mail(
        "password_changed",
        to,
        "Your Attest password was changed".to_owned(),
        format!(
            "Hello {name},\n\nThe password of your Attest account was changed at {when} (UTC).\n\n\
             If this was not you, reset your password now from the sign-in page and tell your administrator.\n\n{SIGNATURE}\n"
        ),
    )
}

pub(crate) fn account_locked(to: &str, name: &str, until: &str) -> Mail {
    mail(
        "account_locked",
        to,
        "Your Attest account is locked for a while".to_owned(),
        format!(
            "Hello {name},\n\nAfter several failed sign-in attempts, your Attest account is locked until {until} (UTC).\n\n\
             If these attempts were not yours, someone may be guessing your password: reset it from the sign-in page\n\
             once the lock ends, and tell your administrator, who can also unlock your account.\n\n{SIGNATURE}\n"
        ),
    )
}

pub(crate) fn change_email(to: &str, name: &str, link: &str) -> Mail {
    mail(
        "change_email",
        to,
        "Confirm your new email address for Attest".to_owned(),
        format!(
            "Hello {name},\n\nConfirm that this is your new email address for Attest:\n\n{link}\n\n\
             The link works once and expires in 24 hours.\n\n{SIGNATURE}\n"
        ),
    )
}

pub(crate) fn email_change_requested(to: &str, name: &str, new_email: &str) -> Mail {
    mail(
        "email_change_requested",
        to,
        "Your Attest email address is being changed".to_owned(),
        format!(
            "Hello {name},\n\nSomeone signed in to your Attest account asked to change its email address to {new_email}.\n\
             It changes when the new address is confirmed. If this was not you, change your password now.\n\n{SIGNATURE}\n"
        ),
    )
}

pub(crate) fn mfa_changed(to: &str, name: &str, what: &str) -> Mail {
    mail(
        "mfa_changed",
        to,
        format!("Two-step verification {what} on your Attest account"),
        format!(
            "Hello {name},\n\nTwo-step verification was {what} on your Attest account.\n\n\
             If this was not you, change your password now and tell your administrator.\n\n{SIGNATURE}\n"
        ),
    )
}

/// What a credential reminder is about, for one recipient.
#[derive(Debug, Clone, Copy)]
pub(crate) struct CredentialNotice<'a> {
    pub(crate) to: &'a str,
    pub(crate) name: &'a str,
    /// The worker whose credential it is.
    pub(crate) worker: &'a str,
    /// Whether the recipient is that worker.
    pub(crate) own: bool,
    /// The credential type's name.
    pub(crate) credential: &'a str,
    pub(crate) expires_on: time::Date,
    pub(crate) days_left: i64,
    pub(crate) organisation: &'a str,
}

fn whose(n: &CredentialNotice<'_>) -> String {
    if n.own {
        format!("Your {} credential", n.credential)
    } else {
        format!("{}'s {} credential", n.worker, n.credential)
    }
}

pub(crate) fn credential_expiring(n: &CredentialNotice<'_>) -> Mail {
    let when = match n.days_left {
        0 => "today".to_owned(),
        1 => "tomorrow".to_owned(),
        d => format!("in {d} days"),
    };
    let whose = whose(n);
    let action = if n.own {
        "Please book the renewal and give the new certificate to your HSE manager."
    } else {
        "Please make sure the renewal is booked so the worker stays cleared for site."
    };
    mail(
        "credential_expiring",
        n.to,
        format!("{whose} expires {when}"),
        format!(
            "Hello {},\n\n{whose} at {} expires {when} ({}).\n\n{action}\n\n{SIGNATURE}\n",
            n.name, n.organisation, n.expires_on
        ),
    )
}

pub(crate) fn credential_expired(n: &CredentialNotice<'_>) -> Mail {
    let whose = whose(n);
    mail(
        "credential_expired",
        n.to,
        format!("{whose} has expired"),
        format!(
            "Hello {},\n\n{whose} at {} expired on {}. Until it is renewed, it no longer counts \
             towards site clearance.\n\n{SIGNATURE}\n",
            n.name, n.organisation, n.expires_on
        ),
    )
}

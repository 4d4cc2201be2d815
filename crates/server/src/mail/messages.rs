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

//! The unauthenticated account endpoints: sign-in and its second factor, the refresh cookie,
//! email verification, password reset, invitations and email changes. Each is rate-limited per
//! client IP.

pub(crate) mod email_links;
pub(crate) mod mfa;
pub(crate) mod password_reset;
pub(crate) mod refresh;
pub(crate) mod sign_in;

//! Signed tokens: compact JWTs signed with Ed25519 (`alg: EdDSA`, the only algorithm accepted),
//! through `jwt-compact` and `ed25519-dalek`.
//!
//! Every token names its audience (`aud`): an access token cannot be used as a password-reset
//! link, nor the reverse. Every token expires; verification takes the current time as an input so
//! that tests can drive the clock.

use chrono::{DateTime, Utc};
use ed25519_dalek::{SigningKey, VerifyingKey};
use jwt_compact::alg::Ed25519;
use jwt_compact::{AlgorithmExt, Claims, Header, TimeOptions, UntrustedToken, ValidationError};
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::fmt;
use time::OffsetDateTime;
use zeroize::Zeroizing;

const ISSUER: &str = "attest";
/// Clock skew tolerated between servers.
const LEEWAY_SECONDS: i64 = 5;

/// What a token is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Audience {
    /// An API access token (minutes).
    Access,
    /// The step between a correct password and the second factor.
    MfaChallenge,
    /// A sign-in that must enrol a second factor before a session is granted.
    MfaEnrolment,
    VerifyEmail,
    ResetPassword,
    Invitation,
    ChangeEmail,
}

impl Audience {
    pub const fn as_str(self) -> &'static str {
        match self {
            Audience::Access => "attest:access",
            Audience::MfaChallenge => "attest:mfa-challenge",
            Audience::MfaEnrolment => "attest:mfa-enrolment",
            Audience::VerifyEmail => "attest:verify-email",
            Audience::ResetPassword => "attest:reset-password",
            Audience::Invitation => "attest:invitation",
            Audience::ChangeEmail => "attest:change-email",
        }
    }
}

/// Why a token was refused. Deliberately coarse towards clients.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TokenError {
    #[error("the token is malformed")]
    Malformed,
    #[error("the token's signature or algorithm is not valid")]
    BadSignature,
    #[error("the token was signed by an unknown key")]
    UnknownKey,
    #[error("the token has expired")]
    Expired,
    #[error("the token is not for this use")]
    WrongAudience,
    #[error("the token could not be made: {0}")]
    Creation(String),
}

#[derive(Serialize, Deserialize)]
struct Envelope<T> {
    iss: String,
    aud: String,
    #[serde(flatten)]
    body: T,
}

/// The keys that sign and verify tokens: one current signing key, plus the public halves of
/// recent keys that still verify (rotation).
pub struct TokenKeys {
    kid: String,
    signing: SigningKey,
    verifying: BTreeMap<String, VerifyingKey>,
}

impl fmt::Debug for TokenKeys {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("TokenKeys")
            .field("kid", &self.kid)
            .finish_non_exhaustive()
    }
}

impl TokenKeys {
    /// Keys from a 32-byte Ed25519 seed, identified by `kid`.
    pub fn new(kid: impl Into<String>, seed: &[u8; 32]) -> Self {
        let kid = kid.into();
        let signing = SigningKey::from_bytes(seed);
        let verifying = BTreeMap::from([(kid.clone(), signing.verifying_key())]);
        Self {
            kid,
            signing,
            verifying,
        }
    }

    /// A fresh random seed.
    pub fn generate_seed() -> Result<Zeroizing<[u8; 32]>, crate::CryptoError> {
        Ok(Zeroizing::new(crate::random_bytes::<32>()?))
    }

    pub fn kid(&self) -> &str {
        &self.kid
    }

    /// The current key's public half.
    pub fn public_key(&self) -> [u8; 32] {
        self.signing.verifying_key().to_bytes()
    }

    /// Also accepts tokens signed by an earlier key (its public half).
    pub fn trust(
        &mut self,
        kid: impl Into<String>,
        public_key: &[u8; 32],
    ) -> Result<(), TokenError> {
        let key = VerifyingKey::from_bytes(public_key).map_err(|_| TokenError::UnknownKey)?;
        self.verifying.insert(kid.into(), key);
        Ok(())
    }

    /// Signs `body` for `audience`, valid from `now` for `ttl`.
    pub fn sign<T: Serialize>(
        &self,
        audience: Audience,
        body: &T,
        now: OffsetDateTime,
        ttl: time::Duration,
    ) -> Result<String, TokenError> {
        let mut claims = Claims::new(Envelope {
            iss: ISSUER.to_owned(),
            aud: audience.as_str().to_owned(),
            body,
        });
        claims.issued_at = Some(chrono_time(now)?);
        claims.expiration = Some(chrono_time(now + ttl)?);
        let header = Header::empty()
            .with_key_id(self.kid.clone())
            .with_token_type("JWT");
        Ed25519
            .token(&header, &claims, &self.signing)
            .map_err(|e| TokenError::Creation(e.to_string()))
    }

    /// Verifies a token for `audience` at `now` and returns its body. Only `EdDSA` with one of our
    /// keys is accepted; `alg: none`, another algorithm, another key, another audience or an
    /// expired token are refused.
    pub fn verify<T: DeserializeOwned>(
        &self,
        token: &str,
        audience: Audience,
        now: OffsetDateTime,
    ) -> Result<T, TokenError> {
        let untrusted = UntrustedToken::new(token).map_err(|_| TokenError::Malformed)?;
        let kid = untrusted
            .header()
            .key_id
            .as_deref()
            .ok_or(TokenError::UnknownKey)?;
        let key = self.verifying.get(kid).ok_or(TokenError::UnknownKey)?;
        let verified = Ed25519
            .validator::<Envelope<T>>(key)
            .validate(&untrusted)
            .map_err(|e| match e {
                ValidationError::MalformedClaims(_) => TokenError::Malformed,
                _ => TokenError::BadSignature,
            })?;
        let claims = verified.claims();
        let now = chrono_time(now)?;
        let options = TimeOptions::new(chrono::Duration::seconds(LEEWAY_SECONDS), move || now);
        claims
            .validate_expiration(&options)
            .map_err(|_| TokenError::Expired)?;
        if claims.not_before.is_some() {
            claims
                .validate_maturity(&options)
                .map_err(|_| TokenError::Expired)?;
        }
        let (_, claims) = verified.into_parts();
        if claims.custom.iss != ISSUER || claims.custom.aud != audience.as_str() {
            return Err(TokenError::WrongAudience);
        }
        Ok(claims.custom.body)
    }
}

fn chrono_time(t: OffsetDateTime) -> Result<DateTime<Utc>, TokenError> {
    DateTime::from_timestamp(t.unix_timestamp(), t.nanosecond())
        .ok_or_else(|| TokenError::Creation("time out of range".into()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use base64::Engine;
    use base64::engine::general_purpose::URL_SAFE_NO_PAD;
    use time::macros::datetime;

    #[derive(Debug, Serialize, Deserialize, PartialEq)]
    struct Body {
        sub: String,
    }

    const NOW: OffsetDateTime = datetime!(2026-11-23 12:00 UTC);

    fn keys() -> TokenKeys {
        TokenKeys::new("k1", &[7; 32])
    }

    fn body() -> Body {
        Body {
            sub: "user-1".into(),
        }
    }

    #[test]
    fn a_token_verifies_for_its_audience_until_it_expires() {
        let k = keys();
        let token = k
            .sign(Audience::Access, &body(), NOW, time::Duration::minutes(5))
            .unwrap();
        assert_eq!(
            k.verify::<Body>(&token, Audience::Access, NOW).unwrap(),
            body()
        );
        assert_eq!(
            k.verify::<Body>(&token, Audience::Access, NOW + time::Duration::minutes(4))
                .unwrap(),
            body()
        );
        assert_eq!(
            k.verify::<Body>(&token, Audience::Access, NOW + time::Duration::minutes(6)),
            Err(TokenError::Expired)
        );
    }

    #[test]
    fn a_token_for_another_audience_is_refused() {
        let k = keys();
        let token = k
            .sign(
                Audience::VerifyEmail,
                &body(),
                NOW,
                time::Duration::hours(1),
            )
            .unwrap();
        assert_eq!(
            k.verify::<Body>(&token, Audience::ResetPassword, NOW),
            Err(TokenError::WrongAudience)
        );
        assert_eq!(
            k.verify::<Body>(&token, Audience::Access, NOW),
            Err(TokenError::WrongAudience)
        );
    }

    #[test]
    fn a_token_signed_by_another_key_is_refused() {
        let other = TokenKeys::new("k1", &[8; 32]);
        let token = other
            .sign(Audience::Access, &body(), NOW, time::Duration::minutes(5))
            .unwrap();
        assert_eq!(
            keys().verify::<Body>(&token, Audience::Access, NOW),
            Err(TokenError::BadSignature)
        );
        let unknown = TokenKeys::new("k9", &[8; 32])
            .sign(Audience::Access, &body(), NOW, time::Duration::minutes(5))
            .unwrap();
        assert_eq!(
            keys().verify::<Body>(&unknown, Audience::Access, NOW),
            Err(TokenError::UnknownKey)
        );
    }

    #[test]
    fn alg_none_and_other_algorithms_are_refused() {
        let k = keys();
        let token = k
            .sign(Audience::Access, &body(), NOW, time::Duration::minutes(5))
            .unwrap();
        let payload = token.split('.').nth(1).unwrap();
        for alg in ["none", "HS256", "RS256", "ES256"] {
            let header =
                URL_SAFE_NO_PAD.encode(format!(r#"{{"alg":"{alg}","kid":"k1","typ":"JWT"}}"#));
            for signature in ["", "AAAA"] {
                let forged = format!("{header}.{payload}.{signature}");
                assert!(
                    k.verify::<Body>(&forged, Audience::Access, NOW).is_err(),
                    "alg {alg} accepted"
                );
            }
        }
    }

    #[test]
    fn an_altered_payload_is_refused() {
        let k = keys();
        let token = k
            .sign(Audience::Access, &body(), NOW, time::Duration::minutes(5))
            .unwrap();
        let mut parts: Vec<String> = token.split('.').map(str::to_owned).collect();
        let claims = String::from_utf8(URL_SAFE_NO_PAD.decode(&parts[1]).unwrap()).unwrap();
        parts[1] = URL_SAFE_NO_PAD.encode(claims.replace("user-1", "user-2"));
        assert_eq!(
            k.verify::<Body>(&parts.join("."), Audience::Access, NOW),
            Err(TokenError::BadSignature)
        );
    }

    #[test]
    fn garbage_is_malformed() {
        for garbage in ["", "a.b", "a.b.c", "....", "eyJ.eyJ.x"] {
            assert!(
                keys()
                    .verify::<Body>(garbage, Audience::Access, NOW)
                    .is_err(),
                "{garbage:?}"
            );
        }
    }

    #[test]
    fn an_earlier_key_still_verifies_after_rotation() {
        let old = keys();
        let token = old
            .sign(Audience::Access, &body(), NOW, time::Duration::minutes(5))
            .unwrap();
        let mut new = TokenKeys::new("k2", &[9; 32]);
        assert_eq!(
            new.verify::<Body>(&token, Audience::Access, NOW),
            Err(TokenError::UnknownKey)
        );
        new.trust("k1", &old.public_key()).unwrap();
        assert_eq!(
            new.verify::<Body>(&token, Audience::Access, NOW).unwrap(),
            body()
        );
    }
}

//! TOTP (RFC 6238: SHA-1, 6 digits, 30-second steps, as every authenticator app expects) through
//! `totp-rs`, with replay protection: a code is accepted for one time step only once, and never
//! for a step at or before the last accepted one.

use crate::CryptoError;
use base64::Engine;
use qrcode::QrCode;
use qrcode::render::svg;
use subtle::ConstantTimeEq;
use totp_rs::{Algorithm, Builder, Secret};

const DIGITS: u8 = 6;
const STEP_SECONDS: u64 = 30;
/// Steps either side of now that are accepted (clock drift on the phone).
const SKEW_STEPS: u64 = 1;

/// A TOTP secret bound to an account label.
#[derive(Debug)]
pub struct Totp {
    inner: totp_rs::Totp,
    secret: Vec<u8>,
    uri: String,
}

impl Totp {
    /// A new 160-bit random secret.
    pub fn generate_secret() -> Result<Vec<u8>, CryptoError> {
        Ok(crate::random_bytes::<20>()?.to_vec())
    }

    /// `issuer` and `account` label the entry in the authenticator app.
    pub fn new(secret: Vec<u8>, issuer: &str, account: &str) -> Result<Self, CryptoError> {
        let inner = Builder::new()
            .with_algorithm(Algorithm::SHA1)
            .with_digits(DIGITS)
            .with_step_duration(STEP_SECONDS)
            .with_secret(secret.clone())
            .with_issuer(Some(issuer))
            .with_account_name(account)
            .build()
            .map_err(|e| CryptoError::Totp(e.to_string()))?;
        let uri = inner
            .to_url()
            .map_err(|e| CryptoError::Totp(e.to_string()))?;
        Ok(Self { inner, secret, uri })
    }

    /// The secret in base32, for typing into an app by hand.
    pub fn secret_base32(&self) -> String {
        Secret::from(self.secret.clone()).to_base32()
    }

    /// The `otpauth://totp/…` URI that authenticator apps scan.
    pub fn uri(&self) -> String {
        self.uri.clone()
    }

    /// The URI as a QR code, in SVG.
    pub fn qr_svg(&self) -> Result<String, CryptoError> {
        let code =
            QrCode::new(self.uri.as_bytes()).map_err(|e| CryptoError::Totp(e.to_string()))?;
        Ok(code
            .render::<svg::Color<'_>>()
            .min_dimensions(200, 200)
            .quiet_zone(true)
            .build())
    }

    /// The QR code as a `data:` URI (for an `<img>` under a CSP that allows `img-src data:`).
    pub fn qr_data_uri(&self) -> Result<String, CryptoError> {
        let svg = self.qr_svg()?;
        Ok(format!(
            "data:image/svg+xml;base64,{}",
            base64::engine::general_purpose::STANDARD.encode(svg)
        ))
    }

    /// The code for the step containing `unix_seconds` (for tests and tools).
    pub fn code_at(&self, unix_seconds: u64) -> String {
        self.inner.generate(unix_seconds).to_string()
    }

    /// Checks `code` at `unix_seconds`, allowing one step of drift either way, and accepting only
    /// steps after `last_used_step`. Returns the matching step, to be stored as the new
    /// `last_used_step`.
    pub fn check(&self, code: &str, unix_seconds: u64, last_used_step: Option<u64>) -> Option<u64> {
        let code = code.trim().replace(' ', "");
        if code.len() != usize::from(DIGITS) || !code.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        let current = unix_seconds / STEP_SECONDS;
        let mut matched = None;
        for step in current.saturating_sub(SKEW_STEPS)..=current + SKEW_STEPS {
            let expected = self.inner.generate(step * STEP_SECONDS).to_string();
            let fresh = last_used_step.is_none_or(|last| step > last);
            if bool::from(expected.as_bytes().ct_eq(code.as_bytes())) && fresh {
                matched = Some(step);
            }
        }
        matched
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// RFC 6238 appendix B, SHA-1: the secret "12345678901234567890"; codes are the last six
    /// digits of the eight-digit values.
    #[test]
    fn codes_match_the_rfc_6238_test_vectors() {
        let totp = Totp::new(b"12345678901234567890".to_vec(), "Attest", "t@example.com").unwrap();
        for (time, code) in [
            (59, "287082"),
            (1_111_111_109, "081804"),
            (1_234_567_890, "005924"),
            (2_000_000_000, "279037"),
        ] {
            assert_eq!(totp.code_at(time), code, "at {time}");
        }
    }

    #[test]
    fn a_code_is_accepted_once_and_never_an_older_one() {
        let totp = Totp::new(Totp::generate_secret().unwrap(), "Attest", "t@example.com").unwrap();
        let now = 1_800_000_000;
        let code = totp.code_at(now);
        let step = totp.check(&code, now, None).expect("a fresh code");
        assert_eq!(totp.check(&code, now, Some(step)), None, "replay");
        let previous = totp.code_at(now - 30);
        assert_eq!(
            totp.check(&previous, now, Some(step)),
            None,
            "an older step after a newer one"
        );
    }

    #[test]
    fn one_step_of_drift_is_tolerated_but_not_two() {
        let totp = Totp::new(Totp::generate_secret().unwrap(), "Attest", "t@example.com").unwrap();
        let now = 1_800_000_000;
        assert!(totp.check(&totp.code_at(now - 30), now, None).is_some());
        assert!(totp.check(&totp.code_at(now + 30), now, None).is_some());
        assert!(totp.check(&totp.code_at(now - 90), now, None).is_none());
    }

    #[test]
    fn malformed_codes_are_refused() {
        let totp = Totp::new(Totp::generate_secret().unwrap(), "Attest", "t@example.com").unwrap();
        for code in ["", "12345", "1234567", "abcdef", "12 34 5x"] {
            assert_eq!(totp.check(code, 1_800_000_000, None), None, "{code:?}");
        }
    }

    #[test]
    fn the_uri_and_qr_code_name_the_issuer_and_account() {
        let totp = Totp::new(
            Totp::generate_secret().unwrap(),
            "Attest",
            "nadia@borealis.example",
        )
        .unwrap();
        let uri = totp.uri();
        assert!(
            uri.starts_with("otpauth://totp/Attest:nadia%40borealis.example?"),
            "{uri}"
        );
        assert!(uri.contains(&format!("secret={}", totp.secret_base32())));
        assert!(totp.qr_svg().unwrap().starts_with("<?xml"));
        assert!(
            totp.qr_data_uri()
                .unwrap()
                .starts_with("data:image/svg+xml;base64,")
        );
    }
}

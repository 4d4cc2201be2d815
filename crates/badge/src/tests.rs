use super::*;
use ed25519_dalek::SigningKey;

const NOW: i64 = 1_796_000_000;

fn key(seed: u8) -> (KeyId, SigningKey, TrustedKey) {
    let signing = SigningKey::from_bytes(&[seed; 32]);
    let kid = KeyId([seed; 8]);
    let trusted = TrustedKey {
        kid,
        key: signing.verifying_key(),
        valid_from: 0,
        valid_until: None,
    };
    (kid, signing, trusted)
}

fn badge(credentials: usize) -> Badge {
    let codes = [
        "FACPR", "WAH", "FALL", "FORK", "WHMIS", "H2S", "CSE", "LOTO", "GD", "FW", "AWP", "SCAF",
    ];
    Badge {
        issuer: "northwind".into(),
        subject: "Wk3q9ZpL0aXe".into(),
        issued_at: NOW,
        expires_at: NOW + 86_400,
        name: "Chloé Bouchard".into(),
        credentials: codes
            .iter()
            .take(credentials)
            .enumerate()
            .map(|(i, code)| BadgeCredential {
                code: (*code).into(),
                status: if i == 1 {
                    BadgeStatus::Expiring
                } else {
                    BadgeStatus::Valid
                },
                expires_day: Some(21_000 + i as i64 * 97),
            })
            .collect(),
        status: StatusRef {
            index: 1234,
            uri: "attest:sl:northwind".into(),
        },
    }
}

#[test]
fn a_signed_badge_verifies_and_says_what_was_signed() {
    let (kid, signing, trusted) = key(7);
    let payload = sign(&badge(6), &kid, &signing).unwrap();
    assert!(payload.starts_with("AT1:"));
    assert_eq!(verify(&payload, &[trusted], NOW + 60).unwrap(), badge(6));
}

#[test]
fn a_badge_with_a_name_and_six_credentials_fits_the_budget() {
    let (kid, signing, _) = key(7);
    for (n, max_chars, max_version) in [(1, 400, 12), (6, 400, 12), (12, 600, 15)] {
        let payload = sign(&badge(n), &kid, &signing).unwrap();
        let version = qr_version(&payload).unwrap();
        assert!(
            payload.len() <= max_chars,
            "{n} credentials: {} characters",
            payload.len()
        );
        assert!(
            version <= max_version,
            "{n} credentials: QR version {version}"
        );
        assert!(
            payload
                .bytes()
                .all(|b| b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:".contains(&b)),
            "alphanumeric mode"
        );
    }
}

#[test]
fn time_keys_and_tampering_are_refused_with_a_reason() {
    let (kid, signing, trusted) = key(7);
    let (_, other, other_trusted) = key(9);
    let payload = sign(&badge(3), &kid, &signing).unwrap();
    let keys = [trusted.clone()];
    assert_eq!(verify(&payload, &keys, NOW + 86_400), Err(Invalid::Expired));
    assert_eq!(verify(&payload, &keys, NOW - 1), Err(Invalid::NotYetValid));
    assert_eq!(
        verify(&payload, &[other_trusted], NOW),
        Err(Invalid::UnknownKey)
    );
    // Another organisation's key under this organisation's kid: a forgery.
    let forged = sign(&badge(3), &kid, &other).unwrap();
    assert_eq!(verify(&forged, &keys, NOW), Err(Invalid::BadSignature));
    // A key retired before the badge was issued.
    let retired = TrustedKey {
        valid_until: Some(NOW - 10),
        ..trusted
    };
    assert_eq!(verify(&payload, &[retired], NOW), Err(Invalid::KeyNotValid));
    assert_eq!(
        verify(&payload.replacen("AT1:", "AT2:", 1), &keys, NOW),
        Err(Invalid::WrongPrefix)
    );
    assert_eq!(
        verify(&payload[..payload.len() - 9], &keys, NOW),
        Err(Invalid::Malformed)
    );
}

#[test]
fn any_changed_byte_of_the_signed_bytes_is_refused() {
    let (kid, signing, trusted) = key(7);
    let payload = sign(&badge(2), &kid, &signing).unwrap();
    let bytes = base45::decode(&payload[4..]).unwrap();
    for i in 0..bytes.len() {
        let mut altered = bytes.clone();
        altered[i] ^= 0x01;
        let altered = format!("AT1:{}", base45::encode(&altered));
        assert!(
            verify(&altered, std::slice::from_ref(&trusted), NOW).is_err(),
            "byte {i} changed and still valid"
        );
    }
}

#[test]
fn garbage_never_panics() {
    let (_, _, trusted) = key(7);
    for input in [
        "",
        "AT1:",
        "AT1:%%%%",
        "AT1:0000",
        "hello",
        "AT1:6BFOXN*TS0BI$ZD4N9:9S6RCVN5+O30K3/XIV0W23NTDE",
    ] {
        assert!(
            verify(input, std::slice::from_ref(&trusted), NOW).is_err(),
            "{input:?}"
        );
    }
}

#[test]
fn the_qr_code_renders_as_svg() {
    let (kid, signing, _) = key(7);
    let svg = qr_svg(&sign(&badge(6), &kid, &signing).unwrap()).unwrap();
    assert!(svg.starts_with("<?xml") && svg.contains("<svg"));
}

#[test]
fn a_revoked_badge_is_refused_once_the_gate_has_the_new_list() {
    let (kid, signing, trusted) = key(7);
    let payload = sign(&badge(2), &kid, &signing).unwrap();
    let verified = verify(&payload, std::slice::from_ref(&trusted), NOW).unwrap();
    let publish = |list: &StatusList| {
        let token = sign_status_list(
            list,
            "attest:sl:northwind",
            NOW - 10,
            NOW + 3600,
            300,
            &kid,
            &signing,
        )
        .unwrap();
        verify_status_list(&token, std::slice::from_ref(&trusted), NOW).unwrap()
    };
    let mut list = StatusList::new(4096);
    assert_eq!(check_status(&verified, &[publish(&list)]), Ok(()));
    list.revoke(verified.status.index);
    assert_eq!(
        check_status(&verified, &[publish(&list)]),
        Err(Invalid::Revoked)
    );
    assert_eq!(check_status(&verified, &[]), Err(Invalid::NoStatusList));
}

/// A small deterministic generator (xorshift64*), so the fuzz-style tests below are repeatable.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

#[test]
fn thousands_of_random_and_mutated_inputs_are_refused_without_panicking() {
    let (kid, signing, trusted) = key(7);
    let keys = [trusted];
    let valid = base45::decode(&sign(&badge(3), &kid, &signing).unwrap()[4..]).unwrap();
    let alphabet = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:";
    let mut rng = Rng(0x5EED_0FA7_7E57);
    for round in 0..3000 {
        // Random bytes, random Base45 text, and the valid badge cut, extended or with bytes changed.
        let bytes: Vec<u8> = (0..rng.below(300)).map(|_| rng.next() as u8).collect();
        let text: String = (0..rng.below(400))
            .map(|_| char::from(alphabet[rng.below(alphabet.len())]))
            .collect();
        let mut mutated = valid.clone();
        match round % 3 {
            0 => mutated.truncate(rng.below(valid.len())),
            1 => mutated.insert(rng.below(valid.len()), rng.next() as u8),
            _ => {
                for _ in 0..=rng.below(4) {
                    let i = rng.below(mutated.len());
                    mutated[i] = rng.next() as u8;
                }
            }
        }
        for input in [
            format!("AT1:{}", base45::encode(&bytes)),
            format!("AT1:{text}"),
            format!("AT1:{}", base45::encode(&mutated)),
        ] {
            assert!(
                verify(&input, &keys, NOW).is_err() || input.ends_with(&base45::encode(&valid)),
                "round {round}: {input}"
            );
        }
        let _ = status_list_garbage(&bytes, &keys);
    }
}

fn status_list_garbage(bytes: &[u8], keys: &[TrustedKey]) -> bool {
    verify_status_list(bytes, keys, NOW).is_err()
}

#[test]
fn the_png_rendering_reads_back_to_the_exact_payload() {
    let (kid, signing, _) = key(7);
    let payload = sign(&badge(6), &kid, &signing).unwrap();
    let png = qr_png(&payload, 4).unwrap();
    assert!(png.starts_with(b"\x89PNG"));
    assert_eq!(read_qr_png(&png).unwrap(), payload);
    assert!(read_qr_png(b"not a png").is_err());
}

#[test]
fn expiry_days_print_as_iso_dates_and_past_expiry_reads_as_expired() {
    assert_eq!(claims::iso_date(0), "1970-01-01");
    assert_eq!(claims::iso_date(20_000), "2024-10-04");
    assert_eq!(claims::iso_date(-1), "1969-12-31");
    let c = BadgeCredential {
        code: "WAH".into(),
        status: BadgeStatus::Valid,
        expires_day: Some(20_000),
    };
    assert_eq!(c.status_on(20_000), BadgeStatus::Valid);
    assert_eq!(c.status_on(20_001), BadgeStatus::Expired);
    let suspended = BadgeCredential {
        status: BadgeStatus::Suspended,
        ..c
    };
    assert_eq!(suspended.status_on(20_001), BadgeStatus::Suspended);
}

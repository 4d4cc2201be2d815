use super::*;
use crate::{BadgeCredential, BadgeStatus, StatusList, StatusRef, sign, sign_status_list};

const NOW: i64 = 1_796_000_000;

struct World {
    platform: SigningKey,
    org_key: SigningKey,
    other_key: SigningKey,
    bundle: TrustBundle,
}

fn world(revoked: Option<u32>) -> World {
    let platform = SigningKey::from_bytes(&[1; 32]);
    let org_key = SigningKey::from_bytes(&[2; 32]);
    let other_key = SigningKey::from_bytes(&[3; 32]);
    let mut list = StatusList::new(1024);
    if let Some(i) = revoked {
        list.revoke(i);
    }
    let token = sign_status_list(
        &list,
        "attest:sl:northwind",
        NOW - 60,
        NOW + 86_400,
        300,
        &KeyId([2; 8]),
        &org_key,
    )
    .unwrap();
    let key = |org: &str, seed: u8, k: &SigningKey| BundleKey {
        org: org.into(),
        kid: KeyId([seed; 8]),
        public_key: k.verifying_key().to_bytes(),
        valid_from: 0,
        valid_until: None,
    };
    let bundle = TrustBundle {
        issued_at: NOW - 60,
        max_offline_age: 72 * 3600,
        keys: vec![
            key("northwind", 2, &org_key),
            key("maple-ridge", 3, &other_key),
        ],
        status_lists: vec![token],
        type_names: vec![TypeName {
            org: "northwind".into(),
            code: "WAH".into(),
            name: "Working at Heights".into(),
        }],
    };
    World {
        platform,
        org_key,
        other_key,
        bundle,
    }
}

fn badge(issuer: &str) -> Badge {
    Badge {
        issuer: issuer.into(),
        subject: "Wk3q9ZpL0aXe".into(),
        issued_at: NOW - 30,
        expires_at: NOW + 3600,
        name: "Zoe Wilson".into(),
        credentials: vec![BadgeCredential {
            code: "WAH".into(),
            status: BadgeStatus::Valid,
            expires_day: Some(20_800),
        }],
        status: StatusRef {
            index: 5,
            uri: "attest:sl:northwind".into(),
        },
    }
}

#[test]
fn a_gate_shows_only_the_name_and_the_credentials_names_and_statuses() {
    let w = world(None);
    let gate = open_bundle(
        &sign_bundle(&w.bundle, &w.platform).unwrap(),
        &w.platform.verifying_key(),
        NOW,
        300,
    )
    .unwrap();
    let payload = sign(&badge("northwind"), &KeyId([2; 8]), &w.org_key).unwrap();
    let result = gate.check(&payload, NOW);
    assert!(result.valid, "{result:?}");
    assert_eq!(result.name.as_deref(), Some("Zoe Wilson"));
    assert_eq!(
        result.credentials,
        vec![GateCredential {
            code: "WAH".into(),
            name: "Working at Heights".into(),
            status: "valid",
            expires_day: Some(20_800)
        }]
    );
    assert_eq!(result.data_as_of, NOW - 60);
}

#[test]
fn a_revoked_badge_and_another_organisations_forgery_are_refused() {
    let w = world(Some(5));
    let gate = open_bundle(
        &sign_bundle(&w.bundle, &w.platform).unwrap(),
        &w.platform.verifying_key(),
        NOW,
        300,
    )
    .unwrap();
    let payload = sign(&badge("northwind"), &KeyId([2; 8]), &w.org_key).unwrap();
    assert_eq!(
        gate.check(&payload, NOW).reason.as_deref(),
        Some("the badge has been revoked")
    );
    // Maple Ridge signs a badge claiming to be Northwind's, with its own (trusted) key.
    let forged = sign(&badge("northwind"), &KeyId([3; 8]), &w.other_key).unwrap();
    let result = gate.check(&forged, NOW);
    assert!(!result.valid && result.name.is_none(), "{result:?}");
    assert_eq!(
        result.reason.as_deref(),
        Some("signed by a key this gate does not know")
    );
}

#[test]
fn a_bundle_too_old_a_clock_behind_or_another_platform_is_refused() {
    let w = world(None);
    let bytes = sign_bundle(&w.bundle, &w.platform).unwrap();
    let pinned = w.platform.verifying_key();
    assert_eq!(
        open_bundle(&bytes, &pinned, NOW + 73 * 3600, 300).unwrap_err(),
        BundleError::TooOld(NOW - 60)
    );
    assert_eq!(
        open_bundle(&bytes, &pinned, NOW - 3600, 300).unwrap_err(),
        BundleError::ClockBehind
    );
    assert!(
        open_bundle(&bytes, &pinned, NOW - 100, 300).is_ok(),
        "a clock a little behind is tolerated"
    );
    let impostor = sign_bundle(&w.bundle, &SigningKey::from_bytes(&[9; 32])).unwrap();
    assert_eq!(
        open_bundle(&impostor, &pinned, NOW, 300).unwrap_err(),
        BundleError::BadSignature
    );
    assert_eq!(
        open_bundle(b"nonsense", &pinned, NOW, 300).unwrap_err(),
        BundleError::Malformed
    );
}

#[test]
fn a_gate_left_open_past_its_datas_life_refuses_until_it_refreshes() {
    let w = world(None);
    let bytes = sign_bundle(&w.bundle, &w.platform).unwrap();
    let gate = open_bundle(&bytes, &w.platform.verifying_key(), NOW, 300).unwrap();
    let mut long_lived = badge("northwind");
    long_lived.expires_at = NOW + 100 * 3600;
    let payload = sign(&long_lived, &KeyId([2; 8]), &w.org_key).unwrap();
    assert!(gate.check(&payload, NOW + 3600).valid);
    let late = gate.check(&payload, NOW + 80 * 3600);
    assert!(!late.valid);
    assert_eq!(late.reason_code, Some("data_too_old"));
}

use super::*;
use crate::checkpoint::{LogSigner, origin_for};
use crate::event::{Actor, Resource, leaf_time};
use crate::tree::{
    MemoryHashes, decompose, prove_tree, record_hash, stored_hash_index,
    stored_hashes_for_record_hash, tree_hash,
};

struct Log {
    signer: LogSigner,
    events: Vec<(Leaf, Personal)>,
    store: MemoryHashes,
}

fn log(n: usize) -> Log {
    let org = Uuid::from_u128(42);
    let signer = LogSigner::new(origin_for(org), &[3; 32]);
    let mut store = MemoryHashes::default();
    let mut events = Vec::new();
    for i in 0..n {
        let personal = Personal {
            ip: Some(format!("192.0.2.{i}")),
            ua: Some("test".into()),
            salt: format!("{i:032x}"),
        };
        let leaf = Leaf {
            v: 1,
            org,
            id: Uuid::from_u128(i as u128),
            time: leaf_time(time::OffsetDateTime::UNIX_EPOCH + time::Duration::minutes(i as i64)),
            actor: Actor {
                kind: "system".into(),
                user: None,
                role: None,
            },
            action: "test.event".into(),
            resource: Resource {
                kind: "thing".into(),
                id: Some(i.to_string()),
            },
            subject: None,
            request: None,
            details: serde_json::json!({ "n": i }),
            personal: hex(&personal.digest()),
        };
        let hashes = stored_hashes_for_record_hash(i as u64, leaf.hash(), &store).unwrap();
        for (k, h) in hashes.into_iter().enumerate() {
            store.0.insert(stored_hash_index(0, i as u64) + k as u64, h);
        }
        events.push((leaf, personal));
    }
    Log {
        signer,
        events,
        store,
    }
}

impl Log {
    fn checkpoint(&self, size: u64) -> String {
        self.signer
            .sign(size, tree_hash(size, &self.store).unwrap())
            .unwrap()
    }

    fn range(&self, begin: u64, end: u64) -> Vec<String> {
        decompose(begin, end)
            .iter()
            .map(|&(l, i)| hex(&self.store.0[&stored_hash_index(l, i)].0))
            .collect()
    }

    /// An export of leaves `[first, end)` against the checkpoint at `size`.
    fn export(&self, size: u64, first: u64, end: u64, since: Option<u64>) -> Vec<String> {
        let header = Header {
            format: FORMAT.into(),
            origin: self.signer.origin().into(),
            vkey: self.signer.vkey(),
            checkpoint: self.checkpoint(size),
            tree_size: size,
            first,
            end,
            left: self.range(0, first),
            right: self.range(end, size),
            consistency: since.map(|m| Consistency {
                from_size: m,
                proof: prove_tree(size, m, &self.store)
                    .unwrap()
                    .iter()
                    .map(|h| hex(&h.0))
                    .collect(),
            }),
            exported_at: "2026-11-23T12:00:00Z".into(),
            range: serde_json::json!({}),
        };
        let mut out = vec![serde_json::to_string(&header).unwrap()];
        for i in first..end {
            let (leaf, personal) = &self.events[i as usize];
            let line = Line::new(
                i,
                &record_hash(&leaf.canonical_bytes()),
                leaf,
                Some(personal),
            );
            out.push(serde_json::to_string(&line).unwrap());
        }
        out
    }
}

fn check(lines: &[String], options: &Options) -> Result<Report, VerifyError> {
    verify(lines.join("\n").as_bytes(), options)
}

fn pinned(log: &Log) -> Options {
    Options {
        key: Some(log.signer.vkey()),
        previous_checkpoint: None,
    }
}

/// Edits an event line through its parsed leaf and personal fields, writing them back in
/// canonical form (as a careful forger would).
fn edit_line(
    lines: &mut [String],
    at: usize,
    f: impl FnOnce(&mut Leaf, &mut Option<Personal>, &mut String),
) {
    let line: Line = serde_json::from_str(&lines[at]).unwrap();
    let mut leaf = line.leaf().unwrap();
    let mut personal = line.personal_fields().unwrap();
    let mut leaf_hash = line.leaf_hash.clone();
    f(&mut leaf, &mut personal, &mut leaf_hash);
    let mut edited = Line::new(line.index, &Hash([0; 32]), &leaf, personal.as_ref());
    edited.leaf_hash = leaf_hash;
    lines[at] = serde_json::to_string(&edited).unwrap();
}

#[test]
fn a_whole_export_and_any_range_verify() {
    let log = log(21);
    let report = check(&log.export(21, 0, 21, None), &pinned(&log)).unwrap();
    assert_eq!(
        (report.events, report.tree_size, report.key_pinned),
        (21, 21, true)
    );
    for (first, end) in [(0, 1), (5, 13), (20, 21), (7, 7)] {
        assert!(
            check(&log.export(21, first, end, None), &pinned(&log)).is_ok(),
            "{first}..{end}"
        );
    }
}

#[test]
fn a_changed_field_is_named() {
    let log = log(10);
    let mut lines = log.export(10, 0, 10, None);
    edit_line(&mut lines, 4, |leaf, _, _| {
        leaf.action = "test.tampered".into()
    });
    let err = check(&lines, &pinned(&log)).unwrap_err();
    assert!(
        matches!(
            err,
            VerifyError::Event {
                index: 3,
                seq: 4,
                ..
            }
        ),
        "{err}"
    );
    assert!(err.to_string().contains("event 4 (index 3"), "{err}");
}

#[test]
fn a_changed_field_with_a_recomputed_leaf_hash_breaks_the_root() {
    let log = log(10);
    let mut lines = log.export(10, 0, 10, None);
    edit_line(&mut lines, 4, |leaf, _, leaf_hash| {
        leaf.action = "test.tampered".into();
        *leaf_hash = hex(&leaf.hash().0);
    });
    assert_eq!(check(&lines, &pinned(&log)).unwrap_err(), VerifyError::Root);
}

#[test]
fn a_deleted_event_is_detected() {
    let log = log(10);
    let mut lines = log.export(10, 0, 10, None);
    lines.remove(6);
    assert!(matches!(
        check(&lines, &pinned(&log)).unwrap_err(),
        VerifyError::Event { index: 5, .. }
    ));
}

#[test]
fn swapped_events_are_detected() {
    let log = log(10);
    let mut lines = log.export(10, 0, 10, None);
    lines.swap(3, 4);
    assert!(matches!(
        check(&lines, &pinned(&log)).unwrap_err(),
        VerifyError::Event { index: 2, .. }
    ));
    // Swapped with their indexes renumbered too: the integrated hashes no longer match.
    let mut lines = log.export(10, 0, 10, None);
    let (a, b): (Line, Line) = (
        serde_json::from_str(&lines[3]).unwrap(),
        serde_json::from_str(&lines[4]).unwrap(),
    );
    lines[3] = serde_json::to_string(&Line {
        index: a.index,
        ..b.clone()
    })
    .unwrap();
    lines[4] = serde_json::to_string(&Line {
        index: b.index,
        ..a
    })
    .unwrap();
    assert_eq!(check(&lines, &pinned(&log)).unwrap_err(), VerifyError::Root);
}

#[test]
fn altered_personal_fields_are_detected_and_erased_ones_accepted() {
    let log = log(5);
    let mut lines = log.export(5, 0, 5, None);
    edit_line(&mut lines, 2, |_, personal, _| {
        personal.as_mut().unwrap().ip = Some("198.51.100.1".into())
    });
    assert!(
        check(&lines, &pinned(&log))
            .unwrap_err()
            .to_string()
            .contains("personal fields")
    );
    let mut lines = log.export(5, 0, 5, None);
    edit_line(&mut lines, 2, |_, personal, _| *personal = None);
    assert_eq!(check(&lines, &pinned(&log)).unwrap().erased, 1);
}

#[test]
fn a_checkpoint_forged_with_another_key_is_refused_when_the_key_is_pinned() {
    let log = log(5);
    let forger = LogSigner::new(log.signer.origin().into(), &[9; 32]);
    let mut lines = log.export(5, 0, 5, None);
    let mut header: Header = serde_json::from_str(&lines[0]).unwrap();
    header.checkpoint = forger.sign(5, tree_hash(5, &log.store).unwrap()).unwrap();
    header.vkey = forger.vkey();
    lines[0] = serde_json::to_string(&header).unwrap();
    assert!(matches!(
        check(&lines, &pinned(&log)).unwrap_err(),
        VerifyError::Checkpoint(_)
    ));
    assert!(
        check(&lines, &Options::default()).is_ok(),
        "unpinned, the export only vouches for itself"
    );
}

#[test]
fn a_later_export_extends_an_earlier_checkpoint_and_a_rewritten_one_does_not() {
    let log = log(20);
    let earlier = log.checkpoint(12);
    let options = Options {
        key: Some(log.signer.vkey()),
        previous_checkpoint: Some(earlier.clone()),
    };
    assert_eq!(
        check(&log.export(20, 15, 20, Some(12)), &options)
            .unwrap()
            .extends,
        Some(12)
    );
    assert_eq!(
        check(&log.export(20, 0, 20, None), &options)
            .unwrap()
            .extends,
        Some(12),
        "a full export proves it by itself"
    );
    assert!(matches!(
        check(&log.export(20, 15, 20, None), &options).unwrap_err(),
        VerifyError::Consistency(_)
    ));

    // A history rewritten from event 5 on, then signed anew: consistent with itself, not with the past.
    let mut rewritten = self::log(20);
    rewritten.signer = LogSigner::new(log.signer.origin().into(), &[3; 32]);
    let (leaf, _) = &mut rewritten.events[5];
    leaf.action = "test.rewritten".into();
    let mut store = MemoryHashes::default();
    for (i, (leaf, _)) in rewritten.events.iter().enumerate() {
        for (k, h) in stored_hashes_for_record_hash(i as u64, leaf.hash(), &store)
            .unwrap()
            .into_iter()
            .enumerate()
        {
            store.0.insert(stored_hash_index(0, i as u64) + k as u64, h);
        }
    }
    rewritten.store = store;
    let err = check(&rewritten.export(20, 0, 20, None), &options).unwrap_err();
    assert!(matches!(err, VerifyError::Consistency(_)), "{err}");
    let err = check(&rewritten.export(20, 15, 20, Some(12)), &options).unwrap_err();
    assert!(matches!(err, VerifyError::Consistency(_)), "{err}");
}

#[test]
fn a_byte_changed_in_the_exported_bytes_is_named() {
    let log = log(6);
    let mut lines = log.export(6, 0, 6, None);
    // Not re-canonicalised: the verifier hashes the bytes as they are.
    lines[3] = lines[3].replace("\"test.event\"", "\"test.evenT\"");
    assert!(matches!(
        check(&lines, &pinned(&log)).unwrap_err(),
        VerifyError::Event { index: 2, .. }
    ));
    // Whitespace inside the event changes its bytes too.
    let mut lines = log.export(6, 0, 6, None);
    lines[2] = lines[2].replacen("{\"action\"", "{ \"action\"", 1);
    assert!(matches!(
        check(&lines, &pinned(&log)).unwrap_err(),
        VerifyError::Event { index: 1, .. }
    ));
}

#[test]
fn exported_lines_carry_the_canonical_bytes_verbatim() {
    let log = log(2);
    let lines = log.export(2, 0, 2, None);
    let line: Line = serde_json::from_str(&lines[1]).unwrap();
    let (leaf, personal) = &log.events[0];
    assert_eq!(line.event.get().as_bytes(), leaf.canonical_bytes());
    assert_eq!(
        line.personal.as_ref().unwrap().get().as_bytes(),
        personal.canonical_bytes()
    );
    assert_eq!(&line.leaf().unwrap(), leaf);
}

#[test]
fn garbage_is_refused_cleanly() {
    for text in ["", "{}", "not json", "{\"format\":\"other\"}"] {
        assert!(
            verify(text.as_bytes(), &Options::default()).is_err(),
            "{text:?}"
        );
    }
}

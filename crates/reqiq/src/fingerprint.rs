//! A finding's position-independent fingerprint, so a reviewer's decision on it survives edits
//! elsewhere in the text: the rule, the flagged words as normalised (case, quotes, dashes and
//! spacing do not matter), and which occurrence of those words under that rule it is, in text
//! order — but not where in the text it stands.

use crate::{Document, Finding};
use sha2::{Digest as _, Sha256};
use std::borrow::Cow;
use std::collections::HashMap;

/// Sets `fingerprint` on every finding (findings in text order): the first 16 bytes of
/// SHA-256(rule id, 0, normalised excerpt, 0, occurrence), in hex.
pub(crate) fn assign(findings: &mut [Finding]) {
    // Keyed by the rule id as the finding holds it: borrowed from the catalogue, no copy.
    let mut seen: HashMap<(Cow<'static, str>, String), u32> = HashMap::new();
    for finding in findings {
        let words = Document::new(&finding.excerpt).text().trim().to_owned();
        let occurrence = seen
            .entry((finding.rule_id.clone(), words.clone()))
            .or_insert(0);
        let mut hash = Sha256::new();
        hash.update(finding.rule_id.as_bytes());
        hash.update([0]);
        hash.update(words.as_bytes());
        hash.update([0]);
        hash.update(occurrence.to_be_bytes());
        *occurrence += 1;
        finding.fingerprint = hash.finalize()[..16]
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect();
    }
}

#[cfg(test)]
mod tests {
    use crate::{Fields, analyze};

    fn fingerprints(text: &str) -> Vec<(String, String)> {
        analyze(text, &Fields::default())
            .findings
            .into_iter()
            .map(|f| (f.excerpt, f.fingerprint))
            .collect()
    }

    #[test]
    fn a_finding_keeps_its_fingerprint_through_edits_elsewhere() {
        let before = fingerprints("Line cook.\nNo felons.\nRecent college graduates preferred.");
        let after = fingerprints(
            "Line cook — Fresno, nights and weekends.\nWe offer paid training.\n\nNO  FELONS!\nRecent college graduates preferred, $20-$24/hour.",
        );
        assert_eq!(before.len(), 2);
        assert_eq!(after.len(), 2);
        for ((_, a), (_, b)) in before.iter().zip(&after) {
            assert_eq!(a, b);
            assert_eq!(a.len(), 32);
        }
        // Rewording the flagged words themselves makes it a different finding.
        let reworded = fingerprints("Line cook.\nNo felons allowed.\nRecent grads preferred.");
        assert_ne!(reworded[1].1, before[1].1);
    }

    #[test]
    fn repeated_words_are_told_apart_by_their_order() {
        let twice = fingerprints("No felons. Cooks wanted. No felons.");
        assert_eq!(twice.len(), 2);
        assert_ne!(twice[0].1, twice[1].1);
        // Deleting unrelated text between them changes neither.
        let closer = fingerprints("No felons. No felons.");
        assert_eq!(twice, closer);
    }
}

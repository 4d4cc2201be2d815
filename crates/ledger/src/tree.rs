//! The RFC 6962 Merkle tree, through `tlog_tiles` (a port of Go's `sumdb/tlog`), and compact
//! ranges: the few perfect-subtree hashes that stand for a run of leaves, so that an export of a
//! range of events can be checked against the root of the whole log.

use std::collections::HashMap;
use std::sync::Mutex;

pub use tlog_tiles::{
    EMPTY_HASH, Error as TreeError, Hash, HashReader, RecordProof, TreeProof, check_record,
    check_tree, node_hash, prove_record, prove_tree, record_hash, split_stored_hash_index,
    stored_hash_index, stored_hashes_for_record_hash, sub_tree_index, tree_hash,
};

/// Hashes held in memory, by stored-hash index.
#[derive(Debug, Default, Clone)]
pub struct MemoryHashes(pub HashMap<u64, Hash>);

impl HashReader for MemoryHashes {
    fn read_hashes(&self, indexes: &[u64]) -> Result<Vec<Hash>, TreeError> {
        indexes
            .iter()
            .map(|i| self.0.get(i).copied().ok_or(TreeError::InvalidProof))
            .collect()
    }
}

/// A reader that only records which hashes an algorithm asks for (and fails): run an algorithm
/// once with it to learn what to load from storage, load those, then run it again with
/// [`MemoryHashes`]. Every `tlog_tiles` algorithm reads its hashes in a single call.
#[derive(Debug, Default)]
pub struct IndexRecorder(Mutex<Vec<u64>>);

impl IndexRecorder {
    pub fn indexes(self) -> Vec<u64> {
        self.0
            .into_inner()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }
}

impl HashReader for IndexRecorder {
    fn read_hashes(&self, indexes: &[u64]) -> Result<Vec<Hash>, TreeError> {
        self.0
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .extend_from_slice(indexes);
        Err(TreeError::InvalidProof)
    }
}

/// One perfect subtree: `2^level` leaves starting at leaf `index << level`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Node {
    pub level: u8,
    pub index: u64,
    pub hash: Hash,
}

impl Node {
    /// Where `tlog_tiles` stores this node's hash.
    pub fn stored_index(&self) -> u64 {
        stored_hash_index(self.level, self.index)
    }
}

/// The perfect subtrees that exactly cover leaves `[begin, end)`, left to right, each as large as
/// the range allows: `(level, index)`.
pub fn decompose(begin: u64, end: u64) -> Vec<(u8, u64)> {
    let mut out = Vec::new();
    let mut at = begin;
    while at < end {
        let mut level = if at == 0 {
            63
        } else {
            at.trailing_zeros() as u8
        };
        while level > 0 && (1u64 << level) > end - at {
            level -= 1;
        }
        out.push((level, at >> level));
        at += 1u64 << level;
    }
    out
}

/// A compact range: the hashes of [`decompose`]`(begin, end)`, which determine the root of any
/// tree they are part of once the rest of it is known.
#[derive(Debug, Clone, PartialEq)]
pub struct CompactRange {
    begin: u64,
    end: u64,
    nodes: Vec<Node>,
}

/// Why a compact range could not be built or merged.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RangeError {
    #[error("expected {expected} hashes for leaves {begin}..{end}, got {got}")]
    WrongCount {
        begin: u64,
        end: u64,
        expected: usize,
        got: usize,
    },
    #[error("ranges {0} and {1} are not adjacent")]
    NotAdjacent(u64, u64),
}

impl CompactRange {
    /// An empty range at `begin`.
    pub fn empty(begin: u64) -> Self {
        Self {
            begin,
            end: begin,
            nodes: Vec::new(),
        }
    }

    /// The range `[begin, end)` from the hashes of its perfect subtrees, in [`decompose`] order.
    pub fn from_hashes(begin: u64, end: u64, hashes: &[Hash]) -> Result<Self, RangeError> {
        let shape = decompose(begin, end);
        if shape.len() != hashes.len() {
            return Err(RangeError::WrongCount {
                begin,
                end,
                expected: shape.len(),
                got: hashes.len(),
            });
        }
        let nodes = shape
            .iter()
            .zip(hashes)
            .map(|(&(level, index), &hash)| Node { level, index, hash })
            .collect();
        Ok(Self { begin, end, nodes })
    }

    pub fn begin(&self) -> u64 {
        self.begin
    }

    pub fn end(&self) -> u64 {
        self.end
    }

    pub fn nodes(&self) -> &[Node] {
        &self.nodes
    }

    /// Appends the next leaf's hash.
    pub fn append(&mut self, leaf: Hash) {
        self.push(Node {
            level: 0,
            index: self.end,
            hash: leaf,
        });
        self.end += 1;
    }

    fn push(&mut self, node: Node) {
        self.nodes.push(node);
        // Merge completed siblings: a right child whose left sibling is the previous node.
        while let [.., left, right] = self.nodes.as_slice() {
            let (left, right) = (*left, *right);
            if left.level == right.level
                && left.index.is_multiple_of(2)
                && left.index + 1 == right.index
            {
                self.nodes.truncate(self.nodes.len() - 2);
                self.nodes.push(Node {
                    level: left.level + 1,
                    index: left.index / 2,
                    hash: node_hash(left.hash, right.hash),
                });
            } else {
                break;
            }
        }
    }

    /// This range followed by `right`, which must start where this one ends.
    pub fn merge(mut self, right: &CompactRange) -> Result<Self, RangeError> {
        if right.begin != self.end {
            return Err(RangeError::NotAdjacent(self.end, right.begin));
        }
        for node in &right.nodes {
            self.push(*node);
        }
        self.end = right.end;
        Ok(self)
    }

    /// The RFC 6962 root, for a range that starts at leaf 0.
    pub fn root(&self) -> Option<Hash> {
        if self.begin != 0 {
            return None;
        }
        let mut nodes = self.nodes.iter().rev();
        let Some(last) = nodes.next() else {
            return Some(EMPTY_HASH);
        };
        Some(nodes.fold(last.hash, |acc, node| node_hash(node.hash, acc)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::hash_from_hex;
    use serde::Deserialize;

    #[derive(Deserialize)]
    struct Vectors {
        reference: Set,
        large: Set,
    }

    #[derive(Deserialize)]
    struct Set {
        leaves: Vec<String>,
        roots: Vec<Root>,
        inclusion: Vec<Inclusion>,
        consistency: Vec<Consistency>,
    }

    #[derive(Deserialize)]
    struct Root {
        size: u64,
        root: String,
    }

    #[derive(Deserialize)]
    struct Inclusion {
        index: u64,
        size: u64,
        path: Vec<String>,
    }

    #[derive(Deserialize)]
    struct Consistency {
        first: u64,
        second: u64,
        proof: Vec<String>,
    }

    fn vectors() -> Vectors {
        // Kept in the crate (testdata/README.md says where they come from).
        let text = include_str!(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/testdata/rfc6962.json"
        ));
        serde_json::from_str(text).expect("vectors parse")
    }

    /// Builds the stored hashes of a tree of `leaves`, as the sequencer does.
    fn build(leaves: &[Vec<u8>]) -> MemoryHashes {
        let mut store = MemoryHashes::default();
        for (n, leaf) in leaves.iter().enumerate() {
            let n = n as u64;
            let hashes = stored_hashes_for_record_hash(n, record_hash(leaf), &store).unwrap();
            let start = stored_hash_index(0, n);
            for (i, h) in hashes.into_iter().enumerate() {
                store.0.insert(start + i as u64, h);
            }
        }
        store
    }

    fn h(text: &str) -> Hash {
        hash_from_hex(text).expect("hex hash")
    }

    fn check_set(set: &Set) {
        let leaves: Vec<Vec<u8>> = set
            .leaves
            .iter()
            .map(|l| crate::unhex(l).unwrap())
            .collect();
        let store = build(&leaves);
        for root in &set.roots {
            assert_eq!(
                tree_hash(root.size, &store).unwrap(),
                h(&root.root),
                "root of {}",
                root.size
            );
            // The same root from a compact range appended leaf by leaf.
            let mut range = CompactRange::empty(0);
            for leaf in &leaves[..root.size as usize] {
                range.append(record_hash(leaf));
            }
            assert_eq!(
                range.root(),
                Some(h(&root.root)),
                "compact root of {}",
                root.size
            );
        }
        for case in &set.inclusion {
            let proof = prove_record(case.size, case.index, &store).unwrap();
            let expected: Vec<Hash> = case.path.iter().map(|p| h(p)).collect();
            assert_eq!(proof, expected, "inclusion {} in {}", case.index, case.size);
            let root = tree_hash(case.size, &store).unwrap();
            check_record(
                &proof,
                case.size,
                root,
                case.index,
                record_hash(&leaves[case.index as usize]),
            )
            .unwrap();
        }
        for case in &set.consistency {
            let expected: Vec<Hash> = case.proof.iter().map(|p| h(p)).collect();
            if case.first == 0 {
                assert!(
                    expected.is_empty(),
                    "the empty tree is consistent with any tree, with no proof"
                );
                continue;
            }
            let proof = prove_tree(case.second, case.first, &store).unwrap();
            assert_eq!(
                proof, expected,
                "consistency {} to {}",
                case.first, case.second
            );
            let (old, new) = (
                tree_hash(case.first, &store).unwrap(),
                tree_hash(case.second, &store).unwrap(),
            );
            check_tree(&proof, case.second, new, case.first, old).unwrap();
        }
    }

    #[test]
    fn the_tree_matches_the_rfc_6962_reference_vectors_exactly() {
        check_set(&vectors().reference);
    }

    #[test]
    fn the_tree_matches_the_large_vectors_exactly() {
        check_set(&vectors().large);
    }

    #[test]
    fn any_range_merged_with_its_surroundings_gives_the_root() {
        let leaves: Vec<Vec<u8>> = (0..37u32).map(|i| i.to_be_bytes().to_vec()).collect();
        let store = build(&leaves);
        let n = leaves.len() as u64;
        let root = tree_hash(n, &store).unwrap();
        for begin in 0..n {
            for end in begin..=n {
                let read = |b: u64, e: u64| {
                    let hashes: Vec<Hash> = decompose(b, e)
                        .iter()
                        .map(|&(l, i)| store.0[&stored_hash_index(l, i)])
                        .collect();
                    CompactRange::from_hashes(b, e, &hashes).unwrap()
                };
                let mut middle = CompactRange::empty(begin);
                for leaf in &leaves[begin as usize..end as usize] {
                    middle.append(record_hash(leaf));
                }
                let whole = read(0, begin)
                    .merge(&middle)
                    .unwrap()
                    .merge(&read(end, n))
                    .unwrap();
                assert_eq!(whole.root(), Some(root), "range {begin}..{end}");
            }
        }
    }

    #[test]
    fn a_leafs_own_hash_is_stored_at_two_n_minus_its_popcount() {
        // The SQL function audit.leaf_hash_index relies on this.
        for n in 0..5000u64 {
            assert_eq!(stored_hash_index(0, n), 2 * n - u64::from(n.count_ones()));
        }
    }

    #[test]
    fn decomposition_covers_the_range_with_aligned_perfect_subtrees() {
        assert_eq!(decompose(0, 7), [(2, 0), (1, 2), (0, 6)]);
        assert_eq!(decompose(3, 8), [(0, 3), (2, 1)]);
        assert_eq!(decompose(5, 5), []);
        for (begin, end) in [(0, 1000), (13, 999), (512, 513)] {
            let covered: u64 = decompose(begin, end).iter().map(|(l, _)| 1u64 << l).sum();
            assert_eq!(covered, end - begin);
        }
    }

    #[test]
    fn the_recorder_learns_what_a_proof_needs() {
        let leaves: Vec<Vec<u8>> = (0..10u32).map(|i| i.to_be_bytes().to_vec()).collect();
        let store = build(&leaves);
        let recorder = IndexRecorder::default();
        assert!(prove_record(10, 3, &recorder).is_err());
        let needed = recorder.indexes();
        let subset = MemoryHashes(needed.iter().map(|i| (*i, store.0[i])).collect());
        assert_eq!(
            prove_record(10, 3, &subset).unwrap(),
            prove_record(10, 3, &store).unwrap()
        );
    }
}

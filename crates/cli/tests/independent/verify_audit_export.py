#!/usr/bin/env python3
"""An independent verifier of Attest audit exports, written from docs/audit.md alone.

It shares no code with `attest audit verify`: Python's hashlib for SHA-256, the `cryptography`
package for Ed25519. The CLI's integration tests run it on the same exports as the Rust verifier
(honest and tampered) and require the same verdict, which checks that the specification is enough
to reimplement the verifier.

Usage: verify_audit_export.py EXPORT --key VKEY [--previous-checkpoint FILE]
Exit status: 0 verified; 1 not verified (the reason on stderr); 2 unreadable.
"""

import argparse
import base64
import hashlib
import json
import sys

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey


class NotVerified(Exception):
    pass


def sha256(data: bytes) -> bytes:
    return hashlib.sha256(data).digest()


def leaf_hash(data: bytes) -> bytes:
    return sha256(b"\x00" + data)


def node_hash(left: bytes, right: bytes) -> bytes:
    return sha256(b"\x01" + left + right)


# --- signed notes and checkpoints ------------------------------------------------------------


def parse_vkey(vkey: str):
    name, key_id, encoded = vkey.strip().split("+", 2)
    raw = base64.b64decode(encoded)
    if raw[0] != 0x01 or len(raw) != 33:
        raise NotVerified("the verifier key is not an Ed25519 key")
    if sha256(name.encode() + b"\n" + raw)[:4].hex() != key_id:
        raise NotVerified("the verifier key's id does not match its key")
    return name, bytes.fromhex(key_id), Ed25519PublicKey.from_public_bytes(raw[1:])


def verify_checkpoint(note: str, vkey: str):
    """Returns (origin, size, root) of a checkpoint signed by `vkey`."""
    name, key_id, public = parse_vkey(vkey)
    text, sep, signatures = note.partition("\n\n")
    if not sep:
        raise NotVerified("the checkpoint is not a signed note")
    text += "\n"
    signed = False
    for line in signatures.splitlines():
        if not line.startswith("\u2014 "):
            continue
        signer, _, blob = line[2:].rpartition(" ")
        raw = base64.b64decode(blob)
        if signer != name or raw[:4] != key_id:
            continue
        try:
            public.verify(raw[4:], text.encode())
            signed = True
        except InvalidSignature:
            raise NotVerified("the checkpoint's signature does not verify")
    if not signed:
        raise NotVerified("the checkpoint is not signed by the pinned key")
    lines = text.split("\n")
    origin, size, root = lines[0], int(lines[1]), base64.b64decode(lines[2])
    if origin != name:
        raise NotVerified("the checkpoint's origin is not the key's name")
    return origin, size, root


# --- the tree --------------------------------------------------------------------------------


class CompactRange:
    """Perfect subtrees covering [begin, end), left to right, as (size, hash)."""

    def __init__(self, begin: int):
        self.begin = begin
        self.end = begin
        self.nodes = []

    def append_subtree(self, size: int, h: bytes):
        self.nodes.append((size, h))
        self.end += size
        while len(self.nodes) >= 2 and self.nodes[-2][0] == self.nodes[-1][0]:
            (s, left), (_, right) = self.nodes[-2], self.nodes[-1]
            # Merging is only right when the merged block stays aligned.
            if (self.end - 2 * s) % (2 * s) != 0:
                break
            self.nodes[-2:] = [(2 * s, node_hash(left, right))]

    def root(self) -> bytes:
        if not self.nodes:
            return sha256(b"")
        h = self.nodes[-1][1]
        for _, left in reversed(self.nodes[:-1]):
            h = node_hash(left, h)
        return h


def decompose(begin: int, end: int):
    """Sizes of the maximal aligned power-of-two blocks covering [begin, end)."""
    sizes = []
    while begin < end:
        size = 1
        while begin % (size * 2) == 0 and begin + size * 2 <= end:
            size *= 2
        sizes.append(size)
        begin += size
    return sizes


def consistent(m: int, n: int, old_root: bytes, new_root: bytes, proof) -> bool:
    """RFC 9162 §2.1.4.2 (the RFC 6962 consistency proof check)."""
    if m == n:
        return old_root == new_root and not proof
    if m == 0 or m > n:
        return False
    if m & (m - 1) == 0:
        proof = [old_root] + proof
    if not proof:
        return False
    fn, sn = m - 1, n - 1
    while fn & 1:
        fn >>= 1
        sn >>= 1
    fr = sr = proof[0]
    for c in proof[1:]:
        if sn == 0:
            return False
        if fn & 1 or fn == sn:
            fr = node_hash(c, fr)
            sr = node_hash(c, sr)
            while not fn & 1 and fn != 0:
                fn >>= 1
                sn >>= 1
        else:
            sr = node_hash(sr, c)
        fn >>= 1
        sn >>= 1
    return fr == old_root and sr == new_root and sn == 0


# --- the export ------------------------------------------------------------------------------


SEPARATOR = b',"personal":'


def event_bytes_of(line: bytes) -> bytes:
    """The exact bytes of the `event` value: from `"event":` to the line's last `,"personal":`
    (the event has a `personal` key of its own, inside it)."""
    return line[line.index(b'"event":') + len(b'"event":') : line.rindex(SEPARATOR)]


def personal_bytes_of(line: bytes) -> bytes:
    """The exact bytes of the top-level `personal` value: after the last `,"personal":`, up to
    the line's closing brace."""
    return line[line.rindex(SEPARATOR) + len(SEPARATOR) : line.rstrip().rindex(b"}")]


def previous_note(path: str) -> str:
    """An earlier checkpoint: a checkpoint note, or an earlier export (its header's)."""
    with open(path) as f:
        text = f.read()
    if text.startswith("{"):
        return json.loads(text.split("\n", 1)[0])["checkpoint"]
    return text


def verify(path: str, vkey: str, previous: str | None) -> str:
    with open(path, "rb") as f:
        header = json.loads(f.readline())
        if header.get("format") != "attest-audit-export/1":
            raise NotVerified("unknown export format")
        if header["vkey"] != vkey.strip():
            raise NotVerified("the export names another key")
        origin, size, root = verify_checkpoint(header["checkpoint"], vkey)
        first, end = header["first"], header["end"]
        if size != header["tree_size"] or origin != header["origin"] or not first <= end <= size:
            raise NotVerified("the header does not match its checkpoint")
        org = origin.removeprefix("attest/")

        whole = CompactRange(0)
        for s, h in zip(decompose(0, first), header["left"]):
            whole.append_subtree(s, bytes.fromhex(h))
        if whole.end != first:
            raise NotVerified("the left hashes do not cover the leaves before the export")
        prefix_root = None
        prev = verify_checkpoint(previous_note(previous), vkey) if previous else None
        index = first
        for line in f:
            if not line.strip():
                continue
            parsed = json.loads(line)
            event_bytes = event_bytes_of(line)
            event = json.loads(event_bytes)
            seq = index + 1
            if parsed["index"] != index or index >= end:
                raise NotVerified(f"event {seq}: missing, added or reordered")
            h = leaf_hash(event_bytes)
            if h.hex() != parsed["leaf_hash"]:
                raise NotVerified(f"event {seq}: altered")
            if event["org"] != org:
                raise NotVerified(f"event {seq}: another organisation's")
            if parsed["personal"] is not None:
                personal_bytes = personal_bytes_of(line)
                if sha256(personal_bytes).hex() != event["personal"]:
                    raise NotVerified(f"event {seq}: personal fields altered")
            whole.append_subtree(1, h)
            index += 1
            if prev and first == 0 and index == prev[1]:
                prefix_root = whole.root()
        if index != end:
            raise NotVerified(f"event {index + 1}: missing")
        for s, h in zip(decompose(end, size), header["right"]):
            whole.append_subtree(s, bytes.fromhex(h))
        if whole.end != size or whole.root() != root:
            raise NotVerified("the events do not reproduce the signed root")

    if prev:
        _, m, old_root = prev
        proof = header.get("consistency")
        if m > size:
            raise NotVerified("the previous checkpoint is larger")
        if m == size:
            ok = old_root == root
        elif proof and proof["from_size"] == m:
            ok = consistent(m, size, old_root, root, [bytes.fromhex(p) for p in proof["proof"]])
        elif prefix_root is not None:
            ok = prefix_root == old_root
        else:
            raise NotVerified("no consistency proof from the previous checkpoint")
        if not ok:
            raise NotVerified("the log does not extend the previous checkpoint")
    return f"verified {end - first} event(s) of {origin} at size {size}"


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("export")
    parser.add_argument("--key", required=True)
    parser.add_argument("--previous-checkpoint")
    args = parser.parse_args()
    try:
        print(verify(args.export, args.key, args.previous_checkpoint))
        return 0
    except NotVerified as e:
        print(f"NOT VERIFIED: {e}", file=sys.stderr)
        return 1
    except (OSError, ValueError, KeyError) as e:
        print(f"unreadable: {e}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())

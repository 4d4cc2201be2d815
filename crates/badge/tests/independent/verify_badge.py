"""An independent check of an Attest badge with pycose (COSE) and cbor2 only.

Usage: verify_badge.py PAYLOAD PUBLIC_KEY_HEX
Prints "valid <name>" and exits 0 if the COSE_Sign1 inside the Base45 payload verifies with the
Ed25519 public key; prints "invalid <reason>" and exits 1 otherwise.
"""
import sys

import cbor2
from pycose.keys import OKPKey
from pycose.keys.curves import Ed25519
from pycose.messages import Sign1Message

ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:"


def base45_decode(text: str) -> bytes:
    out = bytearray()
    for i in range(0, len(text), 3):
        chunk = [ALPHABET.index(c) for c in text[i:i + 3]]
        if len(chunk) == 3:
            n = chunk[0] + chunk[1] * 45 + chunk[2] * 45 * 45
            if n > 0xFFFF:
                raise ValueError("base45 value out of range")
            out += bytes([n >> 8, n & 0xFF])
        elif len(chunk) == 2:
            n = chunk[0] + chunk[1] * 45
            if n > 0xFF:
                raise ValueError("base45 value out of range")
            out.append(n)
        else:
            raise ValueError("dangling base45 character")
    return bytes(out)


def main() -> int:
    payload, key_hex = sys.argv[1], sys.argv[2]
    if not payload.startswith("AT1:"):
        print("invalid prefix")
        return 1
    try:
        message = Sign1Message.decode(base45_decode(payload[4:]))
    except Exception as error:  # noqa: BLE001 - any decoding failure is a refusal
        print(f"invalid malformed {error}")
        return 1
    message.key = OKPKey(crv=Ed25519, x=bytes.fromhex(key_hex))
    try:
        ok = message.verify_signature()
    except Exception as error:  # noqa: BLE001
        print(f"invalid signature {error}")
        return 1
    if not ok:
        print("invalid signature")
        return 1
    claims = cbor2.loads(message.payload)
    print(f"valid {claims[-65537]}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

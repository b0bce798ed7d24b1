#!/usr/bin/env python3
"""Checks a caseledger export (`caseledger export --format jsonl`) with Python alone, so that an
auditor need not trust the binary that wrote it.

The format is proto/FORMAT.md ("The export") and SPEC §5: one JSON object a line, an entry each,
  {"seq":N,"prev_hash":HEX,"hash":HEX,"bytes":BASE64,"entry":{..., "postings":[...], ...}}
This checks every line's shape, the sequence (1, 2, 3, ... with no gap), the hash chain
  hash = SHA-256(prev_hash ‖ seq as 8 bytes big-endian ‖ bytes), 32 zero bytes before entry 1,
that each entry's postings balance, and with --digest SEQ:HASH that the RFC 6962 tree head of
the first SEQ entry hashes is HASH. It neither decodes the protobuf `bytes` nor compares them
with `entry` nor replays them: that takes the schema, and `caseledger verify --file` does it.

  python3 tools/verify_export.py EXPORT.jsonl [--digest SEQ:HASH]... [--json]

Exit 0 and `OK <entries> entries, head <seq> <hash>` when the export is sound; exit 3 and
`BAD seq <N>: <problem>` at the first bad line, N being the sequence number expected there (or
`BAD digest <SEQ>: ...` when a tree head disagrees); exit 2 on a usage error.
"""
import argparse
import base64
import binascii
import hashlib
import json
import re
import sys
from decimal import Decimal

KEYS = ["seq", "prev_hash", "hash", "bytes", "entry"]
HEX = re.compile(r"[0-9a-f]{64}")
AMOUNT = re.compile(r"(0|[1-9][0-9]*)(\.[0-9]{1,2})?")
ZERO_HASH = "0" * 64


class Damage(Exception):
    """What is wrong with a line or a tree head."""


def unique_keys(pairs):
    keys = [key for key, _ in pairs]
    if len(set(keys)) != len(keys):
        raise ValueError("duplicate key")
    return dict(pairs)


def balance(postings):
    """Debits minus credits; amounts are strings of yuan with at most two decimals."""
    if not isinstance(postings, list):
        raise Damage("postings is not a list")
    total = Decimal(0)
    for posting in postings:
        if not isinstance(posting, dict) or not isinstance(posting.get("account"), str):
            raise Damage(f"posting {posting!r} names no account")
        sides = [key for key in posting if key != "account"]
        if sides not in (["debit"], ["credit"]):
            raise Damage(f"posting {posting!r} is not one debit or one credit")
        amount = posting[sides[0]]
        if not isinstance(amount, str) or not AMOUNT.fullmatch(amount):
            raise Damage(f"amount {amount!r} is not an amount")
        total += Decimal(amount) if sides == ["debit"] else -Decimal(amount)
    return total


def check_line(raw, seq, prev_hash):
    """The hash of line `raw`, which must hold entry `seq` chained to `prev_hash`."""
    try:
        line = json.loads(raw.decode("utf-8"), object_pairs_hook=unique_keys)
    except ValueError as error:  # UnicodeDecodeError and JSONDecodeError are ValueErrors
        raise Damage(f"not a JSON line: {error}")
    if not isinstance(line, dict) or list(line) != KEYS:
        raise Damage(f"keys are not exactly {', '.join(KEYS)}")
    if type(line["seq"]) is not int or line["seq"] != seq:
        raise Damage(f"expected entry {seq}, found {line['seq']!r}")
    if not all(isinstance(line[key], str) for key in ("prev_hash", "hash", "bytes")):
        raise Damage("prev_hash, hash or bytes is not a string")
    if not HEX.fullmatch(line["prev_hash"]) or not HEX.fullmatch(line["hash"]):
        raise Damage("prev_hash or hash is not 64 lowercase hex digits")
    if line["prev_hash"] != prev_hash:
        raise Damage(f"prev_hash {line['prev_hash']} is not the previous hash {prev_hash}")
    try:
        stored = base64.b64decode(line["bytes"], validate=True)
    except binascii.Error as error:
        raise Damage(f"bytes is not base64: {error}")
    if base64.b64encode(stored).decode() != line["bytes"]:
        raise Damage("bytes is not canonical base64")
    chained = hashlib.sha256(bytes.fromhex(prev_hash) + seq.to_bytes(8, "big") + stored).hexdigest()
    if chained != line["hash"]:
        raise Damage(f"hash {line['hash']} is not SHA-256(prev_hash, seq, bytes) {chained}")
    if not isinstance(line["entry"], dict):
        raise Damage("entry is not an object")
    difference = balance(line["entry"].get("postings"))
    if difference != 0:
        raise Damage(f"postings do not balance: debits minus credits is {difference}")
    return line["hash"]


def tree_head(leaves, begin, end):
    """RFC 6962 MTH(D[begin:end]) over leaf hashes: split at the largest power of two below n."""
    n = end - begin
    if n == 0:
        return hashlib.sha256(b"").digest()
    if n == 1:
        return leaves[begin]
    k = 1 << ((n - 1).bit_length() - 1)
    return hashlib.sha256(b"\x01" + tree_head(leaves, begin, begin + k) +
                          tree_head(leaves, begin + k, end)).digest()


def digest_argument(text):
    match = re.fullmatch(r"([0-9]+):([0-9a-f]{64})", text)
    if not match:
        raise argparse.ArgumentTypeError(f"{text!r} is not SEQ:HASH (64 lowercase hex digits)")
    return int(match.group(1)), match.group(2)


def read_export(path):
    """(entries, head hash, leaf hashes, problem): the lines up to the first bad one, if any."""
    seq, head, leaves = 0, ZERO_HASH, []
    with open(path, "rb") as export:
        for raw in export:
            try:
                head = check_line(raw.rstrip(b"\n").removesuffix(b"\r"), seq + 1, head)
            except Damage as damage:
                return seq, head, leaves, str(damage)
            leaves.append(hashlib.sha256(b"\x00" + bytes.fromhex(head)).digest())
            seq += 1
    return seq, head, leaves, None


def check_digest(leaves, seq, expected):
    """What is wrong with the published head (seq, expected), or None."""
    if seq > len(leaves):
        return f"the export has {len(leaves)} entries; a head for {seq} was given"
    actual = tree_head(leaves, 0, seq).hex()
    return None if actual == expected else f"the tree head is {actual}, not {expected}"


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("export", help="the file `caseledger export --format jsonl` wrote")
    parser.add_argument("--digest", type=digest_argument, action="append", default=[],
                        metavar="SEQ:HASH", help="a published tree head to check")
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    args = parser.parse_args()
    try:
        seq, head, leaves, problem = read_export(args.export)
    except OSError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2

    first_bad_seq = None if problem is None else seq + 1
    where = f"seq {first_bad_seq}"
    report = [f"OK {seq} entries, head {seq} {head}"]
    for digest_seq, expected in args.digest if problem is None else []:
        problem = check_digest(leaves, digest_seq, expected)
        if problem is not None:
            where = f"digest {digest_seq}"
            break
        report.append(f"digest {digest_seq} {expected} matches")
    if args.json:
        print(json.dumps({"ok": problem is None, "entries": seq, "head_seq": seq,
                          "head_hash": head, "first_bad_seq": first_bad_seq,
                          "problem": problem}))
    else:
        print("\n".join(report) if problem is None else f"BAD {where}: {problem}")
    return 0 if problem is None else 3


if __name__ == "__main__":
    sys.exit(main())

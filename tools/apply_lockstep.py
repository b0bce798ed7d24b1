#!/usr/bin/env python3
"""Measures the cost of one synced command: sends a line to `caseledger apply`, waits for its
result, then sends the next, so no two commands share a sync.

usage: tools/apply_lockstep.py COMMANDS.jsonl DB_DIR COUNT   (binary: $CASELEDGER or build/caseledger)
"""
import os
import subprocess
import sys
import time


def main():
    path, db, count = sys.argv[1], sys.argv[2], int(sys.argv[3])
    with open(path, encoding="utf-8") as f:
        lines = f.read().splitlines()[:count]
    binary = os.environ.get("CASELEDGER", "build/caseledger")
    proc = subprocess.Popen([binary, "--db", db, "apply"], stdin=subprocess.PIPE,
                            stdout=subprocess.PIPE, text=True, bufsize=1)
    start = time.monotonic()
    for line in lines:
        proc.stdin.write(line + "\n")
        proc.stdin.flush()
        proc.stdout.readline()
    elapsed = time.monotonic() - start
    proc.stdin.close()
    proc.wait()
    print(f"{len(lines)} commands one at a time: {elapsed:.2f} s, "
          f"{len(lines) / elapsed:.0f}/s, {elapsed / len(lines) * 1e3:.2f} ms each")


if __name__ == "__main__":
    main()

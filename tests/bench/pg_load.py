#!/usr/bin/python3
"""Loads a caseledger export (JSON Lines) into a plain double-entry PostgreSQL schema, the way a
careful vendor would, and prints entries per second. Run by postgres_bench.sh, which starts the
throwaway server; this file only talks to it.

usage: pg_load.py EXPORT.jsonl --host H --port P [--user U] [--dbname D] [--batch N] [--json]

Two phases, timed apart:
  prepare  read and parse the export, build each transaction's parameters (client side only);
  load     for each batch of N entries, in one transaction: one set-based INSERT of the entries,
           one of the postings, one UPDATE/INSERT of the balances with one row per account
           touched, then COMMIT (fsync=on, synchronous_commit=on on the server).
entries_per_s is entries / load seconds: what PostgreSQL costs, JSON parsing excluded.
Then it checks that every account's balance equals the sum of its postings (and the export's).
"""
import argparse
import json
import sys
import time
from decimal import Decimal

import psycopg

SCHEMA = """
CREATE TABLE entries (
  seq         bigint PRIMARY KEY,
  request_id  text UNIQUE NOT NULL,
  op          text NOT NULL,
  on_date     date NOT NULL,
  recorded_at timestamptz NOT NULL,
  body        jsonb NOT NULL
);
CREATE TABLE postings (
  seq     bigint REFERENCES entries,
  account text,
  amount  numeric(20,2) NOT NULL            -- signed: debit +, credit -
);
CREATE INDEX postings_account ON postings (account);
CREATE TABLE accounts (
  name    text PRIMARY KEY,
  kind    text,                              -- asset (bank) or liability (everything else)
  balance numeric(20,2) NOT NULL CHECK (balance >= 0)   -- on the account's normal side
);
"""

# Fixed parameter lists (arrays), so one server-side prepared statement serves every batch.
INSERT_ENTRIES = """
INSERT INTO entries (seq, request_id, op, on_date, recorded_at, body)
SELECT * FROM unnest(%s::bigint[], %s::text[], %s::text[], %s::date[], %s::timestamptz[],
                     %s::jsonb[])
"""
INSERT_POSTINGS = """
INSERT INTO postings (seq, account, amount)
SELECT * FROM unnest(%s::bigint[], %s::text[], %s::numeric[])
"""
# One row per account touched in the transaction (aggregated in the client, sorted by name so
# that concurrent writers would lock in the same order). Not INSERT ... ON CONFLICT DO UPDATE:
# PostgreSQL checks CHECK (balance >= 0) on the proposed row before it finds the conflict, so a
# net outflow (negative delta) on an existing account would be refused. Hence UPDATE the
# existing accounts and INSERT the new ones, in one statement.
UPDATE_BALANCES = """
WITH d(name, kind, delta) AS (SELECT * FROM unnest(%s::text[], %s::text[], %s::numeric[])),
     upd AS (UPDATE accounts a SET balance = a.balance + d.delta FROM d
             WHERE a.name = d.name RETURNING a.name)
INSERT INTO accounts (name, kind, balance)
SELECT d.name, d.kind, d.delta FROM d WHERE d.name NOT IN (SELECT name FROM upd)
"""

ENVELOPE = {"request_id", "operator", "on"}


def kind_of(account):
    return "asset" if account == "bank" else "liability"


def text_array(values):
    """A PostgreSQL array literal of text elements: each quoted, backslash and quote escaped."""
    return "{" + ",".join(
        '"' + v.replace("\\", "\\\\").replace('"', '\\"') + '"' for v in values) + "}"


def plain_array(values):
    return "{" + ",".join(values) + "}"


def op_of(command):
    ops = [k for k in command if k not in ENVELOPE]
    if len(ops) != 1:
        dicts = [k for k in ops if isinstance(command[k], dict)]
        if len(dicts) == 1:
            return dicts[0]
        raise ValueError(f"cannot tell the operation of {sorted(command)}")
    return ops[0]


def prepare(path, batch):
    """Parses the export and builds every transaction's parameters.

    Returns (batches, final normal-side balance per account, entries, postings)."""
    batches, final = [], {}
    n_entries = n_postings = 0
    cur = None

    def flush():
        if cur is None or not cur["seq"]:
            return
        deltas = cur["deltas"]
        names = sorted(deltas)
        batches.append((
            (plain_array(cur["seq"]), text_array(cur["rid"]), text_array(cur["op"]),
             plain_array(cur["on"]), text_array(cur["at"]), text_array(cur["body"])),
            (plain_array(cur["pseq"]), text_array(cur["pacc"]), plain_array(cur["pamt"]))
            if cur["pseq"] else None,
            (text_array(names), text_array([kind_of(n) for n in names]),
             plain_array([str(deltas[n]) for n in names])) if names else None,
            len(cur["seq"])))

    with open(path, encoding="utf-8") as f:
        for line in f:
            if not line.strip():
                continue
            if cur is None or len(cur["seq"]) >= batch:
                flush()
                cur = {k: [] for k in ("seq", "rid", "op", "on", "at", "body",
                                       "pseq", "pacc", "pamt")}
                cur["deltas"] = {}
            rec = json.loads(line)
            entry = rec["entry"]
            command = entry["command"]
            seq = str(int(rec["seq"]))
            cur["seq"].append(seq)
            cur["rid"].append(command["request_id"])
            cur["op"].append(op_of(command))
            cur["on"].append(command["on"])
            cur["at"].append(entry["recorded_at"])
            cur["body"].append(json.dumps(entry, ensure_ascii=False, separators=(",", ":")))
            for p in entry.get("postings", []):
                account = p["account"]
                if "debit" in p:
                    amount = Decimal(p["debit"])
                else:
                    amount = -Decimal(p["credit"])
                cur["pseq"].append(seq)
                cur["pacc"].append(account)
                cur["pamt"].append(str(amount))
                normal = amount if kind_of(account) == "asset" else -amount
                cur["deltas"][account] = cur["deltas"].get(account, Decimal(0)) + normal
                final[account] = final.get(account, Decimal(0)) + normal
                n_postings += 1
            n_entries += 1
    flush()
    return batches, final, n_entries, n_postings


def load(conn, batches):
    """Runs every transaction; returns the seconds spent in each statement kind, summed."""
    clock = time.perf_counter
    spent = {"entries": 0.0, "postings": 0.0, "balances": 0.0, "commit": 0.0}

    def timed(kind, run):
        t = clock()
        run()
        spent[kind] += clock() - t

    with conn.cursor() as c:
        for k, (entries, postings, balances, _) in enumerate(batches):
            try:
                timed("entries", lambda: c.execute(INSERT_ENTRIES, entries, prepare=True))
                if postings:
                    timed("postings", lambda: c.execute(INSERT_POSTINGS, postings, prepare=True))
                if balances:
                    timed("balances", lambda: c.execute(UPDATE_BALANCES, balances, prepare=True))
                timed("commit", conn.commit)
            except psycopg.Error as e:
                e.batch = k + 1
                raise
    return spent


def check(conn, final, n_entries, n_postings):
    """Returns a list of problems (empty when the loaded ledger is right)."""
    problems = []
    with conn.cursor() as c:
        c.execute("SELECT count(*) FROM entries")
        got = c.fetchone()[0]
        if got != n_entries:
            problems.append(f"entries: {got} in PostgreSQL, {n_entries} in the export")
        c.execute("SELECT count(*) FROM postings")
        got = c.fetchone()[0]
        if got != n_postings:
            problems.append(f"postings: {got} in PostgreSQL, {n_postings} in the export")
        c.execute("""
            SELECT coalesce(a.name, p.account), a.balance, p.total
            FROM accounts a
            FULL JOIN (SELECT account, sum(amount) AS total FROM postings GROUP BY account) p
                   ON p.account = a.name
            WHERE a.name IS NULL OR p.account IS NULL
               OR a.balance <> CASE WHEN a.kind = 'asset' THEN p.total ELSE -p.total END""")
        for name, balance, total in c.fetchmany(10):
            problems.append(f"account {name}: balance {balance}, postings sum to {total}")
        c.execute("SELECT seq FROM postings GROUP BY seq HAVING sum(amount) <> 0 LIMIT 10")
        for (seq,) in c.fetchall():
            problems.append(f"entry {seq}: postings do not sum to zero")
        c.execute("SELECT name, balance FROM accounts")
        stored = dict(c.fetchall())
        if set(stored) != set(final):
            problems.append(f"accounts: {len(stored)} in PostgreSQL, {len(final)} in the export")
        for name, balance in final.items():
            if stored.get(name) != balance:
                problems.append(f"account {name}: {stored.get(name)} in PostgreSQL, "
                                f"{balance} from the export")
                break
    return problems, len(stored)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("export")
    ap.add_argument("--host", default="127.0.0.1")
    ap.add_argument("--port", type=int, required=True)
    ap.add_argument("--user", default="postgres")
    ap.add_argument("--dbname", default="postgres")
    ap.add_argument("--batch", type=int, default=1024)
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args()
    if args.batch < 1:
        ap.error("--batch must be at least 1")

    t0 = time.perf_counter()
    batches, final, n_entries, n_postings = prepare(args.export, args.batch)
    prepare_s = time.perf_counter() - t0
    if n_entries == 0:
        print("pg_load: the export has no entries", file=sys.stderr)
        return 2

    conn = psycopg.connect(host=args.host, port=args.port, user=args.user,
                           dbname=args.dbname, sslmode="disable")
    with conn.cursor() as c:
        # The statements' plans do not depend on the values: plan them once, not per batch
        # (under the default, PostgreSQL may re-plan each execution with the 1024 values).
        c.execute("SET plan_cache_mode = force_generic_plan")
        c.execute(SCHEMA)
        conn.commit()
        settings = {}
        for name in ("server_version", "fsync", "synchronous_commit", "wal_sync_method",
                     "full_page_writes", "wal_level", "shared_buffers", "max_wal_size",
                     "plan_cache_mode"):
            c.execute(f"SHOW {name}")
            settings[name] = c.fetchone()[0]
        conn.commit()

    t1 = time.perf_counter()
    try:
        spent = load(conn, batches)
    except psycopg.Error as e:
        print(f"pg_load: PostgreSQL refused transaction {getattr(e, 'batch', '?')} of "
              f"{len(batches)}: {e}".rstrip(), file=sys.stderr)
        return 1
    load_s = time.perf_counter() - t1

    problems, n_accounts = check(conn, final, n_entries, n_postings)
    conn.close()
    total_s = prepare_s + load_s
    result = {
        "entries": n_entries,
        "seconds": round(load_s, 3),
        "entries_per_s": round(n_entries / load_s),
        "postings": n_postings,
        "accounts": n_accounts,
        "batch": args.batch,
        "transactions": len(batches),
        "prepare_seconds": round(prepare_s, 3),
        "total_seconds": round(total_s, 3),
        "total_entries_per_s": round(n_entries / total_s),
        "load_seconds_by_statement": {k: round(v, 3) for k, v in spent.items()},
        "check": "ok" if not problems else problems,
        "server": settings,
    }
    if args.json:
        print(json.dumps(result, ensure_ascii=False))
    else:
        print(f"entries={n_entries} seconds={load_s:.3f} entries_per_s={result['entries_per_s']}"
              f"  (PostgreSQL {settings['server_version']}, load only: {len(batches)} "
              f"transactions of up to {args.batch}, fsync={settings['fsync']}, "
              f"synchronous_commit={settings['synchronous_commit']}; with client-side "
              f"preparation {total_s:.3f} s = {result['total_entries_per_s']} entries/s; "
              f"{n_postings} postings, {n_accounts} accounts, balances "
              f"{'= sum of postings' if not problems else 'WRONG'})")
    for p in problems:
        print(f"pg_load: check failed: {p}", file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())

#!/usr/bin/env python3
"""Writes demo/statement-2024-03.csv: the special account's bank statement (SPEC §4) for March
2024 as the bank would send it for the demo month. Every movement of money the demo ledger
records with a value date in March is one line (bank_ref, amount, direction, counterparty, the
case's virtual account for receipts), in value-date order with the running balance from the
ledger's bank balance on 2024-02-29; then the bank's own two lines the ledger has not booked
yet: the quarter's interest credited on 2024-03-21 and an account charge on 2024-03-29 (the
`kind` column). So `balance --statement` shows the difference and `reconcile` names the two
lines; `reconcile --record` books them.

usage: tools/make_demo_statement.py CASELEDGER DB > demo/statement-2024-03.csv
       (DB holds demo/month.jsonl applied; CASELEDGER_TODAY=2024-03-31)
"""
import csv
import json
import subprocess
import sys

BANK_LINES = [  # (value_date, direction, amount in fen, bank_ref, memo, kind)
    ("2024-03-21", "in", 328416, "I240321-0001", "第一季度结息", "interest"),
    ("2024-03-29", "out", 3000, "C240329-0001", "账户管理费", "charge"),
]


def read(caseledger, db, *args):
    out = subprocess.run([caseledger, "--db", db, "--json", *args], check=True,
                         capture_output=True, text=True).stdout
    return json.loads(out)


def fen(amount):
    yuan, _, cents = amount.partition(".")
    return int(yuan) * 100 + int((cents + "00")[:2])


def yuan(value):
    sign = "-" if value < 0 else ""
    return f"{sign}{abs(value) // 100}.{abs(value) % 100:02d}"


def main():
    caseledger, db = sys.argv[1], sys.argv[2]
    moved = read(caseledger, db, "movements", "--from", "2023-01-01", "--to", "2024-03-31")
    accounts = {}
    lines, opening = [], 0
    for m in moved["movements"]:
        signed = fen(m["amount"]) * (1 if m["direction"] == "in" else -1)
        if m["value_date"] < "2024-03-01":
            opening += signed
            continue
        # A reversal undoes a booking, not a bank movement: the bank moved the money once,
        # under its bank_ref, however often the ledger booked it (the last booking stands).
        if m["value_date"] > "2024-03-31" or m["kind"] == "reverse":
            continue
        lines = [line for line in lines if (line[2], line[4]) != (m["direction"], m["bank_ref"])]
        account = ""
        if m["direction"] == "in" and m.get("case_no"):
            if m["case_no"] not in accounts:
                accounts[m["case_no"]] = read(caseledger, db, "case", m["case_no"])["account_no"]
            account = accounts[m["case_no"]]
        lines.append((m["value_date"], m["seq"], m["direction"], fen(m["amount"]), m["bank_ref"],
                      m.get("counterparty") or "", account, "", ""))
    for value_date, direction, amount, ref, memo, kind in BANK_LINES:
        lines.append((value_date, 10**9, direction, amount, ref, "本行", "", memo, kind))
    lines.sort(key=lambda line: (line[0], line[1]))
    out = csv.writer(sys.stdout, lineterminator="\n")
    out.writerow(["value_date", "direction", "amount", "bank_ref", "counterparty",
                  "counterparty_account", "virtual_account", "memo", "balance", "kind"])
    balance = opening
    for value_date, _, direction, amount, ref, party, account, memo, kind in lines:
        balance += amount if direction == "in" else -amount
        out.writerow([value_date, direction, yuan(amount), ref, party, "", account, memo,
                      yuan(balance), kind])


if __name__ == "__main__":
    main()

#!/usr/bin/env python3
"""Writes the bank statement (SPEC §4) of the load tools/make_load.py writes: one inbound line
per receipt, with its bank_ref, amount, value date, the case's virtual account and the running
balance, as UTF-8 CSV on stdout. Reconciling it against a ledger holding that load matches
every line.

usage: tools/make_statement.py N_CASES N_RECEIPTS > statement.csv
measure: tools/make_load.py 1000 1000000 > load.jsonl
         build/caseledger --db DB apply load.jsonl > /dev/null
         tools/make_statement.py 1000 1000000 > statement.csv
         time build/caseledger --db DB reconcile statement.csv > /dev/null
"""
import sys


def account_number(serial):
    """The virtual account of the serial-th case opened: "8801" + serial in 10 digits + ISO
    7064 MOD 97-10 check digits (core/identifiers.cc MakeAccountNumber)."""
    body = 8801 * 10**10 + serial
    return f"{body:014d}{98 - (body * 100) % 97:02d}"


def main():
    n_cases, n_receipts = int(sys.argv[1]), int(sys.argv[2])
    accounts = [account_number(i) for i in range(1, n_cases + 1)]
    out = sys.stdout
    out.write("value_date,direction,amount,bank_ref,counterparty,counterparty_account,"
              "virtual_account,memo,balance\n")
    balance_fen = 0
    for k in range(n_receipts):
        balance_fen += 1234  # make_load.py's receipts are all 12.34
        yuan, fen = divmod(balance_fen, 100)
        out.write(f"2024-03-05,in,12.34,B{k},张某,6222000000000000,{accounts[k % n_cases]},"
                  f"\"执行款,第{k}笔\",{yuan}.{fen:02d}\n")


if __name__ == "__main__":
    main()

#!/usr/bin/env python3
"""Writes a simple load for `caseledger apply`: N_CASES case openings, then N_RECEIPTS
receipts spread over them, as JSON Lines on stdout.

usage: tools/make_load.py N_CASES N_RECEIPTS > load.jsonl
"""
import json
import sys


def main():
    n_cases, n_receipts = int(sys.argv[1]), int(sys.argv[2])
    for i in range(1, n_cases + 1):
        print(json.dumps({
            "request_id": f"open-{i}", "operator": "clerk.wang", "on": "2024-03-01",
            "open_case": {"case_no": f"(2024)甘0102执{i}号", "claim": "100000",
                          "creditors": [{"party_id": f"c{i}", "name": "某公司"}],
                          "debtors": [{"party_id": f"d{i}", "name": "张某"}]}},
            ensure_ascii=False))
    for k in range(n_receipts):
        i = k % n_cases + 1
        print(json.dumps({
            "request_id": f"r-{k}", "operator": "clerk.wang", "on": "2024-03-05",
            "receipt": {"case_no": f"(2024)甘0102执{i}号", "amount": "12.34",
                        "bank_ref": f"B{k}", "source": "debtor_payment"}}, ensure_ascii=False))


if __name__ == "__main__":
    main()

#!/usr/bin/env python3
"""Writes demo/month.jsonl: one month (March 2024) of enforcement money at one basic court,
兰州市城关区人民法院 (court code 甘0102), as `caseledger apply` commands, with the little history
before it that the month's business needs.

The month holds 39 cases (执, some 执恢, one 执保): 35 filed in March and 4 carried over (two
filed in 2023, two in January 2024). The file shows every kind of money movement the ledger
records and the court's workflow around it:
- the court's 2024 holiday calendar (`set_rules`, the very first command), which decides when a
  defaulter listing must be deleted (3 working days);
- receipts of every source (by case number and by virtual account number), an unidentified
  receipt that is claimed and one that is refunded, holds approved by someone other than their
  operator, disbursements requested by a judge and approved by the bureau chief (one refused by
  the bank and requested again), enforcement costs, the statutory fee, a refund of an
  overpayment, a receipt booked to the wrong case then reversed and recorded again on the right
  one, closures as fully performed once every yuan is paid out, the fees remitted to the
  treasury at the end of February and of March;
- cases with a performance due date (delay interest for late performance);
- a 2023 case closed as terminated this round (终本) after its debtor was restricted, then
  restored (恢复执行) in March as (2024)甘0102执恢45号, the chain sharing one claim and one fee;
- a distribution (参与分配) of auction proceeds between a mortgagee bank (rank 0) and two
  ordinary creditors (rank 1), after the costs, its shares approved and paid;
- the defaulter list: listings under grounds 1, 3 (with an extra year) and 4, a consumption
  restriction, a deletion after the debtor paid in full (due after the Spring Festival);
- a case stayed while the debtor's bankruptcy petition is examined, then resumed; an extension
  of a closure deadline approved by the president;
- the quarter's collective disbursement day (集中发放日) on 2024-03-28, paying 13 cases; money
  that arrived in February waited for it past its 30-day limit and shows as paid overdue.

Names of people and companies are invented. Figures follow the seed reports: most cases are
small (under ¥100,000), a few large ones carry most of the money.

usage: tools/make_demo.py [OUTPUT]   (default: demo/month.jsonl next to tools/)
then:  CASELEDGER_TODAY=2024-03-31 build/caseledger --db /tmp/demo apply demo/month.jsonl

Standard library only; the output is the same on every run. The generator keeps its own model
of every case (money lots, holds, reservations, listings) and asserts that each command will be
accepted before it writes it.
"""
import datetime as dt
import json
import os
import sys
from fractions import Fraction

COURT = "甘0102"
YEAR = 2024

# Who records what (operators are logins).
FILING = "filing.lijuan"  # 立案庭 李娟
FINANCE = "fin.wangli"  # 财务 王丽
FINANCE2 = "fin.sunyan"  # 财务 孙艳
CHIEF = "chief.zhouyongfu"  # 执行局局长 周永福
VICE_PRESIDENT = "vp.helixin"  # 分管副院长 何立新
PRESIDENT = "pres.hanzhenhua"  # 院长 韩振华 (approves extensions of the closure deadline)

JUDGES = {  # name: login
    "马建国": "judge.majianguo",
    "刘晓燕": "judge.liuxiaoyan",
    "张志强": "judge.zhangzhiqiang",
    "杨慧敏": "judge.yanghuimin",
    "王海涛": "judge.wanghaitao",
    "陈静": "judge.chenjing",
}

# The engine's defaults (SPEC §2 set_rules); the demo changes only the calendar.
DISBURSE_WITHIN_DAYS = 30
AFTER_HOLD_DAYS = 10


# ---------------------------------------------------------------------------------------
# Dates


def date(y, m, d):
    return dt.date(y, m, d).isoformat()


def day(d, month=3):
    """A day of 2024 (March unless told)."""
    return date(YEAR, month, d)


def add_days(text, n):
    return (dt.date.fromisoformat(text) + dt.timedelta(days=n)).isoformat()


def add_months(text, n):
    """SPEC §7: keeps the day of month, clamped to the month's last day."""
    d = dt.date.fromisoformat(text)
    months = d.year * 12 + d.month - 1 + n
    y, m = divmod(months, 12)
    m += 1
    last = (dt.date(y + m // 12, m % 12 + 1, 1) - dt.timedelta(days=1)).day
    return dt.date(y, m, min(d.day, last)).isoformat()


def days_between(a, b):
    return (dt.date.fromisoformat(b) - dt.date.fromisoformat(a)).days


def date_range(first, last):
    out, d = [], first
    while d <= last:
        out.append(d)
        d = add_days(d, 1)
    return out


assert add_months("2024-01-31", 1) == "2024-02-29" and add_months("2023-10-30", 3) == "2024-01-30"

# The State Council's 2024 holiday arrangement (国办发明电〔2023〕7号, published 2023-10-25):
# the days off, and the weekend days worked in exchange (调休上班).
HOLIDAYS_2024 = (["2024-01-01"] + date_range("2024-02-10", "2024-02-17") +
                 date_range("2024-04-04", "2024-04-06") + date_range("2024-05-01", "2024-05-05") +
                 ["2024-06-10"] + date_range("2024-09-15", "2024-09-17") +
                 date_range("2024-10-01", "2024-10-07"))
WORKDAYS_2024 = ["2024-02-04", "2024-02-18", "2024-04-07", "2024-04-28", "2024-05-11",
                 "2024-09-14", "2024-09-29", "2024-10-12"]
assert len(HOLIDAYS_2024) == len(set(HOLIDAYS_2024)) == 28
for _w in WORKDAYS_2024:  # a worked day is a Saturday or Sunday, and not a holiday
    assert dt.date.fromisoformat(_w).isoweekday() >= 6 and _w not in HOLIDAYS_2024, _w


def is_working_day(text):
    if text in WORKDAYS_2024:
        return True
    return dt.date.fromisoformat(text).isoweekday() <= 5 and text not in HOLIDAYS_2024


def working_days_after(text, n):
    """The n-th working day after `text` (SPEC §7 defaulter list: deletion due)."""
    d = text
    while n > 0:
        d = add_days(d, 1)
        n -= is_working_day(d)
    return d


# Debtors who pay before the Spring Festival wait for the holidays to be deleted.
assert working_days_after("2024-02-08", 3) == "2024-02-19"


# ---------------------------------------------------------------------------------------
# Money and identifiers


def yuan(text):
    """'1234.56' -> 123456 fen."""
    whole, _, frac = text.partition(".")
    return int(whole) * 100 + int((frac + "00")[:2])


def fmt(fen):
    assert fen >= 0
    return f"{fen // 100}.{fen % 100:02d}"


def statutory_fee(claim_fen):
    """RULES §2, cumulative brackets on the claim, exact, rounded once half up."""
    if claim_fen <= 0:
        return 0
    brackets = [(0, 1_000_000, None), (1_000_000, 50_000_000, Fraction(15, 1000)),
                (50_000_000, 500_000_000, Fraction(10, 1000)),
                (500_000_000, 1_000_000_000, Fraction(5, 1000)),
                (1_000_000_000, None, Fraction(1, 1000))]
    total = Fraction(0)
    for low, high, rate in brackets:
        if rate is None:
            total += 5000
            continue
        if claim_fen <= low:
            continue
        top = claim_fen if high is None else min(claim_fen, high)
        total += (top - low) * rate
    whole = total.numerator // total.denominator
    if (total - whole) * 2 >= 1:
        whole += 1
    return whole


def split(amount_fen, costs_fen, claims):
    """SPEC §7 Split: costs first; ranks in ascending order, each paid in full while money
    lasts; the first rank that does not fit shares what is left pro rata (floor to the fen, the
    fen left over one each to the largest remainders, ties to the earlier claim); later ranks
    nothing. claims: [(claim_fen, rank)] -> ([share_fen], surplus_fen)."""
    left = amount_fen - costs_fen
    shares = [0] * len(claims)
    for rank in sorted({r for _, r in claims}):
        members = [i for i, (_, r) in enumerate(claims) if r == rank]
        total = sum(claims[i][0] for i in members)
        if total <= left:
            for i in members:
                shares[i] = claims[i][0]
            left -= total
            continue
        floors = {i: left * claims[i][0] // total for i in members}
        remainders = {i: left * claims[i][0] % total for i in members}
        for i in sorted(members, key=lambda i: (-remainders[i], i))[:left - sum(floors.values())]:
            floors[i] += 1
        for i in members:
            shares[i] = floors[i]
        return shares, 0
    return shares, left


def account_number(serial):
    """MakeAccountNumber: '8801' + serial in 10 digits + ISO 7064 MOD 97-10 check digits."""
    body = 8801 * 10_000_000_000 + serial
    return f"{body:014d}{98 - (body * 100) % 97:02d}"


assert account_number(1) == "8801000000000137"
assert statutory_fee(50_000_000) == 740_000 and statutory_fee(500_000_000) == 5_240_000
assert split(1000, 100, [(300, 0), (400, 1), (500, 1)]) == ([300, 267, 333], 0)
assert split(1000, 0, [(300, 0), (400, 1)]) == ([300, 400], 300)


def case_no(serial, kind="执", year=YEAR):
    return f"({year}){COURT}{kind}{serial}号"


# ---------------------------------------------------------------------------------------
# Parties (invented). party_id names the same party in every case.


def person(pid, name, account=None):
    p = {"party_id": pid, "name": name}
    if account:
        p["account"] = account
    return p


def company(pid, name, kind="enterprise", account=None):
    p = {"party_id": pid, "name": name, "kind": kind}
    if account:
        p["account"] = account
    return p


def card(n):
    """A deterministic 19-digit debit card number (农行 6228 48...)."""
    return f"622848{(n * 2654435761 + 3141592653) % 10**13:013d}"


def corporate(n):
    """A deterministic corporate account number."""
    return f"2703{(n * 40503 * 2654435761 + 271828182845) % 10**15:015d}"


# ---------------------------------------------------------------------------------------
# The ledger as the generator sees it: enough to be sure every command is accepted.


class Lot:
    """Money of one receipt (or claim) in a case: free, reserved by a request, or held."""

    def __init__(self, on, amount, order):
        self.date = on
        self.deadline = add_days(on, DISBURSE_WITHIN_DAYS)  # clock_start: notice (default)
        self.order = order
        self.free = amount
        self.reserved = 0
        self.held = 0


class Case:
    def __init__(self, number, filed_on, claim, creditors, debtors, judge, closure_months=6,
                 performance_due=None, restored_from=None):
        self.number = number
        self.filed_on = filed_on
        self.creditors = creditors
        self.debtors = debtors
        self.judge = judge
        self.closure_months = closure_months
        self.extension_months = 0
        self.suspended_days = 0
        self.suspended_since = None
        # A restored case and the case it restores share one claim and one fee (SPEC §2).
        self.root = restored_from.root if restored_from else self
        self.claim = claim
        self.performance_due = performance_due
        self.fee = statutory_fee(claim)
        self.fees_charged = 0  # on the chain's root
        self.lots = []
        self.mode = None
        self.closed_on = None
        self.restored_to = None
        self.listed = set()  # party ids listed (not deleted) for this case
        self.restricted = set()  # party ids under consumption restriction in this case
        self.serial = None  # its account serial, known once the file is ordered
        self.last_on = ""  # the latest business date of an entry touching the case

    # -- figures -------------------------------------------------------------------------

    @property
    def closed(self):
        return self.mode is not None

    @property
    def balance(self):
        return sum(lot.free + lot.reserved + lot.held for lot in self.lots)

    @property
    def held(self):
        return sum(lot.held for lot in self.lots)

    @property
    def pending(self):
        return sum(lot.reserved for lot in self.lots)

    @property
    def available(self):
        return sum(lot.free for lot in self.lots)

    @property
    def fee_due(self):
        return self.root.fee - self.root.fees_charged

    def deadline(self):
        """SPEC §7 closure deadline (no suspension running)."""
        assert self.suspended_since is None
        return add_days(add_months(self.filed_on, self.closure_months + self.extension_months),
                        self.suspended_days)

    def is_creditor(self, party_id):
        return any(c["party_id"] == party_id for c in self.creditors)

    def is_debtor(self, party_id):
        return any(c["party_id"] == party_id for c in self.debtors)

    # -- lots ----------------------------------------------------------------------------

    def add_lot(self, on, amount, order):
        self.lots.append(Lot(on, amount, order))
        return self.lots[-1]

    def oldest(self):
        return sorted(self.lots, key=lambda lot: (lot.date, lot.order))

    def take(self, amount, to=None):
        """Takes the oldest free money: consumed (to=None), or moved to 'reserved' or 'held'.
        Returns the parts taken, [(lot, amount)]."""
        assert 0 < amount <= self.available, (self.number, amount, self.available)
        parts, left = [], amount
        for lot in self.oldest():
            part = min(lot.free, left)
            if part == 0:
                continue
            lot.free -= part
            if to:
                setattr(lot, to, getattr(lot, to) + part)
            parts.append((lot, part))
            left -= part
            if left == 0:
                break
        return parts


class Demo:
    def __init__(self):
        self.events = []
        self.cases = {}
        self.counters = {}
        self.fee_charges = []  # (on, fen)
        self.remitted = 0
        self.disbursements = {}  # id -> {case, parts, status, requester}
        self.holds = {}  # id -> (case, parts)
        self.lot_order = 0

    def _next(self, key):
        self.counters[key] = self.counters.get(key, 0) + 1
        return self.counters[key]

    def bank_ref(self, on, direction):
        # The special account's bank serials: 收 (in) and 付 (out) per value day.
        compact = on.replace("-", "")[2:]
        n = self._next(("ref", direction, on))
        return f"{'B' if direction == 'in' else 'P'}{compact}-{n:04d}"

    def add(self, on, operator, op, body, prefix, case=None):
        if case is not None:  # business dates never go backwards for a case (SPEC §1)
            assert on >= case.last_on, (case.number, on, case.last_on)
            case.last_on = on
        event = {"on": on, "operator": operator, "op": op, "body": body, "prefix": prefix,
                 "order": len(self.events)}
        self.events.append(event)
        return event

    def new_lot(self, case, on, fen):
        self.lot_order += 1
        return case.add_lot(on, fen, self.lot_order)

    # -- rules ---------------------------------------------------------------------------

    def set_rules(self, on, operator, **rules):
        self.add(on, operator, "set_rules", rules, "rules")

    # -- cases ---------------------------------------------------------------------------

    def open_case(self, on, number, claim, creditors, debtors, judge, flags=None,
                  closure_months=None, performance_due=None):
        assert number not in self.cases
        if performance_due:
            assert performance_due < on, (number, "performance is due before filing")
        case = Case(number, on, yuan(claim), creditors, debtors, judge,
                    closure_months=closure_months or 6, performance_due=performance_due)
        self.cases[number] = case
        body = {"case_no": number, "claim": claim}
        if performance_due:
            body["performance_due"] = performance_due
        body["creditors"] = creditors
        body["debtors"] = debtors
        if flags:
            body["flags"] = flags
        body["judge"] = judge
        if closure_months:
            body["closure_months"] = closure_months
        event = self.add(on, FILING, "open_case", body, "open", case)
        event["case"] = case
        return case

    def restore(self, on, old, new_number):
        """恢复执行 of a case closed as terminated this round: a new 执恢 case, linked both ways."""
        assert old.mode == "terminated_this_round" and old.restored_to is None
        assert "执恢" in new_number and new_number not in self.cases
        case = Case(new_number, on, old.claim, old.creditors, old.debtors, old.judge,
                    performance_due=old.performance_due, restored_from=old)
        old.restored_to = case
        self.cases[new_number] = case
        event = self.add(on, FILING, "restore_case",
                         {"case_no": old.number, "new_case_no": new_number}, "restore", old)
        event["case"] = case  # gets the next virtual account number
        case.last_on = on
        return case

    def close(self, on, case, mode="fully_performed"):
        assert not case.closed
        assert case.balance == 0 and case.pending == 0, (case.number, case.balance)
        if mode == "terminated_this_round":  # 终本: RULES §6
            assert on > add_months(case.filed_on, 3), (case.number, case.filed_on, on)
            for debtor in case.debtors:
                pid = debtor["party_id"]
                assert pid in case.listed or pid in case.restricted, (case.number, pid)
        case.mode = mode
        case.closed_on = on
        self.add(on, JUDGES[case.judge], "close_case", {"case_no": case.number, "mode": mode},
                 "close", case)

    def suspend(self, on, case, reason, kind="suspension"):
        assert not case.closed and case.suspended_since is None
        case.suspended_since = on
        self.add(on, JUDGES[case.judge], "suspend_case",
                 {"case_no": case.number, "reason": reason, "kind": kind}, "suspend", case)

    def resume(self, on, case, reason):
        assert case.suspended_since is not None
        case.suspended_days += days_between(case.suspended_since, on)
        case.suspended_since = None
        self.add(on, JUDGES[case.judge], "resume_case", {"case_no": case.number, "reason": reason},
                 "resume", case)

    def extend(self, on, case, months, approver):
        operator = JUDGES[case.judge]
        assert operator != approver and not case.closed
        assert days_between(on, case.deadline()) >= 5, (case.number, case.deadline())
        case.extension_months += months
        self.add(on, operator, "extend_deadline",
                 {"case_no": case.number, "months": months, "approved_by": approver}, "extend",
                 case)

    # -- defaulter list ------------------------------------------------------------------

    def list_defaulter(self, on, case, party_id, ground, extra_years=0):
        assert case.is_debtor(party_id) and not case.closed and party_id not in case.listed
        assert 1 <= ground <= 6 and 0 <= extra_years <= 3 and not (ground == 1 and extra_years)
        case.listed.add(party_id)
        case.restricted.add(party_id)  # everyone listed is under consumption restriction
        body = {"party_id": party_id, "case_no": case.number, "ground": ground}
        if extra_years:
            body["extra_years"] = extra_years
        self.add(on, JUDGES[case.judge], "list_defaulter", body, "list", case)

    def delist_defaulter(self, on, case, party_id, reason):
        assert party_id in case.listed
        case.listed.discard(party_id)
        self.add(on, JUDGES[case.judge], "delist_defaulter",
                 {"party_id": party_id, "case_no": case.number, "reason": reason}, "delist", case)

    def restrict(self, on, case, party_id):
        assert case.is_debtor(party_id) and not case.closed and party_id not in case.restricted
        case.restricted.add(party_id)
        self.add(on, JUDGES[case.judge], "restrict_consumption",
                 {"party_id": party_id, "case_no": case.number}, "restrict", case)

    def lift_restriction(self, on, case, party_id, reason):
        assert party_id in case.restricted and party_id not in case.listed
        case.restricted.discard(party_id)
        self.add(on, JUDGES[case.judge], "lift_restriction",
                 {"party_id": party_id, "case_no": case.number, "reason": reason}, "lift", case)

    # -- money in ------------------------------------------------------------------------

    def receipt(self, on, case, amount, source, payer, value_date=None, by="case_no",
                bank_ref=None):
        assert not case.closed
        fen = yuan(amount)
        ref = bank_ref or self.bank_ref(value_date or on, "in")
        body = {}
        if by in ("case_no", "both"):
            body["case_no"] = case.number
        if by in ("account_no", "both"):
            body["account_no"] = None  # filled in once account serials are known
        body.update({"amount": amount, "bank_ref": ref, "source": source, "payer": payer})
        if value_date:
            assert value_date <= on
            body["value_date"] = value_date
        event = self.add(on, FINANCE, "receipt", body, "rcpt", case)
        event["account_of"] = case if by in ("account_no", "both") else None
        event["case"] = case
        event["lot"] = self.new_lot(case, on, fen)
        return event

    def unidentified(self, on, amount, payer, memo, value_date=None):
        ref = self.bank_ref(value_date or on, "in")
        body = {"amount": amount, "bank_ref": ref, "payer": payer, "memo": memo}
        if value_date:
            body["value_date"] = value_date
        self.add(on, FINANCE, "unidentified_receipt", body, "unid")
        return ref

    def claim(self, on, ref, case, amount_fen):
        self.new_lot(case, on, amount_fen)  # a claim's lot is dated by the claim
        self.add(on, FINANCE, "claim", {"bank_ref": ref, "case_no": case.number}, "claim", case)

    def refund_unidentified(self, on, ref, payee, amount, reason):
        body = {"bank_ref": ref, "payee": payee, "amount": amount,
                "refund_bank_ref": self.bank_ref(on, "out"), "reason": reason}
        self.add(on, FINANCE, "refund_unidentified", body, "unidref")

    # -- holds ---------------------------------------------------------------------------

    def hold(self, on, case, ground, note, amount=None, approver=CHIEF):
        take = yuan(amount) if amount else case.available
        assert 0 < take <= case.available
        hold_id = f"HF-{on[:4]}-{self._next(('hold', on[:4])):03d}"
        body = {"hold_id": hold_id, "case_no": case.number}
        if amount:
            body["amount"] = amount
        body.update({"ground": ground, "approved_by": approver, "note": note})
        operator = JUDGES[case.judge]
        assert operator != approver
        self.holds[hold_id] = (case, case.take(take, "held"))
        self.add(on, operator, "hold", body, "hold", case)
        return hold_id

    def release(self, on, hold_id):
        case, parts = self.holds.pop(hold_id)
        for lot, part in parts:
            lot.held -= part
            lot.free += part
            lot.deadline = max(lot.deadline, add_days(on, AFTER_HOLD_DAYS))
        self.add(on, JUDGES[case.judge], "release_hold", {"hold_id": hold_id}, "release", case)

    # -- money out -----------------------------------------------------------------------

    def request(self, on, case, payee, amount, account=None):
        fen = yuan(amount)
        assert not case.closed and case.is_creditor(payee)
        disbursement_id = f"FF-{YEAR}-{self._next('disb'):04d}"
        body = {"disbursement_id": disbursement_id, "case_no": case.number, "payee": payee,
                "amount": amount}
        if account:
            body["account"] = account
        requester = JUDGES[case.judge]
        self.disbursements[disbursement_id] = {"case": case, "parts": case.take(fen, "reserved"),
                                               "status": "requested", "requester": requester}
        self.add(on, requester, "request_disbursement", body, "disbreq", case)
        return disbursement_id

    def approve(self, on, disbursement_id, approver=CHIEF):
        d = self.disbursements[disbursement_id]
        assert d["status"] == "requested" and d["requester"] != approver
        d["status"] = "approved"
        self.add(on, approver, "approve_disbursement", {"disbursement_id": disbursement_id},
                 "disbok", d["case"])

    def fail(self, on, disbursement_id, reason):
        d = self.disbursements[disbursement_id]
        assert d["status"] in ("requested", "approved")
        d["status"] = "failed"
        for lot, part in d["parts"]:  # the money keeps its deadlines
            lot.reserved -= part
            lot.free += part
        self.add(on, FINANCE, "fail_disbursement",
                 {"disbursement_id": disbursement_id, "reason": reason}, "disbfail", d["case"])

    def confirm(self, on, disbursement_id):
        d = self.disbursements[disbursement_id]
        assert d["status"] == "approved"
        d["status"] = "paid"
        for lot, part in d["parts"]:
            lot.reserved -= part
        self.add(on, FINANCE2, "confirm_disbursement",
                 {"disbursement_id": disbursement_id, "bank_ref": self.bank_ref(on, "out")},
                 "disbpay", d["case"])

    def disburse(self, case, payee, amount, requested, approved, confirmed, approver=CHIEF,
                 account=None, fail=None):
        """Request (the judge), approve (another person), pay (finance, with the bank's ref).
        confirmed=None: approved, not yet paid (the money stays reserved).
        fail=(date, reason): the bank refuses it before payment instead of paying."""
        disbursement_id = self.request(requested, case, payee, amount, account)
        self.approve(approved, disbursement_id, approver)
        if fail:
            self.fail(fail[0], disbursement_id, fail[1])
        elif confirmed is not None:
            self.confirm(confirmed, disbursement_id)
        return disbursement_id

    def charge_fee(self, on, case):
        fee = case.fee_due
        assert 0 < fee <= case.available, (case.number, case.available, fee)
        case.take(fee)
        case.root.fees_charged += fee
        self.fee_charges.append((on, fee))
        self.add(on, FINANCE, "charge_fee", {"case_no": case.number}, "fee", case)
        return fee

    def pay_costs(self, on, case, payee, amount, reason):
        case.take(yuan(amount))
        self.add(on, FINANCE, "pay_costs",
                 {"case_no": case.number, "payee": payee, "amount": amount,
                  "bank_ref": self.bank_ref(on, "out"), "reason": reason}, "costs", case)

    def refund(self, on, case, payee, amount, reason):
        case.take(yuan(amount))
        self.add(on, FINANCE, "refund",
                 {"case_no": case.number, "payee": payee, "amount": amount,
                  "bank_ref": self.bank_ref(on, "out"), "reason": reason}, "refund", case)

    def reverse(self, on, target, reason):
        """Reverses a receipt: its own lot's free money first (here: all of it)."""
        case, lot = target["case"], target["lot"]
        fen = yuan(target["body"]["amount"])
        assert lot.free == fen, (case.number, "the wrong receipt's money must still be free")
        lot.free = 0
        event = self.add(on, FINANCE, "reverse", {"target_request_id": None, "reason": reason},
                         "reverse", case)
        event["target"] = target

    def collective(self, on, event_id, title, approver, items, operator=FINANCE2):
        """集中发放: every item a confirmed payment from its case's oldest free money. Returns
        the items that take money past its payout deadline: [(case_no, payee, fen, since)]."""
        assert operator != approver
        body_items, overdue = [], []
        for case, payee, amount, account in items:
            assert not case.closed and case.is_creditor(payee), (case.number, payee)
            parts = case.take(yuan(amount))
            late = [(lot, part) for lot, part in parts if lot.deadline < on]
            if late:
                since = add_days(min(lot.deadline for lot, _ in late), 1)
                overdue.append((case.number, payee, sum(p for _, p in late), since))
            item = {"case_no": case.number, "payee": payee, "amount": amount}
            if account:
                item["account"] = account
            item["bank_ref"] = self.bank_ref(on, "out")
            body_items.append(item)
        self.add(on, operator, "collective_disbursement",
                 {"event_id": event_id, "title": title, "approved_by": approver,
                  "items": body_items}, "event")
        for case in {case for case, *_ in items}:
            assert on >= case.last_on, (case.number, on, case.last_on)
            case.last_on = on
        return overdue

    def distribute(self, on, distribution_id, case, amount, costs, claims):
        """参与分配: costs first, then ranks (SPEC §7 Split). claims: [{party_id, amount, rank,
        name?, account?}]. Each non-zero share becomes a requested disbursement
        DISTRIBUTION_ID/PARTY_ID. Returns {party_id: (disbursement_id, share_fen)}."""
        assert yuan(amount) <= case.available and yuan(costs) <= yuan(amount)
        for claim in claims:
            assert case.is_creditor(claim["party_id"]) or ("name" in claim and "account" in claim)
        shares, surplus = split(yuan(amount), yuan(costs),
                                [(yuan(c["amount"]), c["rank"]) for c in claims])
        assert sum(shares) + surplus + yuan(costs) == yuan(amount)
        operator = JUDGES[case.judge]
        out = {}
        for claim, share in zip(claims, shares):
            if share == 0:
                continue
            disbursement_id = f"{distribution_id}/{claim['party_id']}"
            self.disbursements[disbursement_id] = {
                "case": case, "parts": case.take(share, "reserved"), "status": "requested",
                "requester": operator}
            out[claim["party_id"]] = (disbursement_id, share)
        self.add(on, operator, "distribute",
                 {"distribution_id": distribution_id, "case_no": case.number, "amount": amount,
                  "costs": costs, "claims": claims}, "dist", case)
        return out, surplus

    def remit_fees(self, on):
        """Pays the fees charged up to `on` and not yet remitted to the treasury."""
        amount = sum(fen for when, fen in self.fee_charges if when <= on) - self.remitted
        assert amount > 0
        self.remitted += amount
        self.add(on, FINANCE, "remit_fees",
                 {"amount": fmt(amount), "bank_ref": self.bank_ref(on, "out")}, "remit")

    # -- output --------------------------------------------------------------------------

    def lines(self):
        # Business dates never go backwards for a case, and entries that touch no case are not
        # dated before any other (SPEC §1): order by date, then as told.
        ordered = sorted(self.events, key=lambda e: (e["on"], e["order"]))
        serial = 0
        for e in ordered:
            if e["op"] in ("open_case", "restore_case"):  # each gets the next virtual account
                serial += 1
                e["case"].serial = serial
            compact = e["on"].replace("-", "")
            n = self._next(("rid", e["prefix"], compact))
            e["request_id"] = f"{e['prefix']}-{compact}-{n:03d}"
        out = []
        for e in ordered:
            body = dict(e["body"])
            if e["op"] == "receipt" and e.get("account_of"):
                body["account_no"] = account_number(e["account_of"].serial)
            if e["op"] == "reverse":
                body["target_request_id"] = e["target"]["request_id"]
            command = {"request_id": e["request_id"], "operator": e["operator"], "on": e["on"],
                       e["op"]: body}
            out.append(json.dumps(command, ensure_ascii=False, separators=(",", ":")))
        return out


# ---------------------------------------------------------------------------------------
# The month


def build():
    d = Demo()
    J = list(JUDGES)  # 马建国 刘晓燕 张志强 杨慧敏 王海涛 陈静

    # The court's working calendar for 2024, entered once the State Council published it
    # (2023-10-25): the first command of the ledger, on its first business day.
    d.set_rules(date(2023, 10, 30), CHIEF, holidays=HOLIDAYS_2024, workdays=WORKDAYS_2024)

    # Banks and recurring parties.
    icbc = company("F0001", "中国工商银行股份有限公司兰州城关支行", "financial_institution",
                   corporate(1))
    gsbank = company("F0002", "甘肃银行股份有限公司兰州东岗支行", "financial_institution",
                     corporate(2))
    rcb = company("F0003", "兰州农村商业银行股份有限公司", "financial_institution", corporate(3))
    microloan = company("F0004", "兰州金诚小额贷款有限责任公司", "financial_institution",
                        corporate(4))
    wuye = company("E0001", "兰州安居物业管理有限公司", account=corporate(11))
    jiancai = company("E0002", "甘肃陇原建材有限公司", account=corporate(12))
    jianshe = company("E0003", "兰州恒远建设工程有限公司")
    shangmao = company("E0004", "兰州金城商贸有限责任公司")
    canyin = company("E0005", "兰州味源餐饮管理有限公司")
    qiche = company("E0006", "甘肃宏达汽车销售服务有限公司", account=corporate(16))
    keji = company("E0007", "兰州西部云联科技有限公司")
    fangdi = company("E0008", "甘肃瑞丰房地产开发有限公司")
    laowu = company("E0009", "兰州顺通劳务派遣有限公司")
    yiyao = company("E0010", "甘肃康泰医药连锁有限公司", account=corporate(20))
    gangjiegou = company("E0901", "兰州铭泰钢结构工程有限公司", account=corporate(901))

    cases = []
    collective = []  # the items of the collective disbursement day: (case, payee, amount, account)

    def open_(filed, serial, claim, creditors, debtors, judge, kind="执", year=YEAR, **kw):
        filed_on = day(filed) if isinstance(filed, int) else filed
        c = d.open_case(filed_on, case_no(serial, kind, year), claim, creditors, debtors, judge,
                        **kw)
        cases.append(c)
        return c

    def pay_at_event(case, payee, amount=None, account=None):
        """An item of the collective disbursement day (2024-03-28): by default all available."""
        collective.append((case, payee, amount, account))

    # ---- Carried over from earlier months ---------------------------------------------

    # 0. A private loan filed in October 2023. The debtor has no property found; he is
    #    restricted (限制消费) and the case is closed as terminated this round (终本) in February.
    #    In March the creditor learns he has found work: the case is restored (恢复执行) as
    #    (2024)甘0102执恢45号 (case 7 below), the chain sharing the claim, the performance due
    #    date and the fee.
    c0 = open_(date(2023, 10, 30), 5873, "52300", [person("P0701", "王淑芬", card(701))],
               [person("P0702", "刘建平")], J[0], year=2023, performance_due="2023-10-16")
    d.restrict(date(2023, 11, 20), c0, "P0702")
    d.close(day(5, 2), c0, mode="terminated_this_round")

    # 9. Building work for two subcontractors (filed in November 2023). The debtor's office
    #    floor, mortgaged to 甘肃银行, is auctioned; the deposits deducted in December and the
    #    auction money are held for a distribution (参与分配): the bank's mortgage first (rank 0),
    #    then the two creditors pro rata (rank 1), the fee and the appraisal taken first. After
    #    the 15-day objection period the holds are released and the shares approved and paid.
    c9 = open_(date(2023, 11, 13), 6012, "1200000", [jiancai, gangjiegou], [jianshe], J[2],
               year=2023, performance_due="2023-10-27")
    d.receipt(date(2023, 12, 11), c9, "300000.00", "bank_deduction", "兰州恒远建设工程有限公司")
    hold9a = d.hold(date(2023, 12, 12), c9, "distribution",
                    "被执行人名下抵押房产待拍卖，抵押权人申请参与分配，扣划存款待统一分配",
                    approver=VICE_PRESIDENT)
    d.receipt(day(26, 2), c9, "1600000.00", "auction",
              "网络司法拍卖买受人（城关区东岗西路办公用房）", value_date=day(23, 2), by="both")
    hold9b = d.hold(day(27, 2), c9, "distribution", "分配方案已送达各债权人，异议期内暂缓发放",
                    approver=VICE_PRESIDENT)
    d.release(day(18), hold9a)
    d.release(day(18), hold9b)
    appraisal = "9600.00"
    shares, surplus = d.distribute(
        day(18), "FP-2024-001", c9, fmt(c9.available), fmt(c9.fee + yuan(appraisal)),
        [{"party_id": "F0002", "amount": "850000.00", "rank": 0, "name": gsbank["name"],
          "account": gsbank["account"]},
         {"party_id": "E0002", "amount": "731286.40", "rank": 1, "name": jiancai["name"]},
         {"party_id": "E0901", "amount": "468713.60", "rank": 1, "name": gangjiegou["name"]}])
    assert surplus == 0 and shares["F0002"][1] == yuan("850000.00")
    assert sum(s for _, s in shares.values()) == 1_900_000_00 - c9.fee - yuan(appraisal)
    for disbursement_id, _ in shares.values():
        d.approve(day(19), disbursement_id, approver=VICE_PRESIDENT)
    for disbursement_id, _ in shares.values():
        d.confirm(day(20), disbursement_id)
    d.charge_fee(day(20), c9)
    d.pay_costs(day(20), c9, "甘肃正衡房地产土地评估有限公司", appraisal, "抵押房产评估费")
    assert c9.balance == 0

    # 37. A notarized loan (公证债权文书, non-litigation: 3 months to close) of a microloan
    #     company, filed in January. A deduction in February is paid out on the collective day,
    #     past its 30-day limit. The debtor's flat is being appraised: the president extends the
    #     closure deadline by 3 months, 8 days before it.
    c37 = open_(date(2024, 1, 3), 23, "136000", [microloan], [person("P3701", "白志国")], J[4],
                closure_months=3, performance_due="2023-12-25")
    d.receipt(day(20, 2), c37, "38560.00", "bank_deduction", "白志国")
    d.charge_fee(day(21, 2), c37)
    d.extend(day(26), c37, 3, PRESIDENT)
    pay_at_event(c37, "F0004", account=corporate(1404))  # its old account was closed (case 14)

    # 38. A private loan filed in January. The debtor, able to pay, ignores the notice and is
    #     listed (ground 1). Listed debtors cannot buy train or air tickets: he pays in full the
    #     day before New Year's Eve. The deletion is due 3 working days later, after the Spring
    #     Festival (2024-02-19); the restriction is lifted with it. The creditor is paid on the
    #     collective day, money that waited past its 30-day limit.
    c38 = open_(date(2024, 1, 8), 96, "46800", [person("P3801", "杜建华", card(3801))],
                [person("P3802", "任志明")], J[3])
    d.list_defaulter(date(2024, 1, 29), c38, "P3802", ground=1)
    d.receipt(day(8, 2), c38, fmt(c38.claim + c38.fee), "debtor_payment", "任志明")
    d.charge_fee(day(9, 2), c38)
    d.delist_defaulter(day(19, 2), c38, "P3802", "performed")
    d.lift_restriction(day(19, 2), c38, "P3802", "被执行人已全部履行")
    pay_at_event(c38, "P3801")

    # ---- March ------------------------------------------------------------------------

    # 1. A loan to a person, paid in full by the debtor: fee, payout, closure.
    c1 = open_(1, 1186, "38600", [person("P0101", "张明", card(101))],
               [person("P0102", "李强")], J[0])
    d.receipt(day(5), c1, fmt(c1.claim + c1.fee), "debtor_payment", "李强", value_date=day(4))
    d.charge_fee(day(6), c1)
    d.disburse(c1, "P0101", fmt(c1.claim), day(6), day(7), day(8))
    d.close(day(11), c1)

    # 2. Goods sold to a trading company; its deposits are deducted online, by account number.
    #    Most is paid at once, the rest on the collective day.
    c2 = open_(1, 1191, "126450", [jiancai], [shangmao], J[1])
    d.receipt(day(7), c2, "80000.00", "bank_deduction", "兰州金城商贸有限责任公司", by="account_no")
    d.charge_fee(day(8), c2)
    d.disburse(c2, "E0002", "60000.00", day(11), day(12), day(13))
    pay_at_event(c2, "E0002")

    # 3. A bank loan of 2.86 million: the mortgaged shop is auctioned; appraisal paid first.
    c3 = open_(1, 1195, "2860000", [icbc],
               [shangmao, person("P0301", "赵永刚")], J[2], performance_due="2024-01-15")
    d.receipt(day(15), c3, "1650000.00", "auction", "兰州市城关区人民法院网络司法拍卖买受人",
              value_date=day(14), by="both")
    d.pay_costs(day(18), c3, "甘肃正衡房地产土地评估有限公司", "12600.00", "商铺评估费")
    d.charge_fee(day(18), c3)
    d.disburse(c3, "F0001", "1500000.00", day(19), day(20), day(21), approver=VICE_PRESIDENT)
    pay_at_event(c3, "F0001")

    # 4. Unpaid wages (涉民生): the employer pays at once; paid out within the week.
    c4 = open_(4, 1203, "8500", [person("P0401", "马小兵", card(401))], [laowu], J[3],
               flags=["livelihood"])
    d.receipt(day(6), c4, fmt(c4.claim + c4.fee), "debtor_payment", "兰州顺通劳务派遣有限公司")
    d.charge_fee(day(6), c4)
    d.disburse(c4, "P0401", fmt(c4.claim), day(7), day(7), day(8))
    d.close(day(8), c4)

    # 5. A settlement (执行和解): the first instalment arrives.
    c5 = open_(4, 1207, "45000", [person("P0501", "孙丽华", card(501))],
               [person("P0502", "周海军")], J[4])
    d.receipt(day(12), c5, "20000.00", "settlement", "周海军")
    d.charge_fee(day(13), c5)
    d.disburse(c5, "P0501", fmt(20000_00 - c5.fee), day(14), day(15), day(18))

    # 6. A guarantor pays for the debtor (保证人代偿): closed.
    c6 = open_(4, 1212, "67800", [rcb], [person("P0601", "何文斌")], J[5])
    d.receipt(day(11), c6, fmt(c6.claim + c6.fee), "third_party", "何文华（保证人）",
              value_date=day(8))
    d.charge_fee(day(12), c6)
    d.disburse(c6, "F0003", fmt(c6.claim), day(12), day(13), day(14))
    d.close(day(15), c6)

    # 7. Case 0 restored (恢复执行): the debtor's new employer withholds part of his wages. The
    #    chain's fee, not charged in the first case, is charged now; the rest is paid out.
    c7 = d.restore(day(5), c0, case_no(45, "执恢"))
    cases.append(c7)
    d.receipt(day(19), c7, "15000.00", "third_party", "甘肃天成物流有限公司（协助扣留工资）",
              by="account_no")
    d.charge_fee(day(20), c7)
    d.disburse(c7, "P0701", fmt(c7.available), day(20), day(21), day(22))

    # 8. Preservation (执保): frozen deposits are deducted and held until the judgment.
    c8 = open_(5, 112, "350000", [keji], [company("E0801", "兰州鑫达信息技术有限公司")], J[1],
               kind="执保")
    d.receipt(day(8), c8, "126800.00", "bank_deduction", "兰州鑫达信息技术有限公司",
              by="account_no")
    d.hold(day(8), c8, "frozen", "诉讼保全冻结款项，待判决生效后处理")

    # 10. The debtor transfers without a case reference: unidentified, then claimed here.
    c10 = open_(6, 1226, "15600", [person("P1001", "陈晓东", card(1001))],
                [person("P1002", "杨帆")], J[3])
    ref = d.unidentified(day(12), fmt(c10.claim + c10.fee), "杨帆", "还款", value_date=day(11))
    d.claim(day(13), ref, c10, c10.claim + c10.fee)
    d.charge_fee(day(13), c10)
    d.disburse(c10, "P1001", fmt(c10.claim), day(14), day(15), day(15))
    d.close(day(18), c10)

    # 11. The debtor pays 1,000 too much: fee, payout, refund of the excess, closure.
    c11 = open_(6, 1229, "9800", [wuye], [person("P1101", "郭志鹏")], J[4])
    d.receipt(day(13), c11, fmt(c11.claim + c11.fee + 1000_00), "debtor_payment", "郭志鹏")
    d.charge_fee(day(14), c11)
    d.disburse(c11, "E0001", fmt(c11.claim), day(14), day(15), day(18))
    d.refund(day(18), c11, "郭志鹏", "1000.00", "多缴执行款退还")
    d.close(day(19), c11)

    # 12 and 13. A payment for case 13 is booked to case 12; reversed, recorded again on 13.
    c12 = open_(7, 1233, "23000", [person("P1201", "吴桂兰", card(1201))],
                [person("P1202", "冯建军")], J[5])
    c13 = open_(7, 1234, "31500", [person("P1301", "韩国庆", card(1301))],
                [person("P1302", "冯建民")], J[5])
    d.receipt(day(12), c12, "6000.00", "debtor_payment", "冯建军")
    wrong = d.receipt(day(18), c12, "31872.50", "debtor_payment", "冯建民")
    d.reverse(day(19), wrong, "错账：该款为(2024)甘0102执1234号被执行人冯建民所缴，误入本案")
    d.receipt(day(19), c13, "31872.50", "debtor_payment", "冯建民",
              value_date=day(18), bank_ref=wrong["body"]["bank_ref"])
    d.charge_fee(day(20), c13)
    d.disburse(c13, "P1301", fmt(c13.claim), day(20), day(21), day(22))
    d.close(day(25), c13)

    # 14. A microloan company: payout refused by the bank (account closed), paid to a new one.
    c14 = open_(8, 1240, "260000", [microloan], [person("P1401", "蒋伟")], J[0],
                performance_due="2024-02-26")
    d.receipt(day(12), c14, "50000.00", "debtor_payment", "蒋伟")
    d.charge_fee(day(13), c14)
    d.disburse(c14, "F0004", "46200.00", day(13), day(14), None,
               fail=(day(15), "收款账户已销户，银行退回"))
    d.disburse(c14, "F0004", "46200.00", day(18), day(19), day(20), account=corporate(1404))

    # 15. Property fees: small, paid, closed.
    c15 = open_(8, 1244, "4200", [wuye], [person("P1501", "邓晓梅")], J[1])
    d.receipt(day(14), c15, fmt(c15.claim + c15.fee), "debtor_payment", "邓晓梅", by="account_no")
    d.charge_fee(day(15), c15)
    d.disburse(c15, "E0001", fmt(c15.claim), day(15), day(18), day(19))
    d.close(day(20), c15)

    # 16. The creditor cannot be reached: held (not collected), released when she comes.
    c16 = open_(8, 1249, "18900", [person("P1601", "曹玉兰", card(1601))],
                [person("P1602", "谢永强")], J[2])
    d.receipt(day(11), c16, fmt(c16.claim + c16.fee), "debtor_payment", "谢永强")
    d.charge_fee(day(12), c16)
    hold16 = d.hold(day(13), c16, "not_collected", "电话无人接听，已邮寄领款通知")
    d.release(day(20), hold16)
    d.disburse(c16, "P1601", fmt(c16.claim), day(21), day(22), day(25))
    d.close(day(26), c16)

    # 17. A car dealer's claim: the debtor's car is auctioned; paid on the collective day.
    c17 = open_(11, 1256, "186000", [qiche], [person("P1701", "袁志刚")], J[3],
                performance_due="2024-02-23")
    d.receipt(day(25), c17, "132500.00", "auction", "网络司法拍卖买受人", value_date=day(22))
    d.pay_costs(day(26), c17, "兰州市城关区顺达机动车评估有限公司", "1800.00", "车辆评估费")
    d.charge_fee(day(26), c17)
    pay_at_event(c17, "E0006")

    # 18. A restored case: a deduction arrives, then the debtor petitions for bankruptcy. The
    #     case is stayed (暂缓) and the money held while the petition is examined; the petition is
    #     refused, the case resumes, the money is released and paid on the collective day.
    #     (The first case is not in this ledger: its fee is not charged here.)
    c18 = open_(11, 52, "96400", [gsbank], [canyin], J[4], kind="执恢")
    d.receipt(day(14), c18, "42150.36", "bank_deduction", "兰州味源餐饮管理有限公司")
    d.suspend(day(15), c18, "被执行人向本院申请破产清算，破产审查期间暂缓执行", kind="stay")
    hold18 = d.hold(day(15), c18, "suspended", "被执行人破产审查期间暂缓发放",
                    approver=VICE_PRESIDENT)
    d.resume(day(25), c18, "破产申请经审查裁定不予受理，恢复执行")
    d.release(day(25), hold18)
    pay_at_event(c18, "F0002")

    # 19. Rent arrears; the debtor's relative pays part (third party).
    c19 = open_(12, 1262, "28800", [person("P1901", "苏建华", card(1901))],
                [person("P1902", "田小军")], J[5])
    d.receipt(day(21), c19, "10000.00", "third_party", "田大军", by="account_no")
    d.charge_fee(day(27), c19)
    pay_at_event(c19, "P1901")

    # 20. Medicines supplied to a clinic: paid in full, closed.
    c20 = open_(12, 1265, "73650", [yiyao], [company("E2001", "兰州仁和诊所有限公司")], J[0])
    d.receipt(day(19), c20, fmt(c20.claim + c20.fee), "debtor_payment", "兰州仁和诊所有限公司")
    d.charge_fee(day(20), c20)
    d.disburse(c20, "E0010", fmt(c20.claim), day(20), day(21), day(22))
    d.close(day(25), c20)

    # 21. Money transferred from another court's case (other): paid out in part.
    c21 = open_(13, 1271, "54000", [person("P2101", "彭海燕", card(2101))],
                [person("P2102", "曾庆林")], J[1])
    d.receipt(day(22), c21, "21000.00", "other", "兰州市七里河区人民法院（另案执行款转入）")
    d.charge_fee(day(27), c21)
    pay_at_event(c21, "P2101")

    # 22. Credit card debt to a bank: wages withheld by the employer (third party).
    c22 = open_(13, 1274, "35270.40", [gsbank], [person("P2201", "蔡明亮")], J[2])
    d.receipt(day(25), c22, "3500.00", "third_party", "甘肃省某事业单位（协助扣划工资）",
              by="account_no")
    d.charge_fee(day(27), c22)
    pay_at_event(c22, "F0002")

    # 23. A house sale dispute: a large auction of the debtor's flat.
    c23 = open_(14, 1280, "980000", [person("P2301", "方志远", card(2301))], [fangdi], J[3])
    d.receipt(day(26), c23, "1012000.00", "auction", "网络司法拍卖买受人")
    d.charge_fee(day(27), c23)
    d.disburse(c23, "P2301", fmt(c23.claim), day(27), day(28), day(29), approver=VICE_PRESIDENT)
    surplus = 1012000_00 - c23.claim - c23.fee
    d.refund(day(29), c23, "甘肃瑞丰房地产开发有限公司", fmt(surplus), "拍卖款清偿债务及执行费后余款退还被执行人")
    d.close(day(29), c23)

    # 24. Two creditors of one debtor; nothing recovered yet. The debtor ignores the order to
    #     report his property and is listed (ground 4).
    c24 = open_(14, 1283, "16400", [person("P2401", "贾文静", card(2401)),
                                    person("P2402", "贾文涛", card(2402))],
                [person("P2403", "罗国华")], J[4])
    d.list_defaulter(day(29), c24, "P2403", ground=4)

    # 25. A withdrawn application (撤回执行申请) after settling outside the court.
    c25 = open_(15, 1288, "12000", [person("P2501", "鲁振华")], [person("P2502", "施国栋")], J[5])
    d.close(day(27), c25, mode="withdrawn")

    # 26. A personal loan: a settlement instalment arrives by account number.
    c26 = open_(15, 1291, "88000", [person("P2601", "孔祥瑞", card(2601))],
                [person("P2602", "严俊杰")], J[0])
    d.receipt(day(22), c26, "30000.00", "settlement", "严俊杰", by="account_no")
    d.charge_fee(day(25), c26)
    d.disburse(c26, "P2601", fmt(30000_00 - c26.fee), day(25), day(26), None)  # not yet paid

    # 27. A traffic accident compensation (涉民生), paid by the insurer as third party.
    c27 = open_(18, 1297, "142600", [person("P2701", "魏红梅", card(2701))],
                [person("P2702", "钱永胜")], J[1], flags=["livelihood"])
    d.receipt(day(22), c27, fmt(c27.claim + c27.fee), "third_party",
              "中国人民财产保险股份有限公司兰州市分公司")
    d.charge_fee(day(25), c27)
    d.disburse(c27, "P2701", fmt(c27.claim), day(25), day(26), day(27))
    d.close(day(28), c27)

    # 28. A loan secured on a car: a deduction of what was on the debtor's accounts. The debtor
    #     sold the mortgaged car to evade enforcement: listed (ground 3) for 2 + 1 years.
    c28 = open_(18, 1301, "412500", [rcb], [person("P2801", "潘建新"), person("P2802", "潘丽")],
                J[2], performance_due="2024-03-04")
    d.receipt(day(26), c28, "8640.27", "bank_deduction", "潘建新")
    d.list_defaulter(day(27), c28, "P2801", ground=3, extra_years=1)
    d.charge_fee(day(27), c28)
    pay_at_event(c28, "F0003")

    # 29. Restored: the unpaid rest of a 2021 judgment; nothing yet. The debtor is restricted.
    c29 = open_(19, 61, "23780", [person("P2901", "常秀英", card(2901))],
                [person("P2902", "邹德明")], J[3], kind="执恢")
    d.restrict(day(26), c29, "P2902")

    # 30. Labour arbitration award (non-litigation: 3 months to close); the employer pays part,
    #     shared by the two workers on the collective day.
    c30 = open_(19, 1306, "31200", [person("P3001", "石磊", card(3001)),
                                    person("P3002", "龙小燕", card(3002))], [canyin], J[4],
                flags=["livelihood"], closure_months=3)
    d.receipt(day(26), c30, "16000.00", "debtor_payment", "兰州味源餐饮管理有限公司")
    d.charge_fee(day(27), c30)
    half = c30.available // 2
    pay_at_event(c30, "P3001", fmt(half))
    pay_at_event(c30, "P3002", fmt(c30.available - half))

    # 31. A big commercial debt between companies; a first deduction, paid on the event day.
    c31 = open_(20, 1311, "5630000", [company("E3101", "甘肃中天钢铁贸易有限公司",
                                              account=corporate(3101))], [fangdi], J[5],
                performance_due="2024-03-01")
    d.receipt(day(27), c31, "600000.00", "bank_deduction", "甘肃瑞丰房地产开发有限公司",
              by="account_no")
    d.charge_fee(day(28), c31)
    pay_at_event(c31, "E3101")

    # 32. A small loan, paid by the debtor's wife (third party), fee charged, payout pending.
    c32 = open_(20, 1315, "6500", [person("P3201", "林春生", card(3201))],
                [person("P3202", "梁志军")], J[0])
    d.receipt(day(27), c32, fmt(c32.claim + c32.fee), "third_party", "梁志军之妻张丽")
    d.charge_fee(day(28), c32)
    d.disburse(c32, "P3201", fmt(c32.claim), day(28), day(29), None)

    # An unidentified receipt nobody can place: refunded to the payer.
    ref33 = d.unidentified(day(21), "2000.00", "马某某", "转账", value_date=day(20))
    d.refund_unidentified(day(26), ref33, "马某某", "2000.00", "经核实非执行款，原路退回")

    # 33. Decoration contract: a small deposit.
    c33 = open_(21, 1320, "57300", [person("P3301", "宋文博", card(3301))],
                [company("E3301", "兰州美居装饰工程有限公司")], J[1])
    d.receipt(day(28), c33, "5000.00", "debtor_payment", "兰州美居装饰工程有限公司")

    # 34. A bank's consumer loan; nothing yet.
    open_(22, 1326, "97800", [icbc], [person("P3401", "肖建国")], J[2])

    # 35. Restored, debtor pays the rest, paid on the event day, closed (the first case, not
    #     in this ledger, bore the fee).
    c35 = open_(22, 68, "12450", [person("P3501", "胡春梅", card(3501))],
                [person("P3502", "金永福")], J[3], kind="执恢")
    d.receipt(day(25), c35, "12450.00", "debtor_payment", "金永福")
    pay_at_event(c35, "P3501")

    # 36. A late filing of the month.
    open_(25, 1333, "41900", [person("P3601", "谭晓峰", card(3601))], [person("P3602", "段红军")],
          J[4])

    # The quarter's collective disbursement day (集中发放日), recorded by finance as the bank
    # pays, approved by the vice-president in charge. It does not excuse the 30-day limit:
    # money that arrived in February shows as paid overdue.
    items = [(case, payee, amount or fmt(case.available), account)
             for case, payee, amount, account in collective]
    overdue = d.collective(day(28), "JZFF-2024-Q1", "2024年第一季度执行款集中发放日",
                           VICE_PRESIDENT, items)
    assert 10 <= len({case for case, *_ in items}) <= 15
    assert {(case_no, since) for case_no, _, _, since in overdue} == {
        (c37.number, "2024-03-22"), (c38.number, "2024-03-10")}, overdue
    d.close(day(29), c35)
    d.close(day(29), c38)

    # Month ends: the fees collected go to the treasury (收支两条线).
    d.remit_fees(day(29, 2))
    d.remit_fees(day(29))
    assert all(on <= day(29) for on, _ in d.fee_charges)  # nothing left in the fee account

    return d, cases


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    path = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(here), "demo",
                                                               "month.jsonl")
    demo, cases = build()
    lines = demo.lines()
    os.makedirs(os.path.dirname(os.path.abspath(path)), exist_ok=True)
    with open(path, "w", encoding="utf-8", newline="\n") as out:
        out.write("\n".join(lines) + "\n")
    print(f"{path}: {len(lines)} commands, {len(cases)} cases", file=sys.stderr)


if __name__ == "__main__":
    main()

#!/usr/bin/env python3
"""Writes demo/month.jsonl: one month (March 2024) of enforcement money at one basic court,
兰州市城关区人民法院 (court code 甘0102), as `caseledger apply` commands.

The month holds 36 cases (执, some 执恢, one 执保) and every kind of money movement the
ledger records today: receipts of every source (by case number and by virtual account
number), an unidentified receipt that is claimed and one that is refunded, holds approved by
someone other than their operator, disbursements requested by a judge and approved by the
bureau chief (one refused by the bank and requested again), enforcement costs, the statutory
fee, a refund of an overpayment, a receipt booked to the wrong case then reversed and recorded
again on the right one, closures as fully performed once every yuan is paid out, and the
month's fees remitted to the treasury.

Names of people and companies are invented. Figures follow the seed reports: most cases are
small (under ¥100,000), a few large ones carry most of the money.

usage: tools/make_demo.py [OUTPUT]   (default: demo/month.jsonl next to tools/)
then:  CASELEDGER_TODAY=2024-03-31 build/caseledger --db /tmp/demo apply demo/month.jsonl

Standard library only; the output is the same on every run.
"""
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

JUDGES = {  # name: login
    "马建国": "judge.majianguo",
    "刘晓燕": "judge.liuxiaoyan",
    "张志强": "judge.zhangzhiqiang",
    "杨慧敏": "judge.yanghuimin",
    "王海涛": "judge.wanghaitao",
    "陈静": "judge.chenjing",
}


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


def account_number(serial):
    """MakeAccountNumber: '8801' + serial in 10 digits + ISO 7064 MOD 97-10 check digits."""
    body = 8801 * 10_000_000_000 + serial
    return f"{body:014d}{98 - (body * 100) % 97:02d}"


assert account_number(1) == "8801000000000137"
assert statutory_fee(50_000_000) == 740_000 and statutory_fee(500_000_000) == 5_240_000


def case_no(serial, kind="执"):
    return f"({YEAR}){COURT}{kind}{serial}号"


def day(d):
    return f"{YEAR}-03-{d:02d}"


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


class Case:
    def __init__(self, number, claim, creditors, debtors, judge):
        self.number = number
        self.claim = claim
        self.fee = statutory_fee(claim)
        self.creditors = creditors
        self.debtors = debtors
        self.judge = judge
        self.balance = 0  # in the case account
        self.held = 0
        self.pending = 0
        self.closed = False
        self.serial = None  # its account serial, known once the file is ordered

    @property
    def available(self):
        return self.balance - self.held - self.pending


class Demo:
    def __init__(self):
        self.events = []
        self.cases = {}
        self.counters = {}
        self.fees_collected = 0

    def _next(self, key):
        self.counters[key] = self.counters.get(key, 0) + 1
        return self.counters[key]

    def bank_ref(self, on, direction):
        # The special account's bank serials: 收 (in) and 付 (out) per value day.
        compact = on.replace("-", "")[2:]
        n = self._next(("ref", direction, on))
        return f"{'B' if direction == 'in' else 'P'}{compact}-{n:04d}"

    def add(self, on, operator, op, body, prefix):
        event = {"on": on, "operator": operator, "op": op, "body": body, "prefix": prefix,
                 "order": len(self.events)}
        self.events.append(event)
        return event

    # -- operations ----------------------------------------------------------------------

    def open_case(self, on, number, claim, creditors, debtors, judge, flags=None,
                  closure_months=None, performance_due=None):
        case = Case(number, yuan(claim), creditors, debtors, judge)
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
        event = self.add(on, FILING, "open_case", body, "open")
        event["case"] = case
        return case

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
            body["value_date"] = value_date
        case.balance += fen
        event = self.add(on, FINANCE, "receipt", body, "rcpt")
        event["account_of"] = case if by in ("account_no", "both") else None
        event["case"] = case
        return event

    def unidentified(self, on, amount, payer, memo, value_date=None):
        ref = self.bank_ref(value_date or on, "in")
        body = {"amount": amount, "bank_ref": ref, "payer": payer, "memo": memo}
        if value_date:
            body["value_date"] = value_date
        self.add(on, FINANCE, "unidentified_receipt", body, "unid")
        return ref

    def claim(self, on, ref, case, amount_fen):
        case.balance += amount_fen
        self.add(on, FINANCE, "claim", {"bank_ref": ref, "case_no": case.number}, "claim")

    def refund_unidentified(self, on, ref, payee, amount, reason):
        body = {"bank_ref": ref, "payee": payee, "amount": amount,
                "refund_bank_ref": self.bank_ref(on, "out"), "reason": reason}
        self.add(on, FINANCE, "refund_unidentified", body, "unidref")

    def charge_fee(self, on, case):
        assert case.available >= case.fee, (case.number, case.available, case.fee)
        case.balance -= case.fee
        self.fees_collected += case.fee
        self.add(on, FINANCE, "charge_fee", {"case_no": case.number}, "fee")
        return case.fee

    def hold(self, on, case, ground, note, amount=None, approver=CHIEF):
        take = yuan(amount) if amount else case.available
        assert 0 < take <= case.available
        hold_id = f"HF-{YEAR}-{self._next('hold'):03d}"
        body = {"hold_id": hold_id, "case_no": case.number}
        if amount:
            body["amount"] = amount
        body.update({"ground": ground, "approved_by": approver, "note": note})
        operator = JUDGES[case.judge]
        assert operator != approver
        case.held += take
        self.add(on, operator, "hold", body, "hold")
        return hold_id, take

    def release(self, on, case, hold):
        hold_id, take = hold
        case.held -= take
        self.add(on, JUDGES[case.judge], "release_hold", {"hold_id": hold_id}, "release")

    def disburse(self, case, payee, amount, requested, approved, confirmed, approver=CHIEF,
                 account=None, fail=None):
        """Request (the judge), approve (another person), pay (finance, with the bank's ref).
        confirmed=None: approved, not yet paid (the money stays reserved).
        fail=(date, reason): the bank refuses it before payment instead of paying."""
        fen = yuan(amount)
        assert 0 < fen <= case.available, (case.number, fen, case.available)
        assert any(c["party_id"] == payee for c in case.creditors)
        disbursement_id = f"FF-{YEAR}-{self._next('disb'):04d}"
        body = {"disbursement_id": disbursement_id, "case_no": case.number, "payee": payee,
                "amount": amount}
        if account:
            body["account"] = account
        requester = JUDGES[case.judge]
        assert requester != approver
        case.pending += fen
        self.add(requested, requester, "request_disbursement", body, "disbreq")
        self.add(approved, approver, "approve_disbursement",
                 {"disbursement_id": disbursement_id}, "disbok")
        if fail:
            self.add(fail[0], FINANCE, "fail_disbursement",
                     {"disbursement_id": disbursement_id, "reason": fail[1]}, "disbfail")
            case.pending -= fen
            return disbursement_id
        if confirmed is None:
            return disbursement_id
        self.add(confirmed, FINANCE2, "confirm_disbursement",
                 {"disbursement_id": disbursement_id, "bank_ref": self.bank_ref(confirmed, "out")},
                 "disbpay")
        case.pending -= fen
        case.balance -= fen
        return disbursement_id

    def pay_costs(self, on, case, payee, amount, reason):
        fen = yuan(amount)
        assert fen <= case.available
        case.balance -= fen
        self.add(on, FINANCE, "pay_costs",
                 {"case_no": case.number, "payee": payee, "amount": amount,
                  "bank_ref": self.bank_ref(on, "out"), "reason": reason}, "costs")

    def refund(self, on, case, payee, amount, reason):
        fen = yuan(amount)
        assert fen <= case.available
        case.balance -= fen
        self.add(on, FINANCE, "refund",
                 {"case_no": case.number, "payee": payee, "amount": amount,
                  "bank_ref": self.bank_ref(on, "out"), "reason": reason}, "refund")

    def reverse(self, on, target, reason):
        case = target["case"]
        fen = yuan(target["body"]["amount"])
        assert fen <= case.available
        case.balance -= fen
        event = self.add(on, FINANCE, "reverse", {"target_request_id": None, "reason": reason},
                         "reverse")
        event["target"] = target

    def close(self, on, case, mode="fully_performed"):
        assert case.balance == 0 and case.pending == 0, (case.number, case.balance)
        case.closed = True
        self.add(on, JUDGES[case.judge], "close_case", {"case_no": case.number, "mode": mode},
                 "close")

    def remit_fees(self, on):
        self.add(on, FINANCE, "remit_fees",
                 {"amount": fmt(self.fees_collected), "bank_ref": self.bank_ref(on, "out")},
                 "remit")
        self.fees_collected = 0

    # -- output --------------------------------------------------------------------------

    def lines(self):
        # Business dates never go backwards for a case (SPEC §1): order by date, then as told.
        ordered = sorted(self.events, key=lambda e: (e["on"], e["order"]))
        serial = 0
        for e in ordered:
            if e["op"] == "open_case":
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

    cases = []

    def open_(filed, serial, claim, creditors, debtors, judge, kind="执", **kw):
        c = d.open_case(day(filed), case_no(serial, kind), claim, creditors, debtors, judge, **kw)
        cases.append(c)
        return c

    # 1. A loan to a person, paid in full by the debtor: fee, payout, closure.
    c1 = open_(1, 1186, "38600", [person("P0101", "张明", card(101))],
               [person("P0102", "李强")], J[0])
    d.receipt(day(5), c1, fmt(c1.claim + c1.fee), "debtor_payment", "李强", value_date=day(4))
    d.charge_fee(day(6), c1)
    d.disburse(c1, "P0101", fmt(c1.claim), day(6), day(7), day(8))
    d.close(day(11), c1)

    # 2. Goods sold to a trading company; its deposits are deducted online, by account number.
    c2 = open_(1, 1191, "126450", [jiancai], [shangmao], J[1])
    d.receipt(day(7), c2, "80000.00", "bank_deduction", "兰州金城商贸有限责任公司", by="account_no")
    d.charge_fee(day(8), c2)
    d.disburse(c2, "E0002", "60000.00", day(11), day(12), day(13))

    # 3. A bank loan of 2.86 million: the mortgaged shop is auctioned; appraisal paid first.
    c3 = open_(1, 1195, "2860000", [icbc],
               [shangmao, person("P0301", "赵永刚")], J[2], performance_due="2024-01-15")
    d.receipt(day(15), c3, "1650000.00", "auction", "兰州市城关区人民法院网络司法拍卖买受人",
              value_date=day(14), by="both")
    d.pay_costs(day(18), c3, "甘肃正衡房地产土地评估有限公司", "12600.00", "商铺评估费")
    d.charge_fee(day(18), c3)
    d.disburse(c3, "F0001", "1500000.00", day(19), day(20), day(21), approver=VICE_PRESIDENT)

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

    # 7. A restored case (恢复执行): the debtor found work; the fee was borne in the first case.
    c7 = open_(5, 45, "52300", [person("P0701", "王淑芬", card(701))],
               [person("P0702", "刘建平")], J[0], kind="执恢")
    d.receipt(day(19), c7, "15000.00", "debtor_payment", "刘建平", by="account_no")
    d.disburse(c7, "P0701", "15000.00", day(20), day(21), day(22))

    # 8. Preservation (执保): frozen deposits are deducted and held until the judgment.
    c8 = open_(5, 112, "350000", [keji], [company("E0801", "兰州鑫达信息技术有限公司")], J[1],
               kind="执保")
    d.receipt(day(8), c8, "126800.00", "bank_deduction", "兰州鑫达信息技术有限公司",
              by="account_no")
    d.hold(day(8), c8, "frozen", "诉讼保全冻结款项，待判决生效后处理")

    # 9. Building work for two subcontractors: two deductions, fee, the rest held for a
    #    distribution plan (参与分配) between the creditors.
    c9 = open_(5, 1220, "1200000", [jiancai, company("E0901", "兰州铭泰钢结构工程有限公司",
                                                     account=corporate(901))], [jianshe], J[2])
    d.receipt(day(11), c9, "300000.00", "bank_deduction", "兰州恒远建设工程有限公司")
    d.receipt(day(20), c9, "500000.00", "bank_deduction", "兰州恒远建设工程有限公司",
              by="account_no")
    d.charge_fee(day(21), c9)
    d.hold(day(22), c9, "distribution", "两申请执行人按债权比例分配，待分配方案确定", approver=VICE_PRESIDENT)

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

    # 14. A microloan company: payout refused by the bank (card cancelled), paid to a new one.
    c14 = open_(8, 1240, "260000", [microloan], [person("P1401", "蒋伟")], J[0])
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
    hold = d.hold(day(13), c16, "not_collected", "电话无人接听，已邮寄领款通知")
    d.release(day(20), c16, hold)
    d.disburse(c16, "P1601", fmt(c16.claim), day(21), day(22), day(25))
    d.close(day(26), c16)

    # 17. A car dealer's claim: the debtor's car is auctioned.
    c17 = open_(11, 1256, "186000", [qiche], [person("P1701", "袁志刚")], J[3])
    d.receipt(day(25), c17, "132500.00", "auction", "网络司法拍卖买受人", value_date=day(22))
    d.pay_costs(day(26), c17, "兰州市城关区顺达机动车评估有限公司", "1800.00", "车辆评估费")
    d.charge_fee(day(26), c17)
    d.disburse(c17, "E0006", "127000.00", day(27), day(28), day(29))

    # 18. A restored case: a deduction, held because the debtor is also in bankruptcy review.
    c18 = open_(11, 52, "96400", [gsbank], [canyin], J[4], kind="执恢")
    d.receipt(day(14), c18, "42150.36", "bank_deduction", "兰州味源餐饮管理有限公司")
    d.hold(day(15), c18, "other", "被执行人破产审查期间暂缓发放", approver=VICE_PRESIDENT)

    # 19. Rent arrears; the debtor's relative pays part (third party).
    c19 = open_(12, 1262, "28800", [person("P1901", "苏建华", card(1901))],
                [person("P1902", "田小军")], J[5])
    d.receipt(day(21), c19, "10000.00", "third_party", "田大军", by="account_no")

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

    # 22. Credit card debt to a bank: wages withheld by the employer (third party).
    c22 = open_(13, 1274, "35270.40", [gsbank], [person("P2201", "蔡明亮")], J[2])
    d.receipt(day(25), c22, "3500.00", "third_party", "甘肃省某事业单位（协助扣划工资）",
              by="account_no")

    # 23. A house sale dispute: a large auction of the debtor's flat.
    c23 = open_(14, 1280, "980000", [person("P2301", "方志远", card(2301))], [fangdi], J[3])
    d.receipt(day(26), c23, "1012000.00", "auction", "网络司法拍卖买受人")
    d.charge_fee(day(27), c23)
    d.disburse(c23, "P2301", fmt(c23.claim), day(27), day(28), day(29), approver=VICE_PRESIDENT)
    surplus = 1012000_00 - c23.claim - c23.fee
    d.refund(day(29), c23, "甘肃瑞丰房地产开发有限公司", fmt(surplus), "拍卖款清偿债务及执行费后余款退还被执行人")
    d.close(day(29), c23)

    # 24. Two creditors of one debtor; nothing recovered yet.
    open_(14, 1283, "16400", [person("P2401", "贾文静", card(2401)),
                              person("P2402", "贾文涛", card(2402))], [person("P2403", "罗国华")],
          J[4])

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

    # 28. A loan secured on a car: a deduction of what was on the debtor's accounts.
    c28 = open_(18, 1301, "412500", [rcb], [person("P2801", "潘建新"), person("P2802", "潘丽")],
                J[2])
    d.receipt(day(26), c28, "8640.27", "bank_deduction", "潘建新")

    # 29. Restored: the unpaid rest of a 2021 judgment; nothing yet.
    open_(19, 61, "23780", [person("P2901", "常秀英", card(2901))], [person("P2902", "邹德明")],
          J[3], kind="执恢")

    # 30. Labour arbitration award (non-litigation: 3 months to close); the employer pays part.
    c30 = open_(19, 1306, "31200", [person("P3001", "石磊", card(3001)),
                                    person("P3002", "龙小燕", card(3002))], [canyin], J[4],
                flags=["livelihood"], closure_months=3)
    d.receipt(day(26), c30, "16000.00", "debtor_payment", "兰州味源餐饮管理有限公司")
    d.charge_fee(day(27), c30)
    d.disburse(c30, "P3001", "7800.00", day(27), day(28), day(29))
    d.disburse(c30, "P3002", "7800.00", day(27), day(28), day(29))

    # 31. A big commercial debt between companies; a first deduction.
    c31 = open_(20, 1311, "5630000", [company("E3101", "甘肃中天钢铁贸易有限公司",
                                              account=corporate(3101))], [fangdi], J[5])
    d.receipt(day(27), c31, "600000.00", "bank_deduction", "甘肃瑞丰房地产开发有限公司",
              by="account_no")

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

    # 35. Restored, debtor pays the rest, closed (no new fee in a restored case).
    c35 = open_(22, 68, "12450", [person("P3501", "胡春梅", card(3501))],
                [person("P3502", "金永福")], J[3], kind="执恢")
    d.receipt(day(25), c35, "12450.00", "debtor_payment", "金永福")
    d.disburse(c35, "P3501", "12450.00", day(26), day(27), day(28))
    d.close(day(29), c35)

    # 36. A late filing of the month.
    open_(25, 1333, "41900", [person("P3601", "谭晓峰", card(3601))], [person("P3602", "段红军")],
          J[4])

    # Month end: the fees collected go to the treasury (收支两条线).
    d.remit_fees(day(29))
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

// Proves every operation of SPEC §2 and each of its error codes, with the invariants of §6.
#include "core/engine.h"

#include <gtest/gtest.h>

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/command_json.h"
#include "core/figures.h"
#include "core/identifiers.h"
#include "core/lots.h"
#include "core/money.h"
#include "tests/core/engine_fixture.h"

namespace caseledger::engine_fixture {
namespace {

// GB 11643: the check character over 17 digits (computed here independently of core/).
std::string ResidentId(const std::string& first17) {
  static constexpr int kWeights[17] = {7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2};
  int sum = 0;
  for (int i = 0; i < 17; ++i) sum += (first17[i] - '0') * kWeights[i];
  return first17 + "10X98765432"[sum % 11];
}

using EngineOpenCaseTest = EngineTest;
using EngineReceiptTest = EngineTest;
using EngineSuspenseTest = EngineTest;
using EngineHoldTest = EngineTest;
using EngineDisbursementTest = EngineTest;
using EngineFeeTest = EngineTest;
using EngineOutflowTest = EngineTest;
using EngineLodgmentTest = EngineTest;
using EngineReverseTest = EngineTest;
using EngineCloseTest = EngineTest;
using EngineIdempotencyTest = EngineTest;
using EngineDateTest = EngineTest;
using EngineFiguresTest = EngineTest;
using EngineErrorOrderTest = EngineTest;

// ---------------------------------------------------------------------------------------
// open_case

TEST_F(EngineOpenCaseTest, AssignsUniqueAccountNumbersWithMod97CheckDigits) {
  const Decision first = Accept(OpenCase("2024-03-01", kCase));
  const Decision second = Accept(OpenCase("2024-03-01", kCase2));
  EXPECT_TRUE(first.created);
  const std::string a = first.outcome.account_no();
  const std::string b = second.outcome.account_no();
  ASSERT_EQ(a.size(), 16u);
  ASSERT_EQ(b.size(), 16u);
  EXPECT_NE(a, b);
  // Deterministic: the n-th case opened gets serial n after the "8801" prefix.
  EXPECT_TRUE(a.starts_with("88010000000001")) << a;
  EXPECT_TRUE(b.starts_with("88010000000002")) << b;
  EXPECT_EQ(Mod97(a), 1);
  EXPECT_EQ(Mod97(b), 1);
  EXPECT_TRUE(IsValidAccountNumber(a));
  EXPECT_EQ(CaseOf(kCase).account_no(), a);
  EXPECT_EQ(CaseOf(kCase2).account_no(), b);
  std::string named;
  bool found = false;
  ASSERT_TRUE(state_.Read(Table::kAccount, b, &named, &found).ok());
  EXPECT_TRUE(found);
  EXPECT_EQ(named, kCase2);
}

TEST_F(EngineOpenCaseTest, RecordsTermsPartiesAndNoMoney) {
  Accept(OpenCase("2024-03-01"));
  const pb::CaseRecord record = CaseOf();
  EXPECT_EQ(record.status(), pb::CASE_STATUS_OPEN);
  EXPECT_EQ(record.court(), "甘0102");
  EXPECT_EQ(record.type_code(), pb::CASE_TYPE_ENFORCEMENT);
  EXPECT_EQ(record.filed_on(), "2024-03-01");
  EXPECT_EQ(record.claim_fen(), 50000000);
  EXPECT_EQ(record.closure_months(), 6);
  ASSERT_EQ(record.creditors_size(), 2);
  EXPECT_EQ(record.creditors(0).account(), kCreditorAccount);
  EXPECT_EQ(record.creditors(1).kind(), pb::PARTY_KIND_PERSON);  // the default kind
  const CaseFigures figures = FiguresOn("2024-03-01");
  EXPECT_EQ(FormatAmount(figures.fee_fen), "7400.00");  // 50 + 1.5% × 490,000 = 7,400
  EXPECT_EQ(FormatAmount(figures.balance_fen), "0.00");
  EXPECT_EQ(figures.deadline, Day("2024-09-01"));  // filed_on + 6 months
  EXPECT_TRUE(EntryAt(1).postings().empty());
}

TEST_F(EngineOpenCaseTest, FullWidthParenthesesNameTheSameCase) {
  Accept(OpenCase("2024-03-01", "（2024）甘0102执1号"));
  EXPECT_EQ(CaseOf(kCase).case_no(), kCase);
  EXPECT_EQ(Reject(OpenCase("2024-03-01", kCase)), "CASE_EXISTS");
}

TEST_F(EngineOpenCaseTest, CaseExists) {
  Accept(OpenCase("2024-03-01"));
  EXPECT_EQ(Reject(OpenCase("2024-03-02")), "CASE_EXISTS");
}

TEST_F(EngineOpenCaseTest, BadCaseNumberIsInvalidArgument) {
  for (const char* bad :
       {"2024甘0102执1号", "(2024)甘0102执01号", "(2024)甘0102执1", "(2024)甘0102民1号", ""}) {
    EXPECT_EQ(Reject(OpenCase("2024-03-01", bad)), "INVALID_ARGUMENT") << bad;
    EXPECT_NE(last_error_.message().find("open_case.case_no"), std::string::npos)
        << last_error_.message();
  }
}

TEST_F(EngineOpenCaseTest, BadClaimIsInvalidArgumentButZeroIsAllowed) {
  EXPECT_EQ(Reject(OpenCase("2024-03-01", kCase, "-5")), "INVALID_ARGUMENT");
  EXPECT_EQ(Reject(OpenCase("2024-03-01", kCase, "1.234")), "INVALID_ARGUMENT");
  Accept(OpenCase("2024-03-01", kCase, "0"));
  EXPECT_EQ(CaseOf().claim_fen(), 0);
}

TEST_F(EngineOpenCaseTest, NoCreditorsOrNoDebtorsIsInvalidArgument) {
  EXPECT_EQ(Reject(Cmd("2024-03-01", "open_case",
                       R"({"case_no": "(2024)甘0102执1号", "claim": "100.00", "creditors": [],
                           "debtors": [{"party_id": "d1", "name": "张某某"}]})")),
            "INVALID_ARGUMENT");
  EXPECT_NE(last_error_.message().find("open_case.creditors"), std::string::npos);
  EXPECT_EQ(Reject(Cmd("2024-03-01", "open_case",
                       R"({"case_no": "(2024)甘0102执1号", "claim": "100.00",
                           "creditors": [{"party_id": "c1", "name": "甲"}], "debtors": []})")),
            "INVALID_ARGUMENT");
  EXPECT_NE(last_error_.message().find("open_case.debtors"), std::string::npos);
}

TEST_F(EngineOpenCaseTest, DuplicatePartyIdIsInvalidArgument) {
  EXPECT_EQ(Reject(Cmd("2024-03-01", "open_case",
                       R"({"case_no": "(2024)甘0102执1号", "claim": "100.00",
                           "creditors": [{"party_id": "p1", "name": "甲"}],
                           "debtors": [{"party_id": "p1", "name": "乙"}]})")),
            "INVALID_ARGUMENT");
  EXPECT_NE(last_error_.message().find("open_case.debtors[0].party_id"), std::string::npos)
      << last_error_.message();
  EXPECT_EQ(Reject(Cmd("2024-03-01", "open_case",
                       R"({"case_no": "(2024)甘0102执1号", "claim": "100.00",
                           "creditors": [{"party_id": "p1", "name": "甲"},
                                         {"party_id": "p1", "name": "丙"}],
                           "debtors": [{"party_id": "d1", "name": "乙"}]})")),
            "INVALID_ARGUMENT");
}

TEST_F(EngineOpenCaseTest, InvalidResidentIdIsRejectedWithoutEchoingTheNumber) {
  const std::string valid = ResidentId("11010519800101123");
  // Any other check character is wrong.
  std::string invalid = valid;
  invalid.back() = valid.back() == '0' ? '1' : '0';
  const std::string body = R"({"case_no": "(2024)甘0102执1号", "claim": "100.00",
      "creditors": [{"party_id": "c1", "name": "甲"}],
      "debtors": [{"party_id": "d1", "name": "乙", "id_type": "resident_id", "id_number": ")" +
                           invalid + R"("}]})";
  EXPECT_EQ(Reject(Cmd("2024-03-01", "open_case", body)), "INVALID_ARGUMENT");
  EXPECT_NE(last_error_.message().find("open_case.debtors[0].id_number"), std::string::npos)
      << last_error_.message();
  EXPECT_EQ(last_error_.message().find(invalid), std::string::npos) << last_error_.message();
  EXPECT_EQ(last_error_.message().find(invalid.substr(0, 17)), std::string::npos);
  EXPECT_EQ(last_error_.message().find("19800101"), std::string::npos);
}

TEST_F(EngineOpenCaseTest, ResidentIdBirthDateMakesAMinorKnown) {
  const std::string child = ResidentId("11010520100101123");  // born 2010-01-01: 14 in 2024
  const std::string adult = ResidentId("11010519800101123");  // born 1980-01-01
  const std::string body = R"({"case_no": "(2024)甘0102执1号", "claim": "100.00",
      "creditors": [{"party_id": "c1", "name": "甲"}],
      "debtors": [{"party_id": "d1", "name": "乙", "id_type": "resident_id", "id_number": ")" +
                           child + R"("},
                  {"party_id": "d2", "name": "丙", "id_type": "resident_id", "id_number": ")" +
                           adult + R"("},
                  {"party_id": "d3", "name": "丁", "minor": true}]})";
  Accept(Cmd("2024-03-01", "open_case", body));
  const pb::CaseRecord record = CaseOf();
  ASSERT_EQ(record.debtors_size(), 3);
  EXPECT_TRUE(record.debtors(0).minor());
  EXPECT_FALSE(record.debtors(1).minor());
  EXPECT_TRUE(record.debtors(2).minor());
  EXPECT_EQ(record.debtors(0).id_number(), child);  // kept for case --json and exports
}

TEST_F(EngineOpenCaseTest, EighteenthBirthdayEndsMinority) {
  // Born 2006-03-02: a minor on 2024-03-01, of age on 2024-03-02.
  const std::string id = ResidentId("11010520060302123");
  auto body = [&](std::string_view case_no) {
    return std::string(R"({"case_no": ")") + std::string(case_no) +
           R"(", "claim": "100.00", "creditors": [{"party_id": "c1", "name": "甲"}],
               "debtors": [{"party_id": "d1", "name": "乙", "id_type": "resident_id",
                            "id_number": ")" +
           id + R"("}]})";
  };
  Accept(Cmd("2024-03-01", "open_case", body(kCase)));
  Accept(Cmd("2024-03-02", "open_case", body(kCase2)));
  EXPECT_TRUE(CaseOf(kCase).debtors(0).minor());
  EXPECT_FALSE(CaseOf(kCase2).debtors(0).minor());
}

// ---------------------------------------------------------------------------------------
// receipt

TEST_F(EngineReceiptTest, ByCaseNumberMakesALotDueIn30Days) {
  Accept(OpenCase("2024-03-01"));
  const Decision decision = Accept(Cmd("2024-03-05", "receipt",
                                       R"({"case_no": "(2024)甘0102执1号", "amount": "1000.00",
                                           "bank_ref": "B1", "source": "debtor_payment",
                                           "payer": "张某某", "value_date": "2024-03-04"})"));
  ASSERT_EQ(decision.entry.postings_size(), 2);
  EXPECT_EQ(decision.entry.postings(0).account(), "bank");
  EXPECT_EQ(decision.entry.postings(0).amount_fen(), 100000);
  EXPECT_EQ(decision.entry.postings(1).account(), std::string("case:") + std::string(kCase));
  EXPECT_EQ(decision.entry.postings(1).amount_fen(), -100000);
  const pb::CaseRecord record = CaseOf();
  ASSERT_EQ(record.lots_size(), 1);
  EXPECT_EQ(record.lots(0).date(), "2024-03-05");
  EXPECT_EQ(record.lots(0).deadline(), "2024-04-04");  // 03-05 + 30 days (26 in March, 4 in April)
  const CaseFigures figures = FiguresOn("2024-03-05");
  EXPECT_EQ(FormatAmount(figures.recovered_fen), "1000.00");
  EXPECT_EQ(FormatAmount(figures.balance_fen), "1000.00");
  EXPECT_EQ(FormatAmount(figures.available_fen), "1000.00");
  EXPECT_EQ(Global().bank_fen(), 100000);
}

TEST_F(EngineReceiptTest, ByAccountNumberAndByBothWhenTheyAgree) {
  const std::string account = Accept(OpenCase("2024-03-01")).outcome.account_no();
  Accept(Cmd("2024-03-05", "receipt",
             R"({"account_no": ")" + account +
                 R"(", "amount": "10.00", "bank_ref": "B1", "source": "bank_deduction"})"));
  Accept(Cmd("2024-03-05", "receipt",
             R"({"case_no": "（2024）甘0102执1号", "account_no": ")" + account +
                 R"(", "amount": "5.00", "bank_ref": "B2", "source": "auction"})"));
  EXPECT_EQ(FormatAmount(FiguresOn("2024-03-05").recovered_fen), "15.00");
}

TEST_F(EngineReceiptTest, CaseAndAccountThatDisagreeAreInvalidArgument) {
  Accept(OpenCase("2024-03-01", kCase));
  const std::string other = Accept(OpenCase("2024-03-01", kCase2)).outcome.account_no();
  EXPECT_EQ(Reject(Cmd("2024-03-05", "receipt",
                       R"({"case_no": "(2024)甘0102执1号", "account_no": ")" + other +
                           R"(", "amount": "10.00", "bank_ref": "B1", "source": "other"})")),
            "INVALID_ARGUMENT");
  EXPECT_NE(last_error_.message().find("receipt.account_no"), std::string::npos);
}

TEST_F(EngineReceiptTest, AccountNumberWithBadCheckDigitsIsInvalidArgument) {
  std::string account = Accept(OpenCase("2024-03-01")).outcome.account_no();
  account.back() = account.back() == '9' ? '0' : static_cast<char>(account.back() + 1);
  ASSERT_NE(Mod97(account), 1);
  EXPECT_EQ(Reject(Cmd("2024-03-05", "receipt",
                       R"({"account_no": ")" + account +
                           R"(", "amount": "10.00", "bank_ref": "B1", "source": "other"})")),
            "INVALID_ARGUMENT");
  EXPECT_EQ(Reject(Cmd("2024-03-05", "receipt",
                       R"({"account_no": "8801000000001", "amount": "10.00", "bank_ref": "B1",
                           "source": "other"})")),
            "INVALID_ARGUMENT");
}

TEST_F(EngineReceiptTest, UnknownAccountOrCaseIsUnknownCase) {
  Accept(OpenCase("2024-03-01"));
  const std::string unused = MakeAccountNumber(99);  // valid check digits, no case
  EXPECT_EQ(Reject(Cmd("2024-03-05", "receipt",
                       R"({"account_no": ")" + unused +
                           R"(", "amount": "10.00", "bank_ref": "B1", "source": "other"})")),
            "UNKNOWN_CASE");
  EXPECT_EQ(Reject(Receipt("2024-03-05", "10.00", "B1", kUnknownCase)), "UNKNOWN_CASE");
}

TEST_F(EngineReceiptTest, NeitherCaseNorAccountIsInvalidArgument) {
  Accept(OpenCase("2024-03-01"));
  EXPECT_EQ(Reject(Cmd("2024-03-05", "receipt",
                       R"({"amount": "10.00", "bank_ref": "B1", "source": "other"})")),
            "INVALID_ARGUMENT");
}

TEST_F(EngineReceiptTest, ValueDateAfterOnIsInvalidArgument) {
  Accept(OpenCase("2024-03-01"));
  EXPECT_EQ(Reject(Cmd("2024-03-05", "receipt",
                       R"({"case_no": "(2024)甘0102执1号", "amount": "10.00", "bank_ref": "B1",
                           "source": "other", "value_date": "2024-03-06"})")),
            "INVALID_ARGUMENT");
  EXPECT_NE(last_error_.message().find("receipt.value_date"), std::string::npos);
  EXPECT_EQ(Reject(Cmd("2024-03-05", "receipt",
                       R"({"case_no": "(2024)甘0102执1号", "amount": "10.00", "bank_ref": "B1",
                           "source": "other", "value_date": "2024-03-04",
                           "interest_stop_date": "2024-03-05"})")),
            "INVALID_ARGUMENT");
  EXPECT_EQ(Reject(Cmd("2024-03-05", "receipt",
                       R"({"case_no": "(2024)甘0102执1号", "amount": "10.00", "bank_ref": "B1",
                           "source": "gift"})")),
            "INVALID_ARGUMENT");
  Accept(Cmd("2024-03-05", "receipt",
             R"({"case_no": "(2024)甘0102执1号", "amount": "10.00", "bank_ref": "B1",
                 "source": "auction", "value_date": "2024-03-05",
                 "interest_stop_date": "2024-02-20"})"));
}

TEST_F(EngineReceiptTest, ClosedCaseIsCaseClosed) {
  Accept(OpenCase("2024-03-01"));
  Accept(Close("2024-03-02", "withdrawn"));
  EXPECT_EQ(Reject(Receipt("2024-03-05", "10.00", "B1")), "CASE_CLOSED");
}

TEST_F(EngineReceiptTest, BankRefIsRecordedOncePerDirection) {
  Accept(OpenCase("2024-03-01", kCase));
  Accept(OpenCase("2024-03-01", kCase2));
  Accept(Receipt("2024-03-05", "100.00", "B1", kCase));
  EXPECT_EQ(Reject(Receipt("2024-03-05", "100.00", "B1", kCase)), "DUPLICATE_BANK_REF");
  EXPECT_EQ(Reject(Receipt("2024-03-05", "50.00", "B1", kCase2)), "DUPLICATE_BANK_REF");
  EXPECT_EQ(Reject(Unidentified("2024-03-05", "50.00", "B1")), "DUPLICATE_BANK_REF");
  // The outbound direction is another matter: a refund may carry the same reference.
  Accept(Outflow("2024-03-05", "refund", "10.00", "B1"));
}

TEST_F(EngineReceiptTest, EveryBadAmountIsInvalidArgumentNeverRounded) {
  Accept(OpenCase("2024-03-01"));
  for (const char* bad : {"1e3", "1.234", "-5", "0", "", " 5", "1,000", "０", "0.00", "+5", "05",
                          "5.", ".5", "1000000000000000"}) {
    const std::string line =
        Cmd("2024-03-05", "receipt",
            R"({"case_no": "(2024)甘0102执1号", "amount": ")" + std::string(bad) +
                R"(", "bank_ref": "B1", "source": "other"})");
    EXPECT_EQ(Reject(line), "INVALID_ARGUMENT") << "amount \"" << bad << "\"";
    EXPECT_NE(last_error_.message().find("receipt.amount"), std::string::npos)
        << last_error_.message();
  }
  // A JSON number is refused when the line is read: a binary float cannot carry money.
  EXPECT_EQ(Reject(Cmd("2024-03-05", "receipt",
                       R"({"case_no": "(2024)甘0102执1号", "amount": 5, "bank_ref": "B1",
                           "source": "other"})")),
            "INVALID_ARGUMENT");
  EXPECT_NE(last_error_.message().find("receipt.amount"), std::string::npos);
  // The largest amount a user may write is accepted exactly.
  Accept(Receipt("2024-03-05", "999999999999999.99", "B1"));
  EXPECT_EQ(FormatAmount(FiguresOn("2024-03-05").balance_fen), "999999999999999.99");
}

// ---------------------------------------------------------------------------------------
// unidentified_receipt, claim, refund_unidentified

TEST_F(EngineSuspenseTest, UnidentifiedReceiptIsHeldInSuspense) {
  Accept(Cmd("2024-03-05", "unidentified_receipt",
             R"({"amount": "2000.00", "bank_ref": "U1", "payer": "某某", "memo": "无案号",
                 "value_date": "2024-03-04"})"));
  const auto record = Record<pb::UnidentifiedRecord>(Table::kUnidentified, "U1");
  EXPECT_EQ(record.unclaimed_fen(), 200000);
  EXPECT_EQ(record.value_date(), "2024-03-04");
  EXPECT_EQ(record.claim_deadline(), "2024-03-08");  // on + 3 days
  EXPECT_EQ(Global().suspense_fen(), 200000);
  EXPECT_EQ(Global().bank_fen(), 200000);
  EXPECT_EQ(Reject(Unidentified("2024-03-05", "1.00", "U1")), "DUPLICATE_BANK_REF");
  EXPECT_EQ(Reject(Cmd("2024-03-05", "unidentified_receipt",
                       R"({"amount": "1.00", "bank_ref": "U2", "value_date": "2024-03-06"})")),
            "INVALID_ARGUMENT");
  EXPECT_EQ(Reject(Unidentified("2024-03-05", "1e3", "U2")), "INVALID_ARGUMENT");
}

TEST_F(EngineSuspenseTest, ClaimOfTheWholeReceiptMakesALotDatedByTheClaim) {
  Accept(OpenCase("2024-03-01"));
  Accept(Unidentified("2024-03-05", "2000.00", "U1"));
  const Decision claim = Accept(Claim("2024-03-07", "U1", std::nullopt));
  EXPECT_EQ(claim.outcome.amount_fen(), 200000);
  const pb::CaseRecord record = CaseOf();
  ASSERT_EQ(record.lots_size(), 1);
  EXPECT_EQ(record.lots(0).date(), "2024-03-07");
  EXPECT_EQ(record.lots(0).deadline(), "2024-04-06");
  EXPECT_EQ(FormatAmount(FiguresOn("2024-03-07").recovered_fen), "2000.00");
  EXPECT_EQ(Record<pb::UnidentifiedRecord>(Table::kUnidentified, "U1").unclaimed_fen(), 0);
  EXPECT_EQ(Global().suspense_fen(), 0);
  EXPECT_EQ(Global().cases_fen(), 200000);
  EXPECT_EQ(Reject(Claim("2024-03-07", "U1", std::nullopt)), "INSUFFICIENT_FUNDS");
}

TEST_F(EngineSuspenseTest, ClaimInPartsAndOverTheRest) {
  Accept(OpenCase("2024-03-01", kCase));
  Accept(OpenCase("2024-03-01", kCase2));
  Accept(Unidentified("2024-03-05", "2000.00", "U1"));
  EXPECT_EQ(Accept(Claim("2024-03-06", "U1", "500.00", kCase)).outcome.amount_fen(), 50000);
  EXPECT_EQ(Reject(Claim("2024-03-06", "U1", "1500.01", kCase2)), "INSUFFICIENT_FUNDS");
  // What is left: 2000.00 − 500.00 = 1500.00.
  EXPECT_EQ(Accept(Claim("2024-03-06", "U1", std::nullopt, kCase2)).outcome.amount_fen(), 150000);
  EXPECT_EQ(FormatAmount(FiguresOn("2024-03-06", kCase).recovered_fen), "500.00");
  EXPECT_EQ(FormatAmount(FiguresOn("2024-03-06", kCase2).recovered_fen), "1500.00");
}

TEST_F(EngineSuspenseTest, ClaimErrors) {
  Accept(OpenCase("2024-03-01", kCase));
  Accept(OpenCase("2024-03-01", kCase2));
  Accept(Close("2024-03-02", "withdrawn", kCase2));
  Accept(Unidentified("2024-03-05", "2000.00", "U1"));
  EXPECT_EQ(Reject(Claim("2024-03-06", "U9", std::nullopt)), "UNKNOWN_REFERENCE");
  EXPECT_EQ(Reject(Claim("2024-03-06", "U1", std::nullopt, kUnknownCase)), "UNKNOWN_CASE");
  EXPECT_EQ(Reject(Claim("2024-03-06", "U1", std::nullopt, kCase2)), "CASE_CLOSED");
  EXPECT_EQ(Reject(Claim("2024-03-06", "U1", "0")), "INVALID_ARGUMENT");
  EXPECT_EQ(Reject(Claim("2024-03-04", "U1", std::nullopt)), "INVALID_ARGUMENT");  // backdated
}

TEST_F(EngineSuspenseTest, RefundUnidentified) {
  Accept(Unidentified("2024-03-05", "2000.00", "U1"));
  Accept(Cmd("2024-03-06", "refund_unidentified",
             R"({"bank_ref": "U1", "payee": "某某", "amount": "500.00",
                 "refund_bank_ref": "R1", "reason": "无法认领"})"));
  EXPECT_EQ(Record<pb::UnidentifiedRecord>(Table::kUnidentified, "U1").unclaimed_fen(), 150000);
  EXPECT_EQ(Global().suspense_fen(), 150000);
  EXPECT_EQ(Global().bank_fen(), 150000);
  auto refund = [&](std::string_view bank_ref, std::string_view amount,
                    std::string_view refund_ref) {
    return Cmd("2024-03-06", "refund_unidentified",
               std::string(R"({"bank_ref": ")") + std::string(bank_ref) + R"(", "payee": "某某",
                   "amount": ")" +
                   std::string(amount) + R"(", "refund_bank_ref": ")" + std::string(refund_ref) +
                   R"(", "reason": "无法认领"})");
  };
  EXPECT_EQ(Reject(refund("U1", "1500.01", "R2")), "INSUFFICIENT_FUNDS");
  EXPECT_EQ(Reject(refund("U9", "1.00", "R2")), "UNKNOWN_REFERENCE");
  EXPECT_EQ(Reject(refund("U1", "1.00", "R1")), "DUPLICATE_BANK_REF");
  EXPECT_EQ(Reject(refund("U1", "1.000", "R2")), "INVALID_ARGUMENT");
  Accept(refund("U1", "1500.00", "R2"));
  EXPECT_EQ(Global().bank_fen(), 0);
}

TEST_F(EngineSuspenseTest, ReversedUnidentifiedReceiptCannotBeClaimedOrRefunded) {
  Accept(OpenCase("2024-03-01"));
  Accept(CmdId("u-1", "2024-03-05", "unidentified_receipt",
               R"({"amount": "2000.00", "bank_ref": "U1"})"));
  Accept(Reverse("2024-03-05", "u-1"));
  EXPECT_EQ(Reject(Claim("2024-03-06", "U1", std::nullopt)), "INVALID_STATE");
  EXPECT_EQ(Reject(Cmd("2024-03-06", "refund_unidentified",
                       R"({"bank_ref": "U1", "payee": "某某", "amount": "1.00",
                           "refund_bank_ref": "R1", "reason": "x"})")),
            "INVALID_STATE");
}

// ---------------------------------------------------------------------------------------
// hold, release_hold

TEST_F(EngineHoldTest, ApproverMustDifferFromOperator) {
  Accept(OpenCase("2024-03-01"));
  Accept(Receipt("2024-03-01", "1000.00", "B1"));
  EXPECT_EQ(Reject(Hold("2024-03-02", "H1", "100.00", kClerk)), "NOT_PERMITTED");
}

TEST_F(EngineHoldTest, DuplicateHoldId) {
  Accept(OpenCase("2024-03-01"));
  Accept(Receipt("2024-03-01", "1000.00", "B1"));
  Accept(Hold("2024-03-02", "H1", "100.00"));
  EXPECT_EQ(Reject(Hold("2024-03-02", "H1", "100.00")), "DUPLICATE_ID");
}

TEST_F(EngineHoldTest, DefaultHoldsAllAvailableAndThenNothingIsLeft) {
  Accept(OpenCase("2024-03-01"));
  Accept(Receipt("2024-03-01", "1000.00", "B1"));
  Accept(Receipt("2024-03-05", "500.00", "B2"));
  const Decision hold = Accept(Hold("2024-03-06", "H1", std::nullopt));
  EXPECT_EQ(hold.outcome.amount_fen(), 150000);  // 1000.00 + 500.00
  const CaseFigures figures = FiguresOn("2024-03-06");
  EXPECT_EQ(FormatAmount(figures.held_fen), "1500.00");
  EXPECT_EQ(FormatAmount(figures.available_fen), "0.00");
  EXPECT_EQ(FormatAmount(figures.balance_fen), "1500.00");
  EXPECT_EQ(Reject(Hold("2024-03-06", "H2", std::nullopt)), "INSUFFICIENT_FUNDS");
  EXPECT_EQ(Reject(Hold("2024-03-06", "H2", "0.01")), "INSUFFICIENT_FUNDS");
}

TEST_F(EngineHoldTest, HoldErrors) {
  Accept(OpenCase("2024-03-01"));
  Accept(Receipt("2024-03-01", "1000.00", "B1"));
  EXPECT_EQ(Reject(Hold("2024-03-02", "H1", "1000.01")), "INSUFFICIENT_FUNDS");
  EXPECT_EQ(Reject(Hold("2024-03-02", "H1", "0")), "INVALID_ARGUMENT");
  EXPECT_EQ(Reject(Cmd("2024-03-02", "hold",
                       R"({"hold_id": "H1", "case_no": "(2024)甘0102执1号", "ground": "whim",
                           "approved_by": "clerk.li"})")),
            "INVALID_ARGUMENT");
  EXPECT_EQ(Reject(Cmd("2024-03-02", "hold",
                       R"({"hold_id": "H1", "case_no": "(2024)甘0102执999号",
                           "ground": "frozen", "approved_by": "clerk.li"})")),
            "UNKNOWN_CASE");
}

TEST_F(EngineHoldTest, HoldOnAClosedCaseIsCaseClosed) {
  Accept(OpenCase("2024-03-01"));
  Accept(Close("2024-03-02", "withdrawn"));
  EXPECT_EQ(Reject(Hold("2024-03-03", "H1", std::nullopt)), "CASE_CLOSED");
}

TEST_F(EngineHoldTest, HeldMoneyCannotBePaidAndIsNeverOverdue) {
  Accept(OpenCase("2024-03-01"));
  Accept(Receipt("2024-03-01", "1000.00", "B1"));  // deadline 03-31
  Accept(Hold("2024-03-02", "H1", std::nullopt));
  EXPECT_EQ(Reject(Request("2024-03-03", "D1", "0.01")), "INSUFFICIENT_FUNDS");
  EXPECT_EQ(Reject(Outflow("2024-03-03", "refund", "0.01", "O1")), "INSUFFICIENT_FUNDS");
  EXPECT_EQ(Reject(Outflow("2024-03-03", "pay_costs", "0.01", "O1")), "INSUFFICIENT_FUNDS");
  EXPECT_EQ(Reject(Cmd("2024-03-03", "charge_fee", R"({"case_no": "(2024)甘0102执1号"})")),
            "INSUFFICIENT_FUNDS");
  EXPECT_EQ(Reject(Close("2024-03-03")), "INVALID_STATE");
  const CaseFigures later = FiguresOn("2024-05-01");
  EXPECT_EQ(FormatAmount(later.overdue_fen), "0.00");
  EXPECT_FALSE(later.oldest_overdue_since.has_value());
  // Held money still counts as unpaid over one year: 2025-03-02 > 2024-03-01 + 12 months.
  EXPECT_EQ(FormatAmount(FiguresOn("2025-03-02").unpaid_over_one_year_fen), "1000.00");
}

TEST_F(EngineHoldTest, HoldTakesTheOldestFreeMoney) {
  Accept(OpenCase("2024-03-01"));
  Accept(Receipt("2024-03-01", "1000.00", "B1"));  // lot 1, deadline 03-31
  Accept(Receipt("2024-03-05", "500.00", "B2"));   // lot 2, deadline 04-04
  Accept(Hold("2024-03-06", "H1", "1200.00"));     // all of lot 1, 200.00 of lot 2
  // On 04-01 lot 1 is past its deadline but held; on 04-05 lot 2's free 300.00 is overdue.
  EXPECT_EQ(FormatAmount(FiguresOn("2024-04-01").overdue_fen), "0.00");
  const CaseFigures figures = FiguresOn("2024-04-05");
  EXPECT_EQ(FormatAmount(figures.overdue_fen), "300.00");
  EXPECT_EQ(figures.oldest_overdue_since, Day("2024-04-05"));
}

TEST_F(EngineHoldTest, ReleaseKeepsALaterDeadline) {
  Accept(OpenCase("2024-03-01"));
  Accept(Receipt("2024-03-01", "1000.00", "B1"));  // deadline 03-31
  Accept(Hold("2024-03-02", "H1", std::nullopt));
  Accept(Cmd("2024-03-05", "release_hold", R"({"hold_id": "H1"})"));
  // max(03-31, 03-05 + 10 = 03-15) = 03-31.
  EXPECT_EQ(FormatAmount(FiguresOn("2024-03-31").overdue_fen), "0.00");
  const CaseFigures figures = FiguresOn("2024-04-01");
  EXPECT_EQ(FormatAmount(figures.overdue_fen), "1000.00");
  EXPECT_EQ(figures.oldest_overdue_since, Day("2024-04-01"));
  EXPECT_EQ(FormatAmount(figures.held_fen), "0.00");
  EXPECT_TRUE(Record<pb::HoldRecord>(Table::kHold, "H1").released());
}

TEST_F(EngineHoldTest, ReleaseLateGivesTenMoreDays) {
  Accept(OpenCase("2024-03-01"));
  Accept(Receipt("2024-03-01", "1000.00", "B1"));  // deadline 03-31
  Accept(Hold("2024-03-02", "H1", "400.00"));
  Accept(Cmd("2024-03-25", "release_hold", R"({"hold_id": "H1"})"));
  // The freed 400.00: max(03-31, 03-25 + 10 = 04-04) = 04-04; the other 600.00 keeps 03-31.
  CaseFigures figures = FiguresOn("2024-04-04");
  EXPECT_EQ(FormatAmount(figures.overdue_fen), "600.00");
  EXPECT_EQ(figures.oldest_overdue_since, Day("2024-04-01"));
  figures = FiguresOn("2024-04-05");
  EXPECT_EQ(FormatAmount(figures.overdue_fen), "1000.00");
  EXPECT_EQ(figures.oldest_overdue_since, Day("2024-04-01"));
  // The freed part stays as old as its lot: a request takes it after nothing older.
  EXPECT_EQ(FormatAmount(FiguresOn("2024-04-05").available_fen), "1000.00");
}

TEST_F(EngineHoldTest, ReleaseAlone) {
  Accept(OpenCase("2024-03-01"));
  Accept(Receipt("2024-03-01", "1000.00", "B1"));  // deadline 03-31
  Accept(Hold("2024-03-02", "H1", std::nullopt));
  Accept(Cmd("2024-03-25", "release_hold", R"({"hold_id": "H1"})"));
  // max(03-31, 04-04) = 04-04: not overdue on 04-04, overdue from 04-05.
  EXPECT_EQ(FormatAmount(FiguresOn("2024-04-04").overdue_fen), "0.00");
  const CaseFigures figures = FiguresOn("2024-04-05");
  EXPECT_EQ(FormatAmount(figures.overdue_fen), "1000.00");
  EXPECT_EQ(figures.oldest_overdue_since, Day("2024-04-05"));
}

TEST_F(EngineHoldTest, ReleaseErrors) {
  Accept(OpenCase("2024-03-01"));
  Accept(Receipt("2024-03-01", "1000.00", "B1"));
  Accept(Hold("2024-03-05", "H1", std::nullopt));
  EXPECT_EQ(Reject(Cmd("2024-03-06", "release_hold", R"({"hold_id": "H9"})")), "UNKNOWN_REFERENCE");
  EXPECT_EQ(Reject(Cmd("2024-03-04", "release_hold", R"({"hold_id": "H1"})")),
            "INVALID_ARGUMENT");  // before the hold
  Accept(Cmd("2024-03-06", "release_hold", R"({"hold_id": "H1"})"));
  EXPECT_EQ(Reject(Cmd("2024-03-07", "release_hold", R"({"hold_id": "H1"})")), "INVALID_STATE");
}

// ---------------------------------------------------------------------------------------
// request, approve, confirm, fail disbursement

TEST_F(EngineDisbursementTest, RequestApproveConfirmPaysTheCreditor) {
  Accept(OpenCase("2024-03-01"));
  Accept(Receipt("2024-03-01", "1000.00", "B1"));
  Accept(Request("2024-03-02", "D1", "600.00"));
  auto record = Record<pb::DisbursementRecord>(Table::kDisbursement, "D1");
  EXPECT_EQ(record.status(), pb::DISBURSEMENT_STATUS_REQUESTED);
  EXPECT_EQ(record.account(), kCreditorAccount);  // the creditor's account by default
  CaseFigures figures = FiguresOn("2024-03-02");
  EXPECT_EQ(FormatAmount(figures.pending_fen), "600.00");
  EXPECT_EQ(FormatAmount(figures.available_fen), "400.00");
  Accept(Approve("2024-03-02", "D1"));
  EXPECT_EQ(Record<pb::DisbursementRecord>(Table::kDisbursement, "D1").approved_by(), kChecker);
  // The inbound reference B1 does not block an outbound B1.
  const Decision confirm = Accept(Confirm("2024-03-03", "D1", "B1"));
  ASSERT_EQ(confirm.entry.postings_size(), 2);
  EXPECT_EQ(confirm.entry.postings(1).account(), "bank");
  EXPECT_EQ(confirm.entry.postings(1).amount_fen(), -60000);
  figures = FiguresOn("2024-03-03");
  EXPECT_EQ(FormatAmount(figures.disbursed_fen), "600.00");
  EXPECT_EQ(FormatAmount(figures.pending_fen), "0.00");
  EXPECT_EQ(FormatAmount(figures.balance_fen), "400.00");  // 1000.00 − 600.00
  EXPECT_EQ(FormatAmount(figures.recovered_fen), "1000.00");
  EXPECT_EQ(Record<pb::DisbursementRecord>(Table::kDisbursement, "D1").status(),
            pb::DISBURSEMENT_STATUS_CONFIRMED);
}

TEST_F(EngineDisbursementTest, RequestErrors) {
  Accept(OpenCase("2024-03-01"));
  Accept(Receipt("2024-03-01", "1000.00", "B1"));
  EXPECT_EQ(Reject(Request("2024-03-02", "D1", "10.00", "d1")), "UNKNOWN_REFERENCE");  // debtor
  EXPECT_EQ(Reject(Request("2024-03-02", "D1", "10.00", "nobody")), "UNKNOWN_REFERENCE");
  EXPECT_EQ(Reject(Request("2024-03-02", "D1", "10.00", "c1", kUnknownCase)), "UNKNOWN_CASE");
  EXPECT_EQ(Reject(Request("2024-03-02", "D1", "1000.01")), "INSUFFICIENT_FUNDS");
  EXPECT_EQ(Reject(Request("2024-03-02", "D1", "0")), "INVALID_ARGUMENT");
  Accept(Request("2024-03-02", "D1", "600.00", "c2"));
  EXPECT_EQ(Reject(Request("2024-03-02", "D1", "10.00")), "DUPLICATE_ID");
  // 400.00 is left once D1 reserves 600.00.
  EXPECT_EQ(Reject(Request("2024-03-02", "D2", "400.01")), "INSUFFICIENT_FUNDS");
  Accept(Cmd("2024-03-02", "request_disbursement",
             R"({"disbursement_id": "D2", "case_no": "(2024)甘0102执1号", "payee": "c1",
                 "amount": "400.00", "account": "6222999900001111"})"));
  EXPECT_EQ(Record<pb::DisbursementRecord>(Table::kDisbursement, "D2").account(),
            "6222999900001111");
  EXPECT_EQ(Reject(Request("2024-03-02", "D3", "0.01")), "INSUFFICIENT_FUNDS");
}

TEST_F(EngineDisbursementTest, ApproveErrors) {
  Accept(OpenCase("2024-03-01"));
  Accept(Receipt("2024-03-01", "1000.00", "B1"));
  Accept(Request("2024-03-02", "D1", "600.00"));
  EXPECT_EQ(Reject(Approve("2024-03-02", "D1", kClerk)), "NOT_PERMITTED");
  EXPECT_EQ(Reject(Approve("2024-03-02", "D9")), "UNKNOWN_REFERENCE");
  Accept(Approve("2024-03-02", "D1"));
  EXPECT_EQ(Reject(Approve("2024-03-02", "D1", "clerk.zhao")), "INVALID_STATE");
}

TEST_F(EngineDisbursementTest, ConfirmErrors) {
  Accept(OpenCase("2024-03-01"));
  Accept(Receipt("2024-03-01", "1000.00", "B1"));
  Accept(Outflow("2024-03-01", "pay_costs", "100.00", "P1"));
  Accept(Request("2024-03-02", "D1", "600.00"));
  EXPECT_EQ(Reject(Confirm("2024-03-02", "D1", "P2")), "INVALID_STATE");  // not approved
  EXPECT_EQ(Reject(Confirm("2024-03-02", "D9", "P2")), "UNKNOWN_REFERENCE");
  Accept(Approve("2024-03-02", "D1"));
  EXPECT_EQ(Reject(Confirm("2024-03-02", "D1", "P1")), "DUPLICATE_BANK_REF");
  EXPECT_EQ(Reject(Confirm("2024-03-01", "D1", "P2")), "INVALID_ARGUMENT");  // backdated
  Accept(Confirm("2024-03-02", "D1", "P2"));
  EXPECT_EQ(Reject(Confirm("2024-03-02", "D1", "P3")), "INVALID_STATE");
  EXPECT_EQ(Reject(Cmd("2024-03-02", "fail_disbursement",
                       R"({"disbursement_id": "D1", "reason": "退回"})")),
            "INVALID_STATE");
}

TEST_F(EngineDisbursementTest, FailFreesTheMoneyKeepingItsDeadlines) {
  Accept(OpenCase("2024-03-01"));
  Accept(Receipt("2024-03-01", "1000.00", "B1"));  // deadline 03-31
  Accept(Request("2024-03-02", "D1", "1000.00"));
  // Reserved money is payable, so it is overdue once past its deadline.
  EXPECT_EQ(FormatAmount(FiguresOn("2024-04-01").overdue_fen), "1000.00");
  Accept(Approve("2024-03-03", "D1"));
  EXPECT_EQ(Reject(Cmd("2024-03-25", "fail_disbursement", R"({"disbursement_id": "D9",
                                                              "reason": "账户错误"})")),
            "UNKNOWN_REFERENCE");
  Accept(
      Cmd("2024-03-25", "fail_disbursement", R"({"disbursement_id": "D1", "reason": "账户错误"})"));
  EXPECT_EQ(Record<pb::DisbursementRecord>(Table::kDisbursement, "D1").status(),
            pb::DISBURSEMENT_STATUS_FAILED);
  EXPECT_EQ(FormatAmount(FiguresOn("2024-03-31").overdue_fen), "0.00");
  const CaseFigures figures = FiguresOn("2024-04-01");
  EXPECT_EQ(FormatAmount(figures.available_fen), "1000.00");
  EXPECT_EQ(FormatAmount(figures.pending_fen), "0.00");
  EXPECT_EQ(FormatAmount(figures.overdue_fen), "1000.00");  // still 03-31, not 03-25 + anything
  EXPECT_EQ(figures.oldest_overdue_since, Day("2024-04-01"));
  EXPECT_EQ(Reject(Cmd("2024-03-26", "fail_disbursement",
                       R"({"disbursement_id": "D1", "reason": "again"})")),
            "INVALID_STATE");
  EXPECT_EQ(Reject(Approve("2024-03-26", "D1")), "INVALID_STATE");
}

// ---------------------------------------------------------------------------------------
// charge_fee, remit_fees

TEST_F(EngineFeeTest, DefaultChargesTheFeeDue) {
  Accept(OpenCase("2024-03-01", kCase, "500000.00"));
  Accept(Receipt("2024-03-01", "10000.00", "B1"));
  EXPECT_EQ(FormatAmount(FiguresOn("2024-03-01").fee_due_fen), "7400.00");
  // fee(500,000) = 50 + (500,000 − 10,000) × 1.5% = 50 + 7,350 = 7,400.00
  const Decision charge =
      Accept(Cmd("2024-03-02", "charge_fee", R"({"case_no": "(2024)甘0102执1号"})"));
  EXPECT_EQ(charge.outcome.amount_fen(), 740000);
  const CaseFigures figures = FiguresOn("2024-03-02");
  EXPECT_EQ(FormatAmount(figures.fees_fen), "7400.00");
  EXPECT_EQ(FormatAmount(figures.fee_due_fen), "0.00");
  EXPECT_EQ(FormatAmount(figures.balance_fen), "2600.00");  // 10,000 − 7,400
  EXPECT_EQ(Global().fees_fen(), 740000);
  EXPECT_EQ(Reject(Cmd("2024-03-02", "charge_fee", R"({"case_no": "(2024)甘0102执1号"})")),
            "INVALID_STATE");
  EXPECT_EQ(Reject(Cmd("2024-03-02", "charge_fee",
                       R"({"case_no": "(2024)甘0102执1号", "amount": "1.00"})")),
            "INVALID_ARGUMENT");  // more than the 0.00 still due
}

TEST_F(EngineFeeTest, GivenAmountUpToTheFeeDue) {
  Accept(OpenCase("2024-03-01", kCase, "500000.00"));
  Accept(Receipt("2024-03-01", "10000.00", "B1"));
  EXPECT_EQ(Reject(Cmd("2024-03-02", "charge_fee",
                       R"({"case_no": "(2024)甘0102执1号", "amount": "7400.01"})")),
            "INVALID_ARGUMENT");
  Accept(Cmd("2024-03-02", "charge_fee", R"({"case_no": "(2024)甘0102执1号", "amount": "400"})"));
  EXPECT_EQ(FormatAmount(FiguresOn("2024-03-02").fee_due_fen), "7000.00");  // 7,400 − 400
  EXPECT_EQ(Accept(Cmd("2024-03-02", "charge_fee", R"({"case_no": "(2024)甘0102执1号"})"))
                .outcome.amount_fen(),
            700000);
}

TEST_F(EngineFeeTest, MoreThanAvailableIsInsufficientFunds) {
  Accept(OpenCase("2024-03-01", kCase, "500000.00"));
  Accept(Receipt("2024-03-01", "100.00", "B1"));
  EXPECT_EQ(Reject(Cmd("2024-03-02", "charge_fee", R"({"case_no": "(2024)甘0102执1号"})")),
            "INSUFFICIENT_FUNDS");
  EXPECT_EQ(Reject(Cmd("2024-03-02", "charge_fee", R"({"case_no": "(2024)甘0102执999号"})")),
            "UNKNOWN_CASE");
  Accept(Cmd("2024-03-02", "charge_fee", R"({"case_no": "(2024)甘0102执1号", "amount": "100"})"));
}

TEST_F(EngineFeeTest, ClaimOfZeroIsCharged50To500Explicitly) {
  Accept(OpenCase("2024-03-01", kCase, "0"));
  Accept(Receipt("2024-03-01", "1000.00", "B1"));
  auto charge = [&](std::string_view amount) {
    return Cmd("2024-03-02", "charge_fee",
               R"({"case_no": "(2024)甘0102执1号", "amount": ")" + std::string(amount) + R"("})");
  };
  EXPECT_EQ(Reject(Cmd("2024-03-02", "charge_fee", R"({"case_no": "(2024)甘0102执1号"})")),
            "INVALID_STATE");  // fee(0) = 0: nothing due without an amount
  EXPECT_EQ(Reject(charge("49.99")), "INVALID_ARGUMENT");
  EXPECT_EQ(Reject(charge("500.01")), "INVALID_ARGUMENT");
  Accept(charge("50.00"));
  EXPECT_EQ(Reject(charge("450.01")), "INVALID_ARGUMENT");  // 50.00 + 450.01 > 500.00
  Accept(charge("450.00"));
  EXPECT_EQ(FormatAmount(FiguresOn("2024-03-02").fees_fen), "500.00");
}

// SPEC §7 Fee: a preservation case (执保) bears no enforcement fee.
TEST_F(EngineFeeTest, PreservationCaseBearsNoFee) {
  const std::string preservation = "(2024)甘0102执保1号";
  Accept(OpenCase("2024-03-01", preservation, "500000.00"));
  Accept(Receipt("2024-03-01", "10000.00", "B1", preservation));
  // By the brackets fee(500,000) would be 7,400.00; a 执保 case's fee is 0, so:
  // fee 0, fee_due 0, outstanding = 500,000 + 0 − 10,000 = 490,000.00.
  const CaseFigures figures = FiguresOn("2024-03-01", preservation);
  EXPECT_EQ(FormatAmount(figures.fee_fen), "0.00");
  EXPECT_EQ(FormatAmount(figures.fee_due_fen), "0.00");
  EXPECT_EQ(FormatAmount(figures.outstanding_fen), "490000.00");
  const std::string charge = R"({"case_no": ")" + preservation + R"("})";
  EXPECT_EQ(Reject(Cmd("2024-03-02", "charge_fee", charge)), "INVALID_STATE");
  EXPECT_NE(last_error_.message().find("preservation"), std::string::npos) << last_error_.message();
  EXPECT_EQ(Reject(Cmd("2024-03-02", "charge_fee",
                       R"({"case_no": ")" + preservation + R"(", "amount": "50.00"})")),
            "INVALID_STATE");
  EXPECT_EQ(Global().fees_fen(), 0);
}

TEST_F(EngineFeeTest, RemitFeesToTheTreasury) {
  Accept(OpenCase("2024-03-01", kCase, "500000.00"));
  Accept(Receipt("2024-03-01", "10000.00", "B1"));
  Accept(Cmd("2024-03-02", "charge_fee", R"({"case_no": "(2024)甘0102执1号"})"));
  const Decision remit =
      Accept(Cmd("2024-03-03", "remit_fees", R"({"amount": "7000.00", "bank_ref": "F1"})"));
  ASSERT_EQ(remit.entry.postings_size(), 2);
  EXPECT_EQ(Global().fees_fen(), 40000);   // 7,400 − 7,000
  EXPECT_EQ(Global().bank_fen(), 300000);  // 10,000 − 7,000
  EXPECT_EQ(Reject(Cmd("2024-03-03", "remit_fees", R"({"amount": "400.01", "bank_ref": "F2"})")),
            "INSUFFICIENT_FUNDS");
  EXPECT_EQ(Reject(Cmd("2024-03-03", "remit_fees", R"({"amount": "1.00", "bank_ref": "F1"})")),
            "DUPLICATE_BANK_REF");
  EXPECT_EQ(Reject(Cmd("2024-03-03", "remit_fees", R"({"amount": "0", "bank_ref": "F2"})")),
            "INVALID_ARGUMENT");
  // remit_fees touches no case: it is checked against the latest on in the whole ledger.
  EXPECT_EQ(Reject(Cmd("2024-03-02", "remit_fees", R"({"amount": "1.00", "bank_ref": "F2"})")),
            "INVALID_ARGUMENT");
}

// ---------------------------------------------------------------------------------------
// pay_costs, refund, remit_treasury

TEST_F(EngineOutflowTest, EachOutflowLeavesTheBankAndCountsInItsFigure) {
  Accept(OpenCase("2024-03-01"));
  Accept(Receipt("2024-03-01", "1000.00", "B1"));
  Accept(Outflow("2024-03-02", "pay_costs", "100.00", "O1"));
  Accept(Outflow("2024-03-02", "refund", "200.00", "O2"));
  Accept(Outflow("2024-03-02", "remit_treasury", "300.00", "O3"));
  const CaseFigures figures = FiguresOn("2024-03-02");
  EXPECT_EQ(FormatAmount(figures.costs_fen), "100.00");
  EXPECT_EQ(FormatAmount(figures.refunded_fen), "200.00");
  EXPECT_EQ(FormatAmount(figures.remitted_fen), "300.00");
  EXPECT_EQ(FormatAmount(figures.recovered_fen), "800.00");  // 1000 − 200 refunded
  EXPECT_EQ(FormatAmount(figures.balance_fen), "400.00");    // 1000 − 100 − 200 − 300
  EXPECT_EQ(Global().bank_fen(), 40000);
}

TEST_F(EngineOutflowTest, OutflowErrors) {
  Accept(OpenCase("2024-03-01", kCase));
  Accept(OpenCase("2024-03-01", kCase2));
  Accept(Close("2024-03-01", "withdrawn", kCase2));
  Accept(Receipt("2024-03-01", "1000.00", "B1"));
  Accept(Outflow("2024-03-02", "refund", "100.00", "O1"));
  for (const char* op : {"pay_costs", "refund", "remit_treasury"}) {
    EXPECT_EQ(Reject(Outflow("2024-03-02", op, "900.01", "O9")), "INSUFFICIENT_FUNDS") << op;
    EXPECT_EQ(Reject(Outflow("2024-03-02", op, "1.00", "O1")), "DUPLICATE_BANK_REF") << op;
    EXPECT_EQ(Reject(Outflow("2024-03-02", op, "1.00", "O9", kUnknownCase)), "UNKNOWN_CASE") << op;
    EXPECT_EQ(Reject(Outflow("2024-03-02", op, "1.00", "O9", kCase2)), "CASE_CLOSED") << op;
    EXPECT_EQ(Reject(Outflow("2024-03-02", op, "-1.00", "O9")), "INVALID_ARGUMENT") << op;
    EXPECT_EQ(Reject(Outflow("2024-02-29", op, "1.00", "O9")), "INVALID_ARGUMENT") << op;
  }
  Accept(Outflow("2024-03-02", "remit_treasury", "900.00", "O9"));
}

TEST_F(EngineOutflowTest, OutflowsTakeTheOldestFreeMoney) {
  Accept(OpenCase("2024-03-01"));
  Accept(Receipt("2024-03-01", "1000.00", "B1"));  // deadline 03-31
  Accept(Receipt("2024-03-10", "1000.00", "B2"));  // deadline 04-09
  Accept(Outflow("2024-03-11", "refund", "1500.00", "O1"));
  // Lot 1 is gone, 500.00 of lot 2 is left.
  EXPECT_EQ(FormatAmount(FiguresOn("2024-04-01").overdue_fen), "0.00");
  const CaseFigures figures = FiguresOn("2024-04-10");
  EXPECT_EQ(FormatAmount(figures.overdue_fen), "500.00");
  EXPECT_EQ(figures.oldest_overdue_since, Day("2024-04-10"));
}

// ---------------------------------------------------------------------------------------
// lodge, pay_lodgment

TEST_F(EngineLodgmentTest, LodgeMovesMoneyToLodgment) {
  Accept(OpenCase("2024-03-01"));
  Accept(Receipt("2024-03-01", "1000.00", "B1"));
  const Decision lodge = Accept(Cmd("2024-03-05", "lodge",
                                    R"({"lodgment_id": "L1", "case_no": "(2024)甘0102执1号",
                                        "payee": "c1", "amount": "600.00", "ground": "refused"})"));
  ASSERT_EQ(lodge.entry.postings_size(), 2);
  const CaseFigures figures = FiguresOn("2024-03-05");
  EXPECT_EQ(FormatAmount(figures.lodged_fen), "600.00");
  EXPECT_EQ(FormatAmount(figures.balance_fen), "400.00");
  EXPECT_EQ(Global().lodgment_fen(), 60000);
  EXPECT_EQ(Global().bank_fen(), 100000);  // lodged money stays in the bank
}

TEST_F(EngineLodgmentTest, LodgeErrors) {
  Accept(OpenCase("2024-03-01"));
  Accept(Receipt("2024-03-01", "1000.00", "B1"));
  auto lodge = [&](std::string_view id, std::string_view payee, std::string_view amount,
                   std::string_view ground = "refused") {
    return Cmd("2024-03-05", "lodge",
               std::string(R"({"lodgment_id": ")") + std::string(id) +
                   R"(", "case_no": "(2024)甘0102执1号", "payee": ")" + std::string(payee) +
                   R"(", "amount": ")" + std::string(amount) + R"(", "ground": ")" +
                   std::string(ground) + R"("})");
  };
  EXPECT_EQ(Reject(lodge("L1", "d1", "1.00")), "UNKNOWN_REFERENCE");
  EXPECT_EQ(Reject(lodge("L1", "c1", "1000.01")), "INSUFFICIENT_FUNDS");
  EXPECT_EQ(Reject(lodge("L1", "c1", "1.00", "bored")), "INVALID_ARGUMENT");
  Accept(lodge("L1", "c1", "100.00"));
  EXPECT_EQ(Reject(lodge("L1", "c2", "1.00")), "DUPLICATE_ID");
}

TEST_F(EngineLodgmentTest, TreasuryOnlyAfterFiveYearsAndThePayeeOnlyBefore) {
  Accept(OpenCase("2024-03-01"));
  Accept(Receipt("2024-03-01", "1000.00", "B1"));
  Accept(Cmd("2024-03-05", "lodge",
             R"({"lodgment_id": "L1", "case_no": "(2024)甘0102执1号", "payee": "c1",
                 "amount": "600.00", "ground": "missing"})"));
  auto pay = [&](std::string_view on, std::string_view amount, std::string_view bank_ref,
                 std::string_view to, std::string_view id = "L1") {
    return Cmd(on, "pay_lodgment",
               std::string(R"({"lodgment_id": ")") + std::string(id) + R"(", "amount": ")" +
                   std::string(amount) + R"(", "bank_ref": ")" + std::string(bank_ref) +
                   R"(", "to": ")" + std::string(to) + R"("})");
  };
  // lodged on 2024-03-05: + 5 years = 2029-03-05; the treasury only when on > 2029-03-05.
  EXPECT_EQ(Reject(pay("2024-04-01", "100.00", "PL1", "treasury")), "INVALID_STATE");
  EXPECT_EQ(Reject(pay("2024-04-01", "100.00", "PL1", "payee", "L9")), "UNKNOWN_REFERENCE");
  EXPECT_EQ(Reject(pay("2024-04-01", "100.00", "PL1", "court")), "INVALID_ARGUMENT");
  EXPECT_EQ(Reject(pay("2024-04-01", "600.01", "PL1", "payee")), "INSUFFICIENT_FUNDS");
  Accept(pay("2024-04-01", "100.00", "PL1", "payee"));
  EXPECT_EQ(Reject(pay("2024-04-02", "100.00", "PL1", "payee")), "DUPLICATE_BANK_REF");
  EXPECT_EQ(Global().lodgment_fen(), 50000);
  EXPECT_EQ(Global().bank_fen(), 90000);
  Accept(pay("2029-03-05", "100.00", "PL2", "payee"));  // the last day for the payee
  EXPECT_EQ(Reject(pay("2029-03-05", "100.00", "PL3", "treasury")), "INVALID_STATE");
  EXPECT_EQ(Reject(pay("2029-03-06", "100.00", "PL3", "payee")), "INVALID_STATE");
  EXPECT_EQ(Reject(pay("2029-03-06", "400.01", "PL3", "treasury")), "INSUFFICIENT_FUNDS");
  Accept(pay("2029-03-06", "400.00", "PL3", "treasury"));
  EXPECT_EQ(Global().lodgment_fen(), 0);
  EXPECT_EQ(Record<pb::LodgmentRecord>(Table::kLodgment, "L1").paid_fen(), 60000);
}

// ---------------------------------------------------------------------------------------
// reverse

TEST_F(EngineReverseTest, ReceiptReversedOnceAndItsBankRefRecordedAgain) {
  Accept(OpenCase("2024-03-01", kCase));
  Accept(OpenCase("2024-03-01", kCase2));
  Accept(CmdId("rcpt-1", "2024-03-05", "receipt",
               R"({"case_no": "(2024)甘0102执1号", "amount": "1000.00", "bank_ref": "B1",
                   "source": "debtor_payment"})"));
  const Decision reversal = Accept(Reverse("2024-03-06", "rcpt-1"));
  ASSERT_EQ(reversal.entry.postings_size(), 2);
  CaseFigures figures = FiguresOn("2024-03-06");
  EXPECT_EQ(FormatAmount(figures.recovered_fen), "0.00");
  EXPECT_EQ(FormatAmount(figures.balance_fen), "0.00");
  EXPECT_EQ(Global().bank_fen(), 0);
  EXPECT_EQ(Reject(Reverse("2024-03-06", "rcpt-1")), "INVALID_STATE");
  // The correction: the same bank reference booked to the right case.
  Accept(Receipt("2024-03-06", "1000.00", "B1", kCase2));
  EXPECT_EQ(FormatAmount(FiguresOn("2024-03-06", kCase2).recovered_fen), "1000.00");
  EXPECT_EQ(Reject(Receipt("2024-03-06", "1000.00", "B1", kCase)), "DUPLICATE_BANK_REF");
}

TEST_F(EngineReverseTest, ReceiptWhoseMoneyIsNoLongerFreeIsInsufficientFunds) {
  Accept(OpenCase("2024-03-01"));
  Accept(CmdId("rcpt-1", "2024-03-05", "receipt",
               R"({"case_no": "(2024)甘0102执1号", "amount": "1000.00", "bank_ref": "B1",
                   "source": "debtor_payment"})"));
  Accept(Request("2024-03-06", "D1", "600.00"));
  EXPECT_EQ(Reject(Reverse("2024-03-06", "rcpt-1")), "INSUFFICIENT_FUNDS");
  Accept(Cmd("2024-03-06", "fail_disbursement", R"({"disbursement_id": "D1", "reason": "x"})"));
  Accept(Hold("2024-03-06", "H1", "0.01"));
  EXPECT_EQ(Reject(Reverse("2024-03-06", "rcpt-1")), "INSUFFICIENT_FUNDS");  // never held money
  Accept(Cmd("2024-03-07", "release_hold", R"({"hold_id": "H1"})"));
  Accept(Reverse("2024-03-07", "rcpt-1"));
}

TEST_F(EngineReverseTest, ReceiptTakesItsOwnLotThenTheNewestFreeMoney) {
  Accept(OpenCase("2024-03-01"));
  Accept(CmdId("rcpt-a", "2024-03-01", "receipt",
               R"({"case_no": "(2024)甘0102执1号", "amount": "1000.00", "bank_ref": "BA",
                   "source": "debtor_payment"})"));         // lot 1, deadline 03-31
  Accept(Receipt("2024-03-05", "1000.00", "BB"));           // lot 2, deadline 04-04
  Accept(Receipt("2024-03-06", "1000.00", "BC"));           // lot 3, deadline 04-05
  Accept(Outflow("2024-03-06", "refund", "800.00", "O1"));  // lot 1: 200.00 left
  Accept(Reverse("2024-03-07", "rcpt-a"));
  // 1000.00 = lot 1's 200.00, then 800.00 of the newest (lot 3): lot 2 untouched.
  const pb::CaseRecord record = CaseOf();
  ASSERT_EQ(record.lots_size(), 2);
  EXPECT_EQ(record.lots(0).deadline(), "2024-04-04");
  EXPECT_EQ(record.lots(0).free_fen(), 100000);
  EXPECT_EQ(record.lots(1).deadline(), "2024-04-05");
  EXPECT_EQ(record.lots(1).free_fen(), 20000);
  EXPECT_EQ(FormatAmount(FiguresOn("2024-03-07").recovered_fen), "1200.00");  // 3000−1000−800
}

TEST_F(EngineReverseTest, ClaimReturnsTheMoneyToSuspense) {
  Accept(OpenCase("2024-03-01", kCase));
  Accept(OpenCase("2024-03-01", kCase2));
  Accept(Unidentified("2024-03-05", "2000.00", "U1"));
  Accept(CmdId("claim-1", "2024-03-06", "claim",
               R"({"bank_ref": "U1", "case_no": "(2024)甘0102执1号", "amount": "1500.00"})"));
  Accept(Reverse("2024-03-07", "claim-1"));
  EXPECT_EQ(Record<pb::UnidentifiedRecord>(Table::kUnidentified, "U1").unclaimed_fen(), 200000);
  EXPECT_EQ(FormatAmount(FiguresOn("2024-03-07").recovered_fen), "0.00");
  EXPECT_EQ(Global().suspense_fen(), 200000);
  EXPECT_EQ(Reject(Reverse("2024-03-07", "claim-1")), "INVALID_STATE");
  EXPECT_EQ(Accept(Claim("2024-03-07", "U1", std::nullopt, kCase2)).outcome.amount_fen(), 200000);
}

TEST_F(EngineReverseTest, UnidentifiedReceiptOnlyWhileWhollyUnclaimed) {
  Accept(OpenCase("2024-03-01"));
  Accept(CmdId("u-1", "2024-03-05", "unidentified_receipt",
               R"({"amount": "2000.00", "bank_ref": "U1"})"));
  Accept(CmdId("claim-1", "2024-03-05", "claim",
               R"({"bank_ref": "U1", "case_no": "(2024)甘0102执1号", "amount": "1.00"})"));
  EXPECT_EQ(Reject(Reverse("2024-03-05", "u-1")), "INVALID_STATE");
  Accept(Reverse("2024-03-05", "claim-1"));
  Accept(Reverse("2024-03-05", "u-1"));
  EXPECT_EQ(Global().suspense_fen(), 0);
  EXPECT_EQ(Global().bank_fen(), 0);
  // The reversed reference may be recorded again, here as the receipt it really was.
  Accept(Receipt("2024-03-05", "2000.00", "U1"));
}

TEST_F(EngineReverseTest, ConfirmedDisbursementReturnsAsANewLotDatedByTheReversal) {
  Accept(OpenCase("2024-03-01"));
  Accept(Receipt("2024-03-01", "1000.00", "B1"));
  Accept(Request("2024-03-02", "D1", "1000.00"));
  Accept(Approve("2024-03-02", "D1"));
  Accept(CmdId("pay-1", "2024-03-02", "confirm_disbursement",
               R"({"disbursement_id": "D1", "bank_ref": "P1"})"));
  Accept(Reverse("2024-03-20", "pay-1", "RET1"));
  EXPECT_EQ(Record<pb::DisbursementRecord>(Table::kDisbursement, "D1").status(),
            pb::DISBURSEMENT_STATUS_RETURNED);
  const pb::CaseRecord record = CaseOf();
  ASSERT_EQ(record.lots_size(), 1);
  EXPECT_EQ(record.lots(0).date(), "2024-03-20");
  EXPECT_EQ(record.lots(0).deadline(), "2024-04-19");  // 03-20 + 30
  CaseFigures figures = FiguresOn("2024-04-19");
  EXPECT_EQ(FormatAmount(figures.disbursed_fen), "0.00");
  EXPECT_EQ(FormatAmount(figures.balance_fen), "1000.00");
  EXPECT_EQ(FormatAmount(figures.overdue_fen), "0.00");
  figures = FiguresOn("2024-04-20");
  EXPECT_EQ(FormatAmount(figures.overdue_fen), "1000.00");
  EXPECT_EQ(figures.oldest_overdue_since, Day("2024-04-20"));
  // The return's reference is now taken inbound; the payment's outbound P1 is free again.
  EXPECT_EQ(Reject(Receipt("2024-03-20", "1.00", "RET1")), "DUPLICATE_BANK_REF");
  Accept(Outflow("2024-03-20", "pay_costs", "1.00", "P1"));
  EXPECT_EQ(Reject(Reverse("2024-03-20", "pay-1", "RET2")), "INVALID_STATE");
}

TEST_F(EngineReverseTest, ConfirmedDisbursementOfAClosedCaseReturnsToSuspense) {
  Accept(OpenCase("2024-03-01"));
  Accept(Receipt("2024-03-01", "1000.00", "B1"));
  Accept(Request("2024-03-02", "D1", "1000.00"));
  Accept(Approve("2024-03-02", "D1"));
  Accept(CmdId("pay-1", "2024-03-02", "confirm_disbursement",
               R"({"disbursement_id": "D1", "bank_ref": "P1"})"));
  Accept(Close("2024-03-03"));
  EXPECT_EQ(Reject(Reverse("2024-03-10", "pay-1")), "INVALID_ARGUMENT");  // no return reference
  Accept(Reverse("2024-03-10", "pay-1", "RET1"));
  const auto suspense = Record<pb::UnidentifiedRecord>(Table::kUnidentified, "RET1");
  EXPECT_EQ(suspense.unclaimed_fen(), 100000);
  EXPECT_EQ(suspense.case_no(), kCase);
  EXPECT_EQ(Global().suspense_fen(), 100000);
  EXPECT_EQ(FormatAmount(FiguresOn("2024-03-10").balance_fen), "0.00");
  EXPECT_EQ(CaseOf().status(), pb::CASE_STATUS_CLOSED);
}

TEST_F(EngineReverseTest, ChargeFeeUnlessRemitted) {
  Accept(OpenCase("2024-03-01", kCase, "500000.00"));
  Accept(Receipt("2024-03-01", "10000.00", "B1"));
  Accept(CmdId("fee-1", "2024-03-02", "charge_fee", R"({"case_no": "(2024)甘0102执1号"})"));
  Accept(Reverse("2024-03-03", "fee-1"));
  CaseFigures figures = FiguresOn("2024-03-03");
  EXPECT_EQ(FormatAmount(figures.fees_fen), "0.00");
  EXPECT_EQ(FormatAmount(figures.fee_due_fen), "7400.00");
  EXPECT_EQ(FormatAmount(figures.balance_fen), "10000.00");
  EXPECT_EQ(Global().fees_fen(), 0);
  Accept(CmdId("fee-2", "2024-03-04", "charge_fee", R"({"case_no": "(2024)甘0102执1号"})"));
  Accept(Cmd("2024-03-05", "remit_fees", R"({"amount": "7000.00", "bank_ref": "F1"})"));
  EXPECT_EQ(Reject(Reverse("2024-03-05", "fee-2")), "INSUFFICIENT_FUNDS");
}

TEST_F(EngineReverseTest, CaseOutflowsComeBackAsNewLots) {
  Accept(OpenCase("2024-03-01"));
  Accept(Receipt("2024-03-01", "1000.00", "B1"));
  Accept(CmdId("costs-1", "2024-03-02", "pay_costs",
               R"({"case_no": "(2024)甘0102执1号", "payee": "评估公司", "amount": "100.00",
                   "bank_ref": "O1", "reason": "评估费"})"));
  Accept(CmdId("refund-1", "2024-03-02", "refund",
               R"({"case_no": "(2024)甘0102执1号", "payee": "张某某", "amount": "200.00",
                   "bank_ref": "O2", "reason": "多付"})"));
  Accept(CmdId("fine-1", "2024-03-02", "remit_treasury",
               R"({"case_no": "(2024)甘0102执1号", "amount": "300.00", "bank_ref": "O3",
                   "reason": "罚金"})"));
  // The return's inbound reference may not be one already recorded inbound.
  EXPECT_EQ(Reject(Reverse("2024-03-10", "costs-1", "B1")), "DUPLICATE_BANK_REF");
  Accept(Reverse("2024-03-10", "costs-1", "RET1"));
  Accept(Reverse("2024-03-10", "refund-1"));
  Accept(Reverse("2024-03-10", "fine-1"));
  const CaseFigures figures = FiguresOn("2024-03-10");
  EXPECT_EQ(FormatAmount(figures.costs_fen), "0.00");
  EXPECT_EQ(FormatAmount(figures.refunded_fen), "0.00");
  EXPECT_EQ(FormatAmount(figures.remitted_fen), "0.00");
  EXPECT_EQ(FormatAmount(figures.recovered_fen), "1000.00");
  EXPECT_EQ(FormatAmount(figures.balance_fen), "1000.00");
  // 400.00 left of the receipt's lot (deadline 03-31) + three lots dated 03-10 (deadline 04-09).
  const CaseFigures later = FiguresOn("2024-04-01");
  EXPECT_EQ(FormatAmount(later.overdue_fen), "400.00");
  EXPECT_EQ(FormatAmount(FiguresOn("2024-04-10").overdue_fen), "1000.00");
  int returned_lots = 0;
  const pb::CaseRecord record = CaseOf();
  for (const auto& lot : record.lots()) returned_lots += lot.date() == "2024-03-10" ? 1 : 0;
  EXPECT_EQ(returned_lots, 3);
}

TEST_F(EngineReverseTest, RefundOfAClosedCaseIsCaseClosed) {
  Accept(OpenCase("2024-03-01"));
  Accept(Receipt("2024-03-01", "1000.00", "B1"));
  Accept(CmdId("refund-1", "2024-03-02", "refund",
               R"({"case_no": "(2024)甘0102执1号", "payee": "张某某", "amount": "1000.00",
                   "bank_ref": "O1", "reason": "撤回"})"));
  Accept(Close("2024-03-03", "withdrawn"));
  EXPECT_EQ(Reject(Reverse("2024-03-04", "refund-1")), "CASE_CLOSED");
}

TEST_F(EngineReverseTest, LodgmentWhileNothingOfItIsPaid) {
  Accept(OpenCase("2024-03-01"));
  Accept(Receipt("2024-03-01", "1000.00", "B1"));
  Accept(CmdId("lodge-1", "2024-03-02", "lodge",
               R"({"lodgment_id": "L1", "case_no": "(2024)甘0102执1号", "payee": "c1",
                   "amount": "600.00", "ground": "unreachable"})"));
  Accept(CmdId("lodge-2", "2024-03-02", "lodge",
               R"({"lodgment_id": "L2", "case_no": "(2024)甘0102执1号", "payee": "c2",
                   "amount": "400.00", "ground": "unreachable"})"));
  Accept(Cmd("2024-03-03", "pay_lodgment",
             R"({"lodgment_id": "L2", "amount": "0.01", "bank_ref": "PL1", "to": "payee"})"));
  EXPECT_EQ(Reject(Reverse("2024-03-04", "lodge-2")), "INVALID_STATE");
  Accept(Reverse("2024-03-04", "lodge-1"));
  EXPECT_EQ(FormatAmount(FiguresOn("2024-03-04").lodged_fen), "400.00");
  EXPECT_EQ(FormatAmount(FiguresOn("2024-03-04").balance_fen), "600.00");
  EXPECT_EQ(Global().lodgment_fen(), 39999);
  EXPECT_EQ(Reject(Cmd("2024-03-05", "pay_lodgment",
                       R"({"lodgment_id": "L1", "amount": "1.00", "bank_ref": "PL2",
                           "to": "payee"})")),
            "INVALID_STATE");
}

TEST_F(EngineReverseTest, NonReversibleEntriesAndUnknownTargets) {
  Accept(CmdId("open-1", "2024-03-01", "open_case", OpenCaseBody(kCase)));
  Accept(Receipt("2024-03-01", "1000.00", "B1"));
  Accept(CmdId("hold-1", "2024-03-02", "hold",
               R"({"hold_id": "H1", "case_no": "(2024)甘0102执1号", "amount": "1.00",
                   "ground": "other", "approved_by": "clerk.li"})"));
  Accept(CmdId("release-1", "2024-03-02", "release_hold", R"({"hold_id": "H1"})"));
  Accept(CmdId("req-1", "2024-03-02", "request_disbursement",
               R"({"disbursement_id": "D1", "case_no": "(2024)甘0102执1号", "payee": "c1",
                   "amount": "1.00"})"));
  Accept(CmdId("remit-1", "2024-03-02", "unidentified_receipt",
               R"({"amount": "5.00", "bank_ref": "U1"})"));
  Accept(CmdId("refund-u-1", "2024-03-02", "refund_unidentified",
               R"({"bank_ref": "U1", "payee": "某某", "amount": "5.00",
                   "refund_bank_ref": "R1", "reason": "退回"})"));
  for (const char* target : {"open-1", "hold-1", "release-1", "req-1", "refund-u-1"}) {
    EXPECT_EQ(Reject(Reverse("2024-03-03", target)), "INVALID_STATE") << target;
  }
  EXPECT_EQ(Reject(Reverse("2024-03-03", "no-such-request")), "UNKNOWN_REFERENCE");
  // A reversal is not itself reversible.
  Accept(CmdId("costs-1", "2024-03-03", "pay_costs",
               R"({"case_no": "(2024)甘0102执1号", "payee": "x", "amount": "1.00",
                   "bank_ref": "O1", "reason": "x"})"));
  Accept(CmdId("undo-1", "2024-03-03", "reverse",
               R"({"target_request_id": "costs-1", "reason": "误付"})"));
  EXPECT_EQ(Reject(Reverse("2024-03-03", "undo-1")), "INVALID_STATE");
  // Nor can it be dated before the entry it reverses.
  Accept(CmdId("costs-2", "2024-03-05", "pay_costs",
               R"({"case_no": "(2024)甘0102执1号", "payee": "x", "amount": "1.00",
                   "bank_ref": "O2", "reason": "x"})"));
  EXPECT_EQ(Reject(Reverse("2024-03-04", "costs-2")), "INVALID_ARGUMENT");
}

// ---------------------------------------------------------------------------------------
// close_case

TEST_F(EngineCloseTest, ClosesAnEmptyCaseOnce) {
  Accept(OpenCase("2024-03-01"));
  Accept(Receipt("2024-03-01", "1000.00", "B1"));
  EXPECT_EQ(Reject(Close("2024-03-02")), "INVALID_STATE");  // money in the account
  Accept(Request("2024-03-02", "D1", "1000.00"));
  EXPECT_EQ(Reject(Close("2024-03-02")), "INVALID_STATE");  // pending
  Accept(Approve("2024-03-02", "D1"));
  Accept(Confirm("2024-03-02", "D1", "P1"));
  Accept(Close("2024-03-03"));
  const pb::CaseRecord record = CaseOf();
  EXPECT_EQ(record.status(), pb::CASE_STATUS_CLOSED);
  EXPECT_EQ(record.mode(), pb::CLOSURE_MODE_FULLY_PERFORMED);
  EXPECT_EQ(record.closed_on(), "2024-03-03");
  EXPECT_EQ(Reject(Close("2024-03-04", "withdrawn")), "CASE_CLOSED");
}

TEST_F(EngineCloseTest, CloseErrors) {
  Accept(OpenCase("2024-03-01"));
  EXPECT_EQ(Reject(Close("2024-03-02", "gave_up")), "INVALID_ARGUMENT");
  EXPECT_EQ(Reject(Close("2024-03-02", "withdrawn", kUnknownCase)), "UNKNOWN_CASE");
  EXPECT_EQ(Reject(Close("2024-02-29", "withdrawn")), "INVALID_ARGUMENT");  // before filing
}

TEST_F(EngineCloseTest, TerminatedThisRoundNeedsMoreThanThreeMonths) {
  const std::string body = R"({"case_no": "(2024)甘0102执1号", "claim": "100.00",
      "creditors": [{"party_id": "c1", "name": "甲"}],
      "debtors": [{"party_id": "d1", "name": "乙", "minor": true}]})";
  Accept(Cmd("2024-01-31", "open_case", body));
  // 2024-01-31 + 3 months = 2024-04-30 (clamped); on must be after it.
  EXPECT_EQ(Reject(Close("2024-04-30", "terminated_this_round")), "INVALID_STATE");
  Accept(Close("2024-05-01", "terminated_this_round"));
}

TEST_F(EngineCloseTest, TerminatedThisRoundNeedsEveryAdultDebtorListedOrRestricted) {
  Accept(OpenCase("2024-01-31"));  // debtor d1 is an adult, neither listed nor restricted
  EXPECT_EQ(Reject(Close("2024-06-01", "terminated_this_round")), "INVALID_STATE");
  Accept(Close("2024-06-01", "terminated"));
}

// ---------------------------------------------------------------------------------------
// idempotency

TEST_F(EngineIdempotencyTest, SameBodyReturnsTheStoredResult) {
  const std::string line = CmdId("open-17", "2024-03-01", "open_case", OpenCaseBody(kCase));
  const Decision first = Accept(line);
  Accept(Receipt("2024-03-02", "10.00", "B1"));
  const Decision again = Accept(line);
  EXPECT_TRUE(first.created);
  EXPECT_FALSE(again.created);
  EXPECT_EQ(again.seq, first.seq);
  EXPECT_EQ(again.outcome.account_no(), first.outcome.account_no());
  EXPECT_EQ(next_seq_, 3u);
}

TEST_F(EngineIdempotencyTest, ReplayIgnoresTheCurrentState) {
  Accept(OpenCase("2024-03-01"));
  const std::string line = CmdId("rcpt-1", "2024-03-02", "receipt",
                                 R"({"case_no": "(2024)甘0102执1号", "amount": "7",
                                     "bank_ref": "B1", "source": "other"})");
  const Decision first = Accept(line);
  Accept(Outflow("2024-03-03", "refund", "7.00", "O1"));
  Accept(Close("2024-03-04", "withdrawn"));
  // The case is closed and the date is behind it, yet the same request returns its result.
  const Decision again = Accept(line);
  EXPECT_FALSE(again.created);
  EXPECT_EQ(again.seq, first.seq);
}

TEST_F(EngineIdempotencyTest, KeyOrderAndSpacingDoNotMatter) {
  Accept(OpenCase("2024-03-01"));
  Accept(R"({"request_id": "rcpt-1", "operator": "clerk.wang", "on": "2024-03-02",
             "receipt": {"case_no": "(2024)甘0102执1号", "amount": "7.00", "bank_ref": "B1",
                         "source": "other"}})");
  const Decision again =
      Accept(R"({"receipt":{"source":"other","bank_ref":"B1","amount":"7.00",)"
             R"("case_no":"(2024)甘0102执1号"},"on":"2024-03-02","operator":"clerk.wang",)"
             R"("request_id":"rcpt-1"})");
  EXPECT_FALSE(again.created);
}

TEST_F(EngineIdempotencyTest, DifferentBodyIsAConflict) {
  Accept(OpenCase("2024-03-01"));
  Accept(CmdId("rcpt-1", "2024-03-02", "receipt",
               R"({"case_no": "(2024)甘0102执1号", "amount": "7", "bank_ref": "B1",
                   "source": "other"})"));
  // "7" and "7.00" are different bodies.
  EXPECT_EQ(Reject(CmdId("rcpt-1", "2024-03-02", "receipt",
                         R"({"case_no": "(2024)甘0102执1号", "amount": "7.00", "bank_ref": "B1",
                             "source": "other"})")),
            "IDEMPOTENCY_CONFLICT");
  // So are another operator, another date and another operation.
  EXPECT_EQ(Reject(CmdId("rcpt-1", "2024-03-02", "receipt",
                         R"({"case_no": "(2024)甘0102执1号", "amount": "7", "bank_ref": "B1",
                             "source": "other"})",
                         kChecker)),
            "IDEMPOTENCY_CONFLICT");
  EXPECT_EQ(Reject(CmdId("rcpt-1", "2024-03-03", "receipt",
                         R"({"case_no": "(2024)甘0102执1号", "amount": "7", "bank_ref": "B1",
                             "source": "other"})")),
            "IDEMPOTENCY_CONFLICT");
  EXPECT_EQ(Reject(CmdId("rcpt-1", "2024-03-02", "close_case",
                         R"({"case_no": "(2024)甘0102执1号", "mode": "withdrawn"})")),
            "IDEMPOTENCY_CONFLICT");
  // The conflict comes before the rules: this body would also be an unknown case.
  EXPECT_EQ(Reject(CmdId("rcpt-1", "2024-03-02", "receipt",
                         R"({"case_no": "(2024)甘0102执999号", "amount": "7", "bank_ref": "B1",
                             "source": "other"})")),
            "IDEMPOTENCY_CONFLICT");
}

TEST_F(EngineIdempotencyTest, RejectedRequestIdMayBeRetried) {
  const std::string receipt = CmdId("rcpt-1", "2024-03-02", "receipt",
                                    R"({"case_no": "(2024)甘0102执1号", "amount": "7.00",
                                        "bank_ref": "B1", "source": "other"})");
  EXPECT_EQ(Reject(receipt), "UNKNOWN_CASE");
  Accept(OpenCase("2024-03-01"));
  EXPECT_TRUE(Accept(receipt).created);
}

// ---------------------------------------------------------------------------------------
// dates: backdating and the future

TEST_F(EngineDateTest, BeforeTheCasesLatestEntryIsInvalidArgument) {
  Accept(OpenCase("2024-03-01", kCase));
  Accept(OpenCase("2024-03-01", kCase2));
  Accept(Receipt("2024-03-10", "10.00", "B1", kCase));
  EXPECT_EQ(Reject(Receipt("2024-03-09", "10.00", "B2", kCase)), "INVALID_ARGUMENT");
  EXPECT_NE(last_error_.message().find("on:"), std::string::npos) << last_error_.message();
  Accept(Receipt("2024-03-10", "10.00", "B2", kCase));  // the same day is fine
  // Another case has its own latest date.
  Accept(Receipt("2024-03-05", "10.00", "B3", kCase2));
  // Entries that touch no case are checked against the whole ledger.
  EXPECT_EQ(Reject(Unidentified("2024-03-09", "1.00", "U1")), "INVALID_ARGUMENT");
  // open_case touches only its own new case, which has no earlier date (SPEC §1).
  Accept(OpenCase("2024-03-09", "(2024)甘0102执3号"));
}

TEST_F(EngineDateTest, SuspenseOnlyCommandsAreCheckedAgainstTheWholeLedger) {
  // A refund of suspense money and the reversal of an unidentified receipt touch no case:
  // SPEC §1 checks them against the latest `on` anywhere (here 03-10), not the receipt's.
  Accept(OpenCase("2024-03-01"));
  Accept(CmdId("u1", "2024-03-02", "unidentified_receipt",
               R"({"amount": "10.00", "bank_ref": "U1"})"));
  Accept(Receipt("2024-03-10", "10.00", "B1"));
  EXPECT_EQ(Reject(Cmd("2024-03-09", "refund_unidentified",
                       R"({"bank_ref": "U1", "payee": "某某", "amount": "1.00",
                           "refund_bank_ref": "R1", "reason": "退回"})")),
            "INVALID_ARGUMENT");
  EXPECT_EQ(Reject(Reverse("2024-03-09", "u1")), "INVALID_ARGUMENT");
  Accept(Reverse("2024-03-10", "u1"));
}

TEST_F(EngineDateTest, ReversingAReceiptOfAClosedCaseFindsNoFunds) {
  // The case paid everything out and closed: a reversal would take money out of an empty
  // account, which is INSUFFICIENT_FUNDS (CASE_CLOSED is for money moving in).
  Accept(OpenCase("2024-03-01"));
  Accept(CmdId("rcpt", "2024-03-02", "receipt",
               R"({"case_no": "(2024)甘0102执1号", "amount": "10.00", "bank_ref": "B1",
                   "source": "other"})"));
  Accept(Outflow("2024-03-03", "refund", "10.00", "R1"));
  Accept(Close("2024-03-04"));
  EXPECT_EQ(Reject(Reverse("2024-03-05", "rcpt")), "INSUFFICIENT_FUNDS");
}

TEST_F(EngineDateTest, BackdateAllowance) {
  rules_.backdate_allowance_days = 2;
  Accept(OpenCase("2024-03-01"));
  Accept(Receipt("2024-03-10", "10.00", "B1"));
  Accept(Receipt("2024-03-08", "10.00", "B2"));
  EXPECT_EQ(Reject(Receipt("2024-03-07", "10.00", "B3")), "INVALID_ARGUMENT");
}

TEST_F(EngineDateTest, AfterTodayIsInvalidArgument) {
  today_ = Day("2024-03-05");
  Accept(OpenCase("2024-03-01"));
  EXPECT_EQ(Reject(Receipt("2024-03-06", "10.00", "B1")), "INVALID_ARGUMENT");
  Accept(Receipt("2024-03-05", "10.00", "B1"));
}

TEST_F(EngineDateTest, FutureAllowance) {
  today_ = Day("2024-03-05");
  rules_.future_allowance_days = 1;
  Accept(OpenCase("2024-03-01"));
  Accept(Receipt("2024-03-06", "10.00", "B1"));
  EXPECT_EQ(Reject(Receipt("2024-03-07", "10.00", "B2")), "INVALID_ARGUMENT");
}

TEST_F(EngineDateTest, MalformedEnvelopeIsInvalidArgument) {
  EXPECT_EQ(Reject(Cmd("2024-02-30", "open_case", OpenCaseBody(kCase))), "INVALID_ARGUMENT");
  EXPECT_EQ(Reject(Cmd("2024-3-1", "open_case", OpenCaseBody(kCase))), "INVALID_ARGUMENT");
  EXPECT_EQ(Reject(CmdId("", "2024-03-01", "open_case", OpenCaseBody(kCase))), "INVALID_ARGUMENT");
  EXPECT_EQ(Reject(Cmd("2024-03-01", "open_case", OpenCaseBody(kCase), "")), "INVALID_ARGUMENT");
  EXPECT_EQ(Reject(R"({"request_id": "x", "operator": "a", "on": "2024-03-01"})"),
            "INVALID_ARGUMENT");  // no operation
  EXPECT_EQ(Reject(R"({"request_id": "x", "on": "2024-03-01",)"
                   R"( "close_case": {"case_no": "(2024)甘0102执1号", "mode": "withdrawn"}})"),
            "INVALID_ARGUMENT");  // no operator
}

// ---------------------------------------------------------------------------------------
// figures

TEST_F(EngineFiguresTest, OverdueMoneyAndItsOldestSince) {
  Accept(OpenCase("2024-03-01"));
  Accept(Receipt("2024-03-01", "1000.00", "B1"));  // deadline 03-01 + 30 = 03-31
  Accept(Receipt("2024-03-10", "500.00", "B2"));   // deadline 03-10 + 30 = 04-09
  CaseFigures figures = FiguresOn("2024-03-31");   // a deadline is not yet passed on its day
  EXPECT_EQ(FormatAmount(figures.overdue_fen), "0.00");
  EXPECT_FALSE(figures.oldest_overdue_since.has_value());
  figures = FiguresOn("2024-04-01");
  EXPECT_EQ(FormatAmount(figures.overdue_fen), "1000.00");
  EXPECT_EQ(figures.oldest_overdue_since, Day("2024-04-01"));  // deadline + 1
  figures = FiguresOn("2024-04-10");
  EXPECT_EQ(FormatAmount(figures.overdue_fen), "1500.00");
  EXPECT_EQ(figures.oldest_overdue_since, Day("2024-04-01"));
  // Paying out the oldest money leaves the younger lot alone.
  Accept(Request("2024-03-11", "D1", "1000.00"));
  Accept(Approve("2024-03-11", "D1"));
  Accept(Confirm("2024-03-11", "D1", "P1"));
  figures = FiguresOn("2024-04-10");
  EXPECT_EQ(FormatAmount(figures.overdue_fen), "500.00");
  EXPECT_EQ(figures.oldest_overdue_since, Day("2024-04-10"));
}

TEST_F(EngineFiguresTest, UnpaidOverOneYear) {
  Accept(OpenCase("2024-03-01"));
  Accept(Receipt("2024-03-01", "1000.00", "B1"));
  Accept(Receipt("2024-03-10", "500.00", "B2"));
  // D > lot date + 12 months: 2025-03-01 is not after 2024-03-01 + 12 months.
  EXPECT_EQ(FormatAmount(FiguresOn("2025-03-01").unpaid_over_one_year_fen), "0.00");
  EXPECT_EQ(FormatAmount(FiguresOn("2025-03-02").unpaid_over_one_year_fen), "1000.00");
  EXPECT_EQ(FormatAmount(FiguresOn("2025-03-11").unpaid_over_one_year_fen), "1500.00");
}

TEST_F(EngineFiguresTest, OutstandingAndFeeDue) {
  Accept(Cmd("2024-03-01", "open_case",
             R"({"case_no": "(2024)甘0102执1号", "claim": "100000.00",
                 "ordinary_interest": "1000.00",
                 "creditors": [{"party_id": "c1", "name": "甲"}],
                 "debtors": [{"party_id": "d1", "name": "乙"}]})"));
  Accept(Receipt("2024-03-01", "30000.00", "B1"));
  const CaseFigures figures = FiguresOn("2024-03-01");
  // fee(100,000) = 50 + 90,000 × 1.5% = 1,400.00
  EXPECT_EQ(FormatAmount(figures.fee_fen), "1400.00");
  EXPECT_EQ(FormatAmount(figures.fee_due_fen), "1400.00");
  // 100,000 + 1,000 + 1,400 − 30,000 = 72,400.00
  EXPECT_EQ(FormatAmount(figures.outstanding_fen), "72400.00");
}

TEST_F(EngineFiguresTest, PostingsOfEveryEntrySumToZero) {
  Accept(OpenCase("2024-03-01"));
  Accept(Receipt("2024-03-01", "10000.00", "B1"));
  Accept(Unidentified("2024-03-01", "300.00", "U1"));
  Accept(Claim("2024-03-01", "U1", "100.00"));
  Accept(Cmd("2024-03-02", "charge_fee", R"({"case_no": "(2024)甘0102执1号", "amount": "50"})"));
  Accept(Cmd("2024-03-02", "remit_fees", R"({"amount": "50.00", "bank_ref": "F1"})"));
  Accept(Outflow("2024-03-02", "pay_costs", "1.00", "O1"));
  Accept(Cmd("2024-03-02", "lodge",
             R"({"lodgment_id": "L1", "case_no": "(2024)甘0102执1号", "payee": "c2",
                 "amount": "10.00", "ground": "dispute"})"));
  Accept(Cmd("2024-03-02", "pay_lodgment",
             R"({"lodgment_id": "L1", "amount": "10.00", "bank_ref": "PL1", "to": "payee"})"));
  Accept(Request("2024-03-02", "D1", "5000.00"));
  Accept(Approve("2024-03-02", "D1"));
  Accept(Confirm("2024-03-02", "D1", "P1"));
  ASSERT_EQ(state_.entries().size(), 12u);
  Fen bank = 0;
  for (const auto& [seq, bytes] : state_.entries()) {
    const pb::Entry entry = EntryAt(seq);
    Fen sum = 0;
    for (const auto& posting : entry.postings()) {
      sum += posting.amount_fen();
      if (posting.account() == "bank") bank += posting.amount_fen();
    }
    EXPECT_EQ(sum, 0) << "entry " << seq;
  }
  // 10,000 + 300 − 50 − 1 − 10 − 5,000 = 5,239.00 in the bank.
  EXPECT_EQ(FormatAmount(bank), "5239.00");
  EXPECT_EQ(Global().bank_fen(), 523900);
  // Case: 10,000 + 100 − 50 − 1 − 10 − 5,000 = 5,039.00; suspense 200.00.
  EXPECT_EQ(FormatAmount(FiguresOn("2024-03-02").balance_fen), "5039.00");
  EXPECT_EQ(Global().suspense_fen(), 20000);
}

// ---------------------------------------------------------------------------------------
// the error-order rule: the first error in the table's order

TEST_F(EngineErrorOrderTest, FirstErrorInTableOrder) {
  Accept(OpenCase("2024-03-01", kCase));
  Accept(OpenCase("2024-03-01", kCase2));
  Accept(Receipt("2024-03-01", "100.00", "B1"));
  Accept(Outflow("2024-03-01", "refund", "1.00", "O1"));
  Accept(Close("2024-03-01", "withdrawn", kCase2));
  // INVALID_ARGUMENT before UNKNOWN_CASE.
  EXPECT_EQ(Reject(Receipt("2024-03-02", "1e3", "B2", kUnknownCase)), "INVALID_ARGUMENT");
  // UNKNOWN_CASE before DUPLICATE_BANK_REF.
  EXPECT_EQ(Reject(Receipt("2024-03-02", "1.00", "B1", kUnknownCase)), "UNKNOWN_CASE");
  // CASE_CLOSED before DUPLICATE_BANK_REF.
  EXPECT_EQ(Reject(Receipt("2024-03-02", "1.00", "B1", kCase2)), "CASE_CLOSED");
  // DUPLICATE_BANK_REF before INSUFFICIENT_FUNDS.
  EXPECT_EQ(Reject(Outflow("2024-03-02", "refund", "1000.00", "O1")), "DUPLICATE_BANK_REF");
  // UNKNOWN_REFERENCE before DUPLICATE_ID and INSUFFICIENT_FUNDS.
  Accept(Request("2024-03-02", "D1", "1.00"));
  EXPECT_EQ(Reject(Request("2024-03-02", "D1", "1000.00", "nobody")), "UNKNOWN_REFERENCE");
  // DUPLICATE_ID before NOT_PERMITTED and INSUFFICIENT_FUNDS.
  Accept(Hold("2024-03-02", "H1", "1.00"));
  EXPECT_EQ(Reject(Hold("2024-03-02", "H1", "1000.00", kClerk)), "DUPLICATE_ID");
  // NOT_PERMITTED before INSUFFICIENT_FUNDS.
  EXPECT_EQ(Reject(Hold("2024-03-02", "H2", "1000.00", kClerk)), "NOT_PERMITTED");
  // NOT_PERMITTED before INVALID_STATE: the requester approving an already approved request.
  Accept(Approve("2024-03-02", "D1"));
  EXPECT_EQ(Reject(Approve("2024-03-02", "D1", kClerk)), "NOT_PERMITTED");
  // INVALID_ARGUMENT (bad mode) before UNKNOWN_CASE and CASE_CLOSED.
  EXPECT_EQ(Reject(Close("2024-03-02", "gave_up", kUnknownCase)), "INVALID_ARGUMENT");
  EXPECT_EQ(Reject(Close("2024-03-02", "gave_up", kCase2)), "INVALID_ARGUMENT");
}

}  // namespace
}  // namespace caseledger::engine_fixture

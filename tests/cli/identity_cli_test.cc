// Proves, through the real caseledger binary, that no control is dodged by a look-alike
// (issue 15): an approver who differs from the requester only by an invisible character or by
// case is refused, a bank reference cannot be booked twice behind an invisible character, bad ID
// numbers and accounts never reach stdout or stderr, a party id keeps one identity across cases
// (and verify replays that decision), and what reconcile --record makes stays usable.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "core/json.h"
#include "tests/cli/cli_util.h"

namespace caseledger {
namespace {

using cli_test::CliFixture;
using cli_test::CliRun;
using cli_test::Cmd;
using cli_test::ErrorCode;
using cli_test::ErrorMessage;
using cli_test::IsOk;
using cli_test::Str;
using cli_test::WriteFile;

constexpr char kCaseA[] = "(2024)甘0102执1号";
constexpr char kCaseB[] = "(2024)甘0102执2号";
constexpr char kAccount[] = "6222000011112222";

// GB 11643: 17 digits and the check character.
std::string ResidentId(const std::string& first17) {
  constexpr int kWeights[17] = {7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2};
  int sum = 0;
  for (size_t i = 0; i < 17; ++i) sum += (first17[i] - '0') * kWeights[i];
  return first17 + "10X98765432"[sum % 11];
}

std::string OpenCase(const std::string& id, const std::string& case_no,
                     const std::string& debtor_number, const std::string& account = kAccount) {
  return Cmd(id, "2024-03-01",
             R"("open_case":{"case_no":")" + case_no +
                 R"(","claim":"100000","creditors":[{"party_id":"c1","name":"某公司","account":")" +
                 account +
                 R"("}],"debtors":[{"party_id":"d1","name":"张某","id_type":"resident_id",)"
                 R"("id_number":")" +
                 debtor_number + R"("}]})");
}

// No run of 4 bytes of `secret` (ASCII) in `text`.
::testing::AssertionResult NoRunOf4(const std::string& secret, const std::string& text) {
  for (size_t i = 0; i + 4 <= secret.size(); ++i) {
    if (text.find(secret.substr(i, 4)) != std::string::npos) {
      return ::testing::AssertionFailure() << "\"" << secret.substr(i, 4) << "\" is in: " << text;
    }
  }
  return ::testing::AssertionSuccess();
}

class IdentityCliTest : public CliFixture {
 protected:
  std::vector<json::Value> ApplyAll(const std::vector<std::string>& lines, int exit_code) {
    const CliRun run = Apply(lines);
    EXPECT_EQ(run.exit_code, exit_code) << run.out << run.err;
    std::vector<json::Value> results = Results(run);
    EXPECT_EQ(results.size(), lines.size()) << run.out;
    last_ = run;
    return results;
  }
  void ExpectVerifies() {
    const CliRun verify = Run({"--db", db_, "verify"});
    EXPECT_EQ(verify.exit_code, 0) << verify.out << verify.err;
  }
  CliRun last_;
};

TEST_F(IdentityCliTest, ALookAlikeApproverIsRefusedAndSoIsTheSameOneInOtherCase) {
  const std::string resident = ResidentId("62010219800101575");
  const std::vector<json::Value> results = ApplyAll(
      {OpenCase("open-a", kCaseA, resident),
       Cmd("r-1", "2024-03-02",
           R"("receipt":{"case_no":")" + std::string(kCaseA) +
               R"(","amount":"500","bank_ref":"B1","source":"debtor_payment"})"),
       Cmd("req-1", "2024-03-03",
           R"("request_disbursement":{"disbursement_id":"D1","case_no":")" + std::string(kCaseA) +
               R"(","payee":"c1","amount":"100"})",
           "clerk.a"),
       Cmd("app-1", "2024-03-03", R"("approve_disbursement":{"disbursement_id":"D1"})",
           "clerk.a\\u00ad"),
       Cmd("app-2", "2024-03-03", R"("approve_disbursement":{"disbursement_id":"D1"})",
           "clerk.a\\u200d"),
       Cmd("app-3", "2024-03-03", R"("approve_disbursement":{"disbursement_id":"D1"})", "Clerk.A"),
       Cmd("r-2", "2024-03-03",
           R"("receipt":{"case_no":")" + std::string(kCaseA) +
               R"(","amount":"500","bank_ref":"B1\u2060","source":"debtor_payment"})"),
       Cmd("r-3", "2024-03-03",
           R"("receipt":{"case_no":")" + std::string(kCaseA) +
               R"(","amount":"500","bank_ref":"Ｂ1","source":"debtor_payment"})"),
       Cmd("app-4", "2024-03-03", R"("approve_disbursement":{"disbursement_id":"D1"})", "clerk.b")},
      1);
  ASSERT_EQ(results.size(), 9u);
  EXPECT_TRUE(IsOk(results[2]));
  EXPECT_EQ(ErrorCode(results[3]), "INVALID_ARGUMENT");
  EXPECT_NE(ErrorMessage(results[3]).find("U+00AD"), std::string::npos) << ErrorMessage(results[3]);
  EXPECT_NE(ErrorMessage(results[3]).find("printable ASCII"), std::string::npos);
  EXPECT_EQ(ErrorCode(results[4]), "INVALID_ARGUMENT");
  EXPECT_NE(ErrorMessage(results[4]).find("U+200D"), std::string::npos);
  EXPECT_EQ(ErrorCode(results[5]), "NOT_PERMITTED");
  EXPECT_NE(ErrorMessage(results[5]).find("operators are compared ignoring case"),
            std::string::npos)
      << ErrorMessage(results[5]);
  EXPECT_EQ(ErrorCode(results[6]), "INVALID_ARGUMENT");
  EXPECT_NE(ErrorMessage(results[6]).find("receipt.bank_ref"), std::string::npos);
  EXPECT_EQ(ErrorCode(results[7]), "INVALID_ARGUMENT");
  EXPECT_TRUE(IsOk(results[8])) << ErrorMessage(results[8]);
  // The case holds one receipt: the look-alike references booked nothing.
  const CliRun shown = Run({"--db", db_, "--json", "case", kCaseA});
  ASSERT_EQ(shown.exit_code, 0) << shown.err;
  EXPECT_EQ(Str(cli_test::ParseJson(shown.out), "recovered"), "500.00");
  ExpectVerifies();
}

TEST_F(IdentityCliTest, BadIdNumbersAndAccountsNeverReachTheOutput) {
  const std::string resident = ResidentId("62010219800101575");
  const std::vector<std::string> bad_numbers = {
      resident.substr(0, 16) + "\\u0001" + resident.substr(16),    // a control character
      resident + "57",                                             // too long
      resident.substr(0, 17) + (resident[17] == '9' ? "8" : "9"),  // wrong check character
  };
  const std::vector<std::string> bad_accounts = {"6222\\u0001000011112222", "6222 0000 1111 2222",
                                                 std::string(40, '7'), "6222-0000-1111-2222"};
  std::vector<std::string> lines;
  for (size_t i = 0; i < bad_numbers.size(); ++i) {
    lines.push_back(OpenCase("bad-id-" + std::to_string(i), kCaseA, bad_numbers[i]));
  }
  for (size_t i = 0; i < bad_accounts.size(); ++i) {
    lines.push_back(OpenCase("bad-acct-" + std::to_string(i), kCaseA, resident, bad_accounts[i]));
  }
  const std::vector<json::Value> results = ApplyAll(lines, 1);
  for (const json::Value& result : results) EXPECT_EQ(ErrorCode(result), "INVALID_ARGUMENT");
  const std::string output = last_.out + last_.err;
  for (const std::string& number : bad_numbers) {
    EXPECT_TRUE(NoRunOf4(number.substr(0, 16), output));
    EXPECT_TRUE(NoRunOf4(resident, output));
  }
  for (const std::string& account : bad_accounts) {
    EXPECT_TRUE(NoRunOf4(account.substr(0, 4) + account.substr(account.size() - 4), output));
    EXPECT_TRUE(NoRunOf4(account.substr(account.size() - 8), output));
  }
  EXPECT_NE(output.find("personal data and is not shown"), std::string::npos) << output;
}

TEST_F(IdentityCliTest, APartyIdKeepsOneIdentityAndVerifyReplaysIt) {
  const std::string first = ResidentId("62010219800101575");
  const std::string other = ResidentId("62010219800101591");
  const std::vector<json::Value> results =
      ApplyAll({OpenCase("open-a", kCaseA, first), OpenCase("open-b", kCaseB, other),
                OpenCase("open-b2", kCaseB, first)},
               1);
  EXPECT_TRUE(IsOk(results[0]));
  EXPECT_EQ(ErrorCode(results[1]), "INVALID_ARGUMENT");
  EXPECT_NE(ErrorMessage(results[1]).find("party d1"), std::string::npos)
      << ErrorMessage(results[1]);
  EXPECT_TRUE(NoRunOf4(first, last_.out + last_.err));
  EXPECT_TRUE(NoRunOf4(other, last_.out + last_.err));
  EXPECT_TRUE(IsOk(results[2])) << ErrorMessage(results[2]);
  ExpectVerifies();
  // An export replays to the same decisions with no database.
  const CliRun exported =
      Run({"--db", db_, "export", "--format", "jsonl", "-o", (dir_ / "x.jsonl").string()});
  ASSERT_EQ(exported.exit_code, 0) << exported.err;
  const CliRun checked = Run({"verify", "--file", (dir_ / "x.jsonl").string()});
  EXPECT_EQ(checked.exit_code, 0) << checked.out << checked.err;
}

TEST_F(IdentityCliTest, InputDatesOutsideTheRangeAreRefused) {
  today_ = "2199-12-31";
  const std::vector<json::Value> results = ApplyAll(
      {Cmd("u-1", "1949-09-30", R"("unidentified_receipt":{"amount":"1","bank_ref":"U1"})"),
       Cmd("u-2", "1949-10-01",
           R"("unidentified_receipt":{"amount":"1","bank_ref":"U2",)"
           R"("value_date":"1949-09-30"})"),
       Cmd("u-3", "2199-12-31", R"("unidentified_receipt":{"amount":"1","bank_ref":"U3"})")},
      1);
  EXPECT_EQ(ErrorCode(results[0]), "INVALID_ARGUMENT");
  EXPECT_NE(ErrorMessage(results[0]).find("1949-10-01 to 2199-12-31"), std::string::npos)
      << ErrorMessage(results[0]);
  EXPECT_EQ(ErrorCode(results[1]), "INVALID_ARGUMENT");
  EXPECT_NE(ErrorMessage(results[1]).find("unidentified_receipt.value_date"), std::string::npos)
      << ErrorMessage(results[1]);
  EXPECT_TRUE(IsOk(results[2])) << ErrorMessage(results[2]);
  ExpectVerifies();
}

TEST_F(IdentityCliTest, WhatReconcileRecordsIsARequestIdAndATarget) {
  WriteFile(dir_ / "statement.csv",
            "value_date,direction,amount,bank_ref,counterparty,counterparty_account,"
            "virtual_account,memo,balance\n"
            "2024-03-05,in,50.00,B/2403:1,某某,,,,50.00\n");
  const CliRun reconciled =
      Run({"--db", db_, "--json", "reconcile", (dir_ / "statement.csv").string(), "--record"});
  ASSERT_NE(reconciled.exit_code, 2) << reconciled.out << reconciled.err;
  const json::Value report = cli_test::ParseJson(reconciled.out);
  const json::Value* recorded = report.Find("recorded");
  ASSERT_NE(recorded, nullptr) << reconciled.out;
  ASSERT_EQ(recorded->items.size(), 1u) << reconciled.out;
  EXPECT_EQ(Str(recorded->items[0], "request_id"), "reconcile:B/2403:1");
  const std::vector<json::Value> results = ApplyAll(
      {Cmd("rev-1", "2024-03-06",
           R"("reverse":{"target_request_id":"reconcile:B/2403:1","reason":"paid by mistake"})")},
      0);
  EXPECT_TRUE(IsOk(results[0])) << ErrorMessage(results[0]);
  ExpectVerifies();
}

}  // namespace
}  // namespace caseledger

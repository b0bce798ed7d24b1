// Proves the money of the special account outside the cases' creditors (issue 17):
// bank_interest, bank_charge, remit_interest, reimburse_charges and transfer_preserved, their
// errors and reversals, against figures worked by hand, with SPEC §6's invariants (bank =
// cases + suspense + fees + lodged + interest − charges) after every entry and replay at the end.
#include <gtest/gtest.h>

#include <optional>
#include <string>
#include <string_view>

#include "core/figures.h"
#include "core/money.h"
#include "tests/core/engine_fixture.h"

namespace caseledger::engine_fixture {
namespace {

constexpr std::string_view kPreservation = "(2024)甘0102执保1号";

class EngineBankTest : public EngineTest {
 protected:
  // bank_interest, bank_charge: {amount, bank_ref, value_date opt}.
  std::string BankMoney(std::string_view id, std::string_view on, std::string_view op,
                        std::string_view amount, std::string_view bank_ref,
                        std::optional<std::string> value_date = std::nullopt) {
    std::string body = std::string(R"({"amount": ")") + std::string(amount) +
                       R"(", "bank_ref": ")" + std::string(bank_ref) + R"(")";
    if (value_date) body += R"(, "value_date": ")" + *value_date + R"(")";
    return CmdId(id, on, op, body + "}");
  }
  // remit_interest, reimburse_charges: {amount, bank_ref}.
  std::string Remittance(std::string_view on, std::string_view op, std::string_view amount,
                         std::string_view bank_ref) {
    return Cmd(on, op,
               std::string(R"({"amount": ")") + std::string(amount) + R"(", "bank_ref": ")" +
                   std::string(bank_ref) + R"("})");
  }
  std::string Transfer(std::string_view id, std::string_view on, std::optional<std::string> amount,
                       std::string_view from = kPreservation, std::string_view to = kCase) {
    std::string body = std::string(R"({"from_case_no": ")") + std::string(from) +
                       R"(", "to_case_no": ")" + std::string(to) + R"(")";
    if (amount) body += R"(, "amount": ")" + *amount + R"(")";
    return CmdId(id, on, "transfer_preserved", body + "}");
  }
  std::string ReverseId(std::string_view on, std::string_view target) {
    return Reverse(on, target);
  }
};

// ---------------------------------------------------------------------------------------
// bank_interest, remit_interest

TEST_F(EngineBankTest, InterestIsHeldApartAndRemitted) {
  Accept(OpenCase("2024-03-01"));
  Accept(Receipt("2024-03-01", "10000.00", "B1"));
  const std::string interest =
      BankMoney("int-1", "2024-03-21", "bank_interest", "12.34", "I1", "2024-03-20");
  const Decision booked = Accept(interest);
  ASSERT_EQ(booked.entry.postings_size(), 2);
  EXPECT_EQ(booked.entry.postings(0).account(), "bank");
  EXPECT_EQ(booked.entry.postings(0).amount_fen(), 1234);
  EXPECT_EQ(booked.entry.postings(1).account(), "interest");
  EXPECT_EQ(booked.entry.postings(1).amount_fen(), -1234);
  // bank 10,000.00 + 12.34 = 10,012.34 = cases 10,000.00 + interest 12.34.
  EXPECT_EQ(Global().bank_fen(), 1001234);
  EXPECT_EQ(Global().interest_fen(), 1234);
  EXPECT_EQ(Global().cases_fen(), 1000000);
  EXPECT_FALSE(Accept(interest).created);  // the same request again: its stored result

  EXPECT_EQ(Reject(BankMoney("int-2", "2024-03-21", "bank_interest", "1.00", "I1")),
            "DUPLICATE_BANK_REF");
  EXPECT_EQ(Reject(BankMoney("int-2", "2024-03-21", "bank_interest", "1.00", "I2", "2024-03-22")),
            "INVALID_ARGUMENT");  // value date after on
  EXPECT_EQ(Reject(BankMoney("int-2", "2024-03-21", "bank_interest", "0.00", "I2")),
            "INVALID_ARGUMENT");

  // More than the 12.34 held: refused; 10.00 leaves 2.34 (bank 10,002.34).
  EXPECT_EQ(Reject(Remittance("2024-03-22", "remit_interest", "12.35", "RI1")),
            "INSUFFICIENT_FUNDS");
  Accept(Remittance("2024-03-22", "remit_interest", "10.00", "RI1"));
  EXPECT_EQ(Global().interest_fen(), 234);
  EXPECT_EQ(Global().bank_fen(), 1000234);
  EXPECT_EQ(Reject(Remittance("2024-03-22", "remit_interest", "1.00", "RI1")),
            "DUPLICATE_BANK_REF");
  // Its interest partly remitted, the bank_interest entry cannot be reversed (12.34 > 2.34).
  EXPECT_EQ(Reject(ReverseId("2024-03-22", "int-1")), "INSUFFICIENT_FUNDS");
  // remit_interest (auto-4: the refused one took auto-3) is not reversible.
  EXPECT_EQ(Reject(ReverseId("2024-03-22", "auto-4")), "INVALID_STATE");
}

TEST_F(EngineBankTest, InterestReversedOnceAndItsBankRefRecordedAgain) {
  Accept(BankMoney("int-1", "2024-03-21", "bank_interest", "12.34", "I1"));
  Accept(ReverseId("2024-03-22", "int-1"));
  // 12.34 in, 12.34 out again: nothing held.
  EXPECT_EQ(Global().bank_fen(), 0);
  EXPECT_EQ(Global().interest_fen(), 0);
  EXPECT_EQ(Reject(ReverseId("2024-03-22", "int-1")), "INVALID_STATE");
  Accept(BankMoney("int-2", "2024-03-22", "bank_interest", "12.43", "I1"));
  EXPECT_EQ(Global().interest_fen(), 1243);
}

// ---------------------------------------------------------------------------------------
// bank_charge, reimburse_charges

TEST_F(EngineBankTest, ChargesAreOwedBackByTheBudget) {
  Accept(OpenCase("2024-03-01"));
  Accept(Receipt("2024-03-01", "10000.00", "B1"));
  const Decision charged =
      Accept(BankMoney("chg-1", "2024-03-21", "bank_charge", "5.00", "C1", "2024-03-20"));
  ASSERT_EQ(charged.entry.postings_size(), 2);
  EXPECT_EQ(charged.entry.postings(0).account(), "charges");
  EXPECT_EQ(charged.entry.postings(0).amount_fen(), 500);
  // bank 10,000.00 − 5.00 = 9,995.00 = cases 10,000.00 − charges 5.00.
  EXPECT_EQ(Global().bank_fen(), 999500);
  EXPECT_EQ(Global().charges_fen(), 500);
  EXPECT_EQ(Global().cases_fen(), 1000000);

  EXPECT_EQ(Reject(BankMoney("chg-2", "2024-03-21", "bank_charge", "1.00", "C1")),
            "DUPLICATE_BANK_REF");
  EXPECT_EQ(Reject(BankMoney("chg-2", "2024-03-21", "bank_charge", "9995.01", "C2")),
            "INSUFFICIENT_FUNDS");  // more than the bank's 9,995.00

  // Reimbursement is inbound: C1 is free in that direction. More than 5.00 owed: INVALID_STATE.
  EXPECT_EQ(Reject(Remittance("2024-03-22", "reimburse_charges", "5.01", "C1")), "INVALID_STATE");
  Accept(Remittance("2024-03-22", "reimburse_charges", "3.00", "C1"));
  // charges 5.00 − 3.00 = 2.00; bank 9,995.00 + 3.00 = 9,998.00 = 10,000.00 − 2.00.
  EXPECT_EQ(Global().charges_fen(), 200);
  EXPECT_EQ(Global().bank_fen(), 999800);
  // Partly reimbursed: the charge can no longer be reversed whole.
  EXPECT_EQ(Reject(ReverseId("2024-03-22", "chg-1")), "INVALID_STATE");
}

TEST_F(EngineBankTest, ChargeReversed) {
  Accept(OpenCase("2024-03-01"));
  Accept(Receipt("2024-03-01", "10000.00", "B1"));
  Accept(BankMoney("chg-1", "2024-03-21", "bank_charge", "5.00", "C1"));
  Accept(ReverseId("2024-03-22", "chg-1"));
  EXPECT_EQ(Global().charges_fen(), 0);
  EXPECT_EQ(Global().bank_fen(), 1000000);
  Accept(BankMoney("chg-2", "2024-03-22", "bank_charge", "6.00", "C1"));  // C1 free again
  EXPECT_EQ(Global().charges_fen(), 600);
}

// ---------------------------------------------------------------------------------------
// transfer_preserved

TEST_F(EngineBankTest, PreservedMoneyIsRecoveredInTheEnforcementCaseOnTheTransfer) {
  Accept(OpenCase("2024-03-01", kPreservation, "300000.00"));
  Accept(Receipt("2024-03-01", "100000.00", "B1", kPreservation));
  Accept(OpenCase("2024-03-05", kCase, "500000.00"));
  const Decision moved = Accept(Transfer("tr-1", "2024-03-10", "40000.00"));
  EXPECT_EQ(moved.outcome.amount_fen(), 4000000);
  EXPECT_FALSE(Accept(Transfer("tr-1", "2024-03-10", "40000.00")).created);
  // 执保1: recovered (preserved) 100,000, transferred 40,000, balance 100,000 − 40,000 = 60,000.
  const CaseFigures from = FiguresOn("2024-03-10", kPreservation);
  EXPECT_EQ(FormatAmount(from.recovered_fen), "100000.00");
  EXPECT_EQ(FormatAmount(from.transferred_fen), "40000.00");
  EXPECT_EQ(FormatAmount(from.balance_fen), "60000.00");
  // 执1: recovered 40,000 on 2024-03-10, a lot dated then, due 30 days later (2024-04-09).
  const CaseFigures to = FiguresOn("2024-03-10", kCase);
  EXPECT_EQ(FormatAmount(to.recovered_fen), "40000.00");
  EXPECT_EQ(FormatAmount(to.balance_fen), "40000.00");
  ASSERT_EQ(CaseOf(kCase).lots_size(), 1);
  EXPECT_EQ(CaseOf(kCase).lots(0).date(), "2024-03-10");
  EXPECT_EQ(CaseOf(kCase).lots(0).deadline(), "2024-04-09");
  ASSERT_EQ(CaseOf(kCase).recoveries_size(), 1);
  EXPECT_EQ(CaseOf(kCase).recoveries(0).value_date(), "2024-03-10");
  // No money moved through the bank: 100,000.00 there still.
  EXPECT_EQ(Global().bank_fen(), 10000000);

  // Without an amount, all that is available: the other 60,000.
  Accept(Transfer("tr-2", "2024-03-11", std::nullopt));
  EXPECT_EQ(FormatAmount(FiguresOn("2024-03-11", kPreservation).balance_fen), "0.00");
  EXPECT_EQ(FormatAmount(FiguresOn("2024-03-11", kPreservation).transferred_fen), "100000.00");
  EXPECT_EQ(FormatAmount(FiguresOn("2024-03-11", kCase).recovered_fen), "100000.00");
  EXPECT_EQ(Reject(Transfer("tr-3", "2024-03-11", std::nullopt)), "INSUFFICIENT_FUNDS");
}

TEST_F(EngineBankTest, TransferErrors) {
  Accept(OpenCase("2024-03-01", kPreservation, "300000.00"));
  Accept(Receipt("2024-03-01", "100000.00", "B1", kPreservation));
  Accept(OpenCase("2024-03-05", kCase, "500000.00"));
  Accept(OpenCase("2024-03-05", kCase2, "500000.00"));
  EXPECT_EQ(Reject(Transfer("tr-1", "2024-03-10", "100000.01")), "INSUFFICIENT_FUNDS");
  EXPECT_EQ(Reject(Transfer("tr-1", "2024-03-10", "1.00", kCase2, kCase)),
            "INVALID_ARGUMENT");  // from a case that is not 执保
  EXPECT_EQ(Reject(Transfer("tr-1", "2024-03-10", "1.00", kPreservation, kPreservation)),
            "INVALID_ARGUMENT");  // to a 执保 case
  EXPECT_EQ(Reject(Transfer("tr-1", "2024-03-10", "1.00", kPreservation, kUnknownCase)),
            "UNKNOWN_CASE");
  Accept(Close("2024-03-10", "withdrawn", kCase2));
  EXPECT_EQ(Reject(Transfer("tr-1", "2024-03-10", "1.00", kPreservation, kCase2)), "CASE_CLOSED");
}

TEST_F(EngineBankTest, TransferReversedGoesBackAsANewLot) {
  Accept(OpenCase("2024-03-01", kPreservation, "300000.00"));
  Accept(Receipt("2024-03-01", "100000.00", "B1", kPreservation));
  Accept(OpenCase("2024-03-05", kCase, "500000.00"));
  Accept(Transfer("tr-1", "2024-03-10", "40000.00"));
  Accept(Transfer("tr-2", "2024-03-11", "10000.00"));
  Accept(ReverseId("2024-03-12", "tr-1"));
  // 执1: 40,000 + 10,000 − 40,000 = 10,000 recovered; its own lot of 2024-03-10 went.
  const CaseFigures to = FiguresOn("2024-03-12", kCase);
  EXPECT_EQ(FormatAmount(to.recovered_fen), "10000.00");
  EXPECT_EQ(FormatAmount(to.balance_fen), "10000.00");
  ASSERT_EQ(CaseOf(kCase).lots_size(), 1);
  EXPECT_EQ(CaseOf(kCase).lots(0).date(), "2024-03-11");
  // 执保1: transferred 50,000 − 40,000 = 10,000; balance 100,000 − 10,000 = 90,000, the
  // 40,000 back as a lot dated by the reversal.
  const CaseFigures from = FiguresOn("2024-03-12", kPreservation);
  EXPECT_EQ(FormatAmount(from.transferred_fen), "10000.00");
  EXPECT_EQ(FormatAmount(from.balance_fen), "90000.00");
  const pb::CaseRecord preservation = CaseOf(kPreservation);
  ASSERT_EQ(preservation.lots_size(), 2);
  EXPECT_EQ(preservation.lots(1).date(), "2024-03-12");
  EXPECT_EQ(preservation.lots(1).free_fen(), 4000000);
  EXPECT_EQ(Reject(ReverseId("2024-03-12", "tr-1")), "INVALID_STATE");
  // Once 5,000 of 执1's 10,000 is refunded, tr-2's 10,000 cannot go back.
  Accept(Outflow("2024-03-12", "refund", "5000.00", "RF1"));
  EXPECT_EQ(Reject(ReverseId("2024-03-12", "tr-2")), "INSUFFICIENT_FUNDS");  // 5,000 < 10,000
}

}  // namespace
}  // namespace caseledger::engine_fixture

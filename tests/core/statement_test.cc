// Proves that bank statements (SPEC §4) parse with RFC 4180 quoting, a BOM and CRLF, columns in
// any order, that a GBK file and every kind of malformed row are refused naming the row, that
// counterparty accounts never reach an error message, and how the closing balance is found.
#include "core/statement.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "core/limits.h"

namespace caseledger {
namespace {

constexpr char kHeader[] =
    "value_date,direction,amount,bank_ref,counterparty,counterparty_account,virtual_account,memo,"
    "balance\n";
// A counterparty account no error message may show.
constexpr char kAccount[] = "6222021234567890123";

std::vector<StatementLine> ParseOk(const std::string& bytes) {
  Result<std::vector<StatementLine>> lines = ParseStatement(bytes);
  EXPECT_TRUE(lines.ok()) << lines.status().ToString();
  return lines.ok() ? *lines : std::vector<StatementLine>{};
}

// The message of a refused statement; fails unless it is INVALID_ARGUMENT.
std::string ParseError(const std::string& bytes) {
  Result<std::vector<StatementLine>> lines = ParseStatement(bytes);
  EXPECT_FALSE(lines.ok()) << "accepted: " << bytes;
  EXPECT_EQ(lines.status().code(), Code::kInvalidArgument);
  EXPECT_EQ(lines.status().message().find(kAccount), std::string::npos)
      << "a counterparty account leaked: " << lines.status().message();
  return lines.status().message();
}

// A data row with the standard column order; `account` is the counterparty account.
std::string Row(const std::string& date, const std::string& direction, const std::string& amount,
                const std::string& ref, const std::string& balance = "") {
  return date + "," + direction + "," + amount + "," + ref + ",张三," + kAccount +
         ",8801000000000137,货款," + balance + "\n";
}

// The statement is refused at row 3 with a message containing `fragment`.
::testing::AssertionResult RowError(const std::string& row3, const std::string& fragment) {
  const std::string bytes = kHeader + Row("2024-03-01", "in", "1.00", "B1") + row3;
  const std::string message = ParseError(bytes);
  if (!message.starts_with("row 3: ") || message.find(fragment) == std::string::npos) {
    return ::testing::AssertionFailure() << message;
  }
  return ::testing::AssertionSuccess();
}

TEST(StatementTest, ParsesEveryColumnOfAWellFormedFile) {
  const std::vector<StatementLine> lines =
      ParseOk(std::string(kHeader) + Row("2024-03-01", "in", "5000", "B240301-1", "5000.00") +
              Row("2024-03-02", "out", "0.05", "P:2024/7", ""));
  ASSERT_EQ(lines.size(), 2u);
  EXPECT_EQ(lines[0].row, 2u);
  EXPECT_EQ(lines[0].value_date.ToString(), "2024-03-01");
  EXPECT_EQ(lines[0].direction, Direction::kIn);
  EXPECT_EQ(lines[0].amount_fen, 500000);
  EXPECT_EQ(lines[0].bank_ref, "B240301-1");
  EXPECT_EQ(lines[0].counterparty, "张三");
  EXPECT_EQ(lines[0].counterparty_account, kAccount);
  EXPECT_EQ(lines[0].virtual_account, "8801000000000137");
  EXPECT_EQ(lines[0].memo, "货款");
  ASSERT_TRUE(lines[0].balance_fen.has_value());
  EXPECT_EQ(*lines[0].balance_fen, 500000);
  EXPECT_EQ(lines[1].row, 3u);
  EXPECT_EQ(lines[1].direction, Direction::kOut);
  EXPECT_EQ(lines[1].amount_fen, 5);
  EXPECT_EQ(lines[1].bank_ref, "P:2024/7");  // a bank_ref may hold '/' and ':'
  EXPECT_FALSE(lines[1].balance_fen.has_value());
}

TEST(StatementTest, ColumnsMayComeInAnyOrder) {
  const std::vector<StatementLine> lines = ParseOk(
      "memo,balance,bank_ref,amount,direction,value_date,virtual_account,counterparty_account,"
      "counterparty\n"
      "结息,12.00,INT-1,2.50,in,2024-03-21,,,银行\n");
  ASSERT_EQ(lines.size(), 1u);
  EXPECT_EQ(lines[0].memo, "结息");
  EXPECT_EQ(lines[0].bank_ref, "INT-1");
  EXPECT_EQ(lines[0].amount_fen, 250);
  EXPECT_EQ(lines[0].value_date.ToString(), "2024-03-21");
  EXPECT_EQ(lines[0].counterparty, "银行");
  EXPECT_EQ(lines[0].virtual_account, "");
  EXPECT_EQ(*lines[0].balance_fen, 1200);
}

TEST(StatementTest, QuotedFieldsHoldCommasDoubledQuotesAndLineBreaks) {
  const std::vector<StatementLine> lines =
      ParseOk(std::string(kHeader) +
              "2024-03-01,in,\"1000.00\",B1,\"某某有限公司,北京分公司\",\"\",8801000000000137,"
              "\"他说\"\"付清了\"\"\",\n"
              "2024-03-02,in,2.00,B2,李四,,,\"第一行\n第二行\",\n"
              "2024-03-03,in,3.00,B3,王五,,,,\n");
  ASSERT_EQ(lines.size(), 3u);
  EXPECT_EQ(lines[0].amount_fen, 100000);
  EXPECT_EQ(lines[0].counterparty, "某某有限公司,北京分公司");
  EXPECT_EQ(lines[0].counterparty_account, "");
  EXPECT_EQ(lines[0].memo, "他说\"付清了\"");
  EXPECT_EQ(lines[1].memo, "第一行\n第二行");
  // Rows are records, as a spreadsheet numbers them: the line break inside quotes is not one.
  EXPECT_EQ(lines[2].row, 4u);
}

TEST(StatementTest, AcceptsABomAndCrlfLineEnds) {
  std::string bytes = "\xEF\xBB\xBF" + std::string(kHeader) + Row("2024-03-01", "in", "1", "B1") +
                      Row("2024-03-02", "out", "2", "B2", "3.00");
  std::string crlf;
  for (char c : bytes) {
    if (c == '\n') crlf += '\r';
    crlf += c;
  }
  for (const std::string& text : {bytes, crlf}) {
    const std::vector<StatementLine> lines = ParseOk(text);
    ASSERT_EQ(lines.size(), 2u);
    EXPECT_EQ(lines[0].value_date.ToString(), "2024-03-01");
    EXPECT_EQ(lines[1].memo, "货款");
    EXPECT_EQ(*lines[1].balance_fen, 300);  // no '\r' left on the last field
  }
}

TEST(StatementTest, BlankLinesAreSkippedButKeepTheirRowNumbers) {
  const std::vector<StatementLine> lines =
      ParseOk(std::string(kHeader) + "\n" + Row("2024-03-01", "in", "1", "B1") + "\r\n");
  ASSERT_EQ(lines.size(), 1u);
  EXPECT_EQ(lines[0].row, 3u);
  EXPECT_TRUE(ParseOk(kHeader).empty());  // a header alone is an empty statement
}

TEST(StatementTest, RefusesGbkWithAMessageSayingToConvertToUtf8) {
  // "张三" in GBK is D5 C5 C8 FD: not UTF-8.
  const std::string gbk =
      std::string(kHeader) + "2024-03-01,in,1.00,B1,\xD5\xC5\xC8\xFD," + kAccount + ",,,\n";
  const std::string message = ParseError(gbk);
  EXPECT_NE(message.find("line 2"), std::string::npos) << message;
  EXPECT_NE(message.find("not UTF-8"), std::string::npos) << message;
  EXPECT_NE(message.find("GBK"), std::string::npos) << message;
  EXPECT_NE(message.find("iconv -f GBK -t UTF-8"), std::string::npos) << message;
  EXPECT_NE(ParseError("\xFF\xFE" + std::string(kHeader)).find("UTF-16"), std::string::npos);
}

TEST(StatementTest, RefusesABadAmountNamingTheRow) {
  EXPECT_TRUE(RowError(Row("2024-03-02", "in", "1e3", "B2"), "row 3: amount: \"1e3\""));
  EXPECT_TRUE(RowError(Row("2024-03-02", "in", "-5.00", "B2"), "minus sign"));
  EXPECT_TRUE(RowError(Row("2024-03-02", "in", "0", "B2"), "more than zero"));
  EXPECT_TRUE(RowError(Row("2024-03-02", "in", "1.234", "B2"), "more than two decimals"));
  EXPECT_TRUE(RowError(Row("2024-03-02", "in", "\"1,000.00\"", "B2"), "thousands separator"));
  EXPECT_TRUE(RowError(Row("2024-03-02", "in", "１００", "B2"), "full-width"));
  EXPECT_TRUE(RowError(Row("2024-03-02", "in", "", "B2"), "row 3: amount"));
  EXPECT_TRUE(RowError(Row("2024-03-02", "in", "1000000000000000", "B2"), "row 3: amount"));
}

TEST(StatementTest, RefusesADirectionOtherThanInOrOut) {
  EXPECT_TRUE(RowError(Row("2024-03-02", "IN", "1.00", "B2"),
                       "row 3: direction: \"IN\" must be in or out"));
  EXPECT_TRUE(RowError(Row("2024-03-02", "收", "1.00", "B2"), "must be in or out"));
  EXPECT_TRUE(RowError(Row("2024-03-02", "", "1.00", "B2"), "must be in or out"));
}

TEST(StatementTest, RefusesABadDate) {
  EXPECT_TRUE(RowError(Row("2024-02-30", "in", "1.00", "B2"), "row 3: value_date: \"2024-02-30\""));
  EXPECT_TRUE(RowError(Row("2024/03/02", "in", "1.00", "B2"), "row 3: value_date"));
  EXPECT_TRUE(RowError(Row("20240302", "in", "1.00", "B2"), "row 3: value_date"));
  EXPECT_TRUE(RowError(Row("", "in", "1.00", "B2"), "row 3: value_date"));
}

TEST(StatementTest, RefusesAWrongNumberOfColumns) {
  EXPECT_TRUE(RowError(std::string("2024-03-02,in,1.00,B2,张三,") + kAccount + ",,\n",
                       "row 3: 8 fields; the header has 9"));
  EXPECT_TRUE(RowError(std::string("2024-03-02,in,1,000.00,B2,张三,") + kAccount + ",,,\n",
                       "row 3: 10 fields"));
  EXPECT_TRUE(RowError("2024-03-02\n", "row 3: 1 fields"));
}

TEST(StatementTest, RefusesAMissingOrMalformedBankRef) {
  EXPECT_TRUE(RowError(Row("2024-03-02", "in", "1.00", ""), "row 3: bank_ref: missing"));
  EXPECT_TRUE(RowError(Row("2024-03-02", "in", "1.00", "B 2"), "row 3: bank_ref: \"B 2\""));
  // A bank reference is printable ASCII (SPEC §1): a look-alike of B1 is no reference at all.
  EXPECT_TRUE(RowError(Row("2024-03-02", "in", "1.00", "B1\u200d"), "U+200D"));
  EXPECT_TRUE(RowError(Row("2024-03-02", "in", "1.00", "Ｂ1"), "printable ASCII"));
}

TEST(StatementTest, RefusesABadBalance) {
  EXPECT_TRUE(RowError(Row("2024-03-02", "in", "1.00", "B2", "-3.00"), "row 3: balance"));
  EXPECT_TRUE(RowError(Row("2024-03-02", "in", "1.00", "B2", "1,000"), "row 3: 10 fields"));
  EXPECT_TRUE(RowError(Row("2024-03-02", "in", "1.00", "B2", "abc"), "row 3: balance"));
}

TEST(StatementTest, RefusesBrokenQuoting) {
  EXPECT_TRUE(RowError(std::string("2024-03-02,in,1.00,B2,\"张三,") + kAccount + ",,,\n",
                       "row 3: a quoted field is not closed"));
  EXPECT_TRUE(RowError(std::string("2024-03-02,in,1.00,B2,\"张三\"x,") + kAccount + ",,,\n",
                       "row 3: text after the closing quote"));
  EXPECT_TRUE(RowError(std::string("2024-03-02,in,1.00,B2,张\"三,") + kAccount + ",,,\n",
                       "row 3: a quote inside an unquoted field"));
  EXPECT_TRUE(RowError(std::string("2024-03-02,in,1.00,B2,张三\r,") + kAccount + ",,,\n",
                       "row 3: a carriage return outside quotes"));
}

TEST(StatementTest, RefusesAFieldOverTheLimit) {
  const std::string memo(kStatementFieldBytesMax + 1, 'x');
  EXPECT_TRUE(RowError(std::string("2024-03-02,in,1.00,B2,张三,") + kAccount + ",," + memo + ",\n",
                       "row 3: field 8 is longer than"));
}

TEST(StatementTest, RefusesMoreLinesThanTheLimit) {
  std::string bytes = kHeader;
  const std::string row = "2024-03-01,in,1,B,,,,,\n";
  bytes.reserve(bytes.size() + row.size() * (kStatementLinesMax + 1));
  for (size_t i = 0; i <= kStatementLinesMax; ++i) bytes += row;
  const std::string message = ParseError(bytes);
  EXPECT_EQ(
      message.rfind(
          "row " + std::to_string(kStatementLinesMax + 2) + ": the statement has more than", 0),
      0u)
      << message;
}

TEST(StatementTest, RefusesABadHeaderAsRowOne) {
  const std::string row = Row("2024-03-01", "in", "1.00", "B1");
  std::string message = ParseError("");
  EXPECT_EQ(message.rfind("row 1: the statement is empty", 0), 0u) << message;
  message = ParseError(
      "value_date,direction,amount,bank_ref,counterparty,counterparty_account,virtual_account,"
      "memo\n" +
      row);
  EXPECT_EQ(message.rfind("row 1: the header has no column balance", 0), 0u) << message;
  message = ParseError(
      "value_date,direction,amount,ref,counterparty,counterparty_account,virtual_account,memo,"
      "balance\n" +
      row);
  EXPECT_EQ(message.rfind("row 1: unknown column \"ref\"", 0), 0u) << message;
  message = ParseError(
      "value_date,direction,amount,bank_ref,counterparty,counterparty_account,virtual_account,memo,"
      "balance,memo\n" +
      row);
  EXPECT_EQ(message.rfind("row 1: column memo is named twice", 0), 0u) << message;
  // The header is required: a statement that starts with data is refused at row 1.
  message = ParseError(row);
  EXPECT_EQ(message.rfind("row 1: unknown column \"2024-03-01\"", 0), 0u) << message;
}

// SPEC §4: an optional tenth column `kind`, interest, charge or empty, in any place.
TEST(StatementTest, OptionalKindColumn) {
  const std::string header =
      "kind,value_date,direction,amount,bank_ref,counterparty,counterparty_account,"
      "virtual_account,memo,balance\n";
  const std::vector<StatementLine> lines = ParseOk(
      header + "interest,2024-03-20,in,12.34,I1,银行,,,结息,\n" +
      "charge,2024-03-20,out,5.00,C1,银行,,,手续费,\n" + ",2024-03-21,in,1.00,B1,张三,,,,\n");
  ASSERT_EQ(lines.size(), 3u);
  EXPECT_EQ(lines[0].kind, LineKind::kInterest);
  EXPECT_EQ(lines[0].bank_ref, "I1");
  EXPECT_EQ(lines[1].kind, LineKind::kCharge);
  EXPECT_EQ(lines[1].amount_fen, 500);
  EXPECT_EQ(lines[2].kind, LineKind::kNone);
  // Without the column every line is of no kind.
  EXPECT_EQ(ParseOk(kHeader + Row("2024-03-01", "in", "1.00", "B1"))[0].kind, LineKind::kNone);
  // Anything else refuses the run, naming the row.
  const std::string message = ParseError(header + ",2024-03-21,in,1.00,B1,张三,,,,\n" +
                                         "fee,2024-03-21,out,1.00,C2,银行,,,,\n");
  EXPECT_TRUE(message.starts_with("row 3: kind: ")) << message;
  // A row of nine fields under a header of ten is refused as any wrong number of fields.
  EXPECT_TRUE(
      ParseError(header + "2024-03-21,in,1.00,B1,张三,,,,\n").starts_with("row 2: 9 fields"));
  EXPECT_NE(ParseError("kind,kind," + std::string(kHeader)).find("kind is named twice"),
            std::string::npos);
}

TEST(StatementTest, ClosingBalanceIsTheLastLinesBalanceElseOpeningPlusInsMinusOuts) {
  auto parse = [](const std::string& rows) { return ParseOk(std::string(kHeader) + rows); };
  const Date end_of_march = *Date::FromYmd(2024, 3, 31);
  // The last line's balance, as the bank gives it.
  EXPECT_EQ(StatementBalance(parse(Row("2024-03-01", "in", "100", "B1", "1100") +
                                   Row("2024-03-02", "out", "30", "B2", "1070")),
                             end_of_march),
            107000);
  // The last line without one: the opening balance (1000, from the first line) + 100 − 30.
  EXPECT_EQ(StatementBalance(parse(Row("2024-03-01", "in", "100", "B1", "1100") +
                                   Row("2024-03-02", "out", "30", "B2")),
                             end_of_march),
            107000);
  // No balances at all: 0 + ins − outs.
  EXPECT_EQ(StatementBalance(
                parse(Row("2024-03-01", "in", "100", "B1") + Row("2024-03-02", "out", "30", "B2")),
                end_of_march),
            7000);
  // Lines after `to` are left out.
  EXPECT_EQ(StatementBalance(parse(Row("2024-03-01", "in", "100", "B1", "1100") +
                                   Row("2024-04-02", "out", "30", "B2", "1070")),
                             end_of_march),
            110000);
  EXPECT_EQ(StatementBalance({}, end_of_march), 0);
}

}  // namespace
}  // namespace caseledger

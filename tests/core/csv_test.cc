// Proves that the CSV writer quotes as RFC 4180 says (commas, quotes, line breaks), guards
// formulas only for spreadsheets while leaving negative amounts numbers, and ends each line as
// its dialect says.
#include "core/csv.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace caseledger {
namespace {

TEST(CsvTest, PlainFieldsStandAsTheyAre) {
  EXPECT_EQ(CsvField("", kSpreadsheetCsv), "");
  EXPECT_EQ(CsvField("B210105-0102-000001-1", kSpreadsheetCsv), "B210105-0102-000001-1");
  EXPECT_EQ(CsvField("兰州鑫达商贸有限公司", kStatementCsv), "兰州鑫达商贸有限公司");
}

TEST(CsvTest, CommasQuotesAndLineBreaksAreQuoted) {
  for (const CsvDialect& dialect : {kSpreadsheetCsv, kStatementCsv}) {
    EXPECT_EQ(CsvField("1,234.00", dialect), "\"1,234.00\"");
    EXPECT_EQ(CsvField("say \"hi\"", dialect), "\"say \"\"hi\"\"\"");
    EXPECT_EQ(CsvField("\"", dialect), "\"\"\"\"");
    EXPECT_EQ(CsvField("two\nlines", dialect), "\"two\nlines\"");
    EXPECT_EQ(CsvField("cr\rhere", dialect), "\"cr\rhere\"");
  }
}

TEST(CsvTest, SpreadsheetsGetFormulasGuarded) {
  EXPECT_EQ(CsvField("=1+1", kSpreadsheetCsv), "'=1+1");
  EXPECT_EQ(CsvField("+86", kSpreadsheetCsv), "'+86");
  EXPECT_EQ(CsvField("@SUM(A1)", kSpreadsheetCsv), "'@SUM(A1)");
  EXPECT_EQ(CsvField("-cmd", kSpreadsheetCsv), "'-cmd");
  EXPECT_EQ(CsvField("\tx", kSpreadsheetCsv), "'\tx");
  EXPECT_EQ(CsvField("\rx", kSpreadsheetCsv), "\"'\rx\"");
  EXPECT_EQ(CsvField("=HYPERLINK(\"a\",\"b\")", kSpreadsheetCsv),
            "\"'=HYPERLINK(\"\"a\"\",\"\"b\"\")\"");
  // A negative amount stays a number; a lone minus is text.
  EXPECT_EQ(CsvField("-12.50", kSpreadsheetCsv), "-12.50");
  EXPECT_EQ(CsvField("-", kSpreadsheetCsv), "'-");
}

TEST(CsvTest, StatementsKeepTheTextAsItIs) {
  EXPECT_EQ(CsvField("=1+1", kStatementCsv), "=1+1");
  EXPECT_EQ(CsvField("-cmd", kStatementCsv), "-cmd");
}

TEST(CsvTest, LinesEndAsTheDialectSays) {
  const std::vector<std::string> fields = {"a", "b,c", "", "-1.00"};
  EXPECT_EQ(CsvLine(fields, kSpreadsheetCsv), "a,\"b,c\",,-1.00\r\n");
  EXPECT_EQ(CsvLine(fields, kStatementCsv), "a,\"b,c\",,-1.00\n");
  EXPECT_EQ(CsvLine({}, kStatementCsv), "\n");
  EXPECT_EQ(CsvLine({"=x"}, kSpreadsheetCsv), "'=x\r\n");
}

}  // namespace
}  // namespace caseledger

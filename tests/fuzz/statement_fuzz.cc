// Bank statements (SPEC §4): whatever the bytes, ParseStatement returns lines that hold what
// the SPEC promises or an error naming a row; the lines it returns, written back as CSV, read
// back the same.
#include <string>
#include <string_view>
#include <vector>

#include "core/identifiers.h"
#include "core/statement.h"
#include "tests/fuzz/fuzz.h"

namespace caseledger {
namespace {

std::string Quoted(std::string_view field) {
  std::string out = "\"";
  for (char c : field) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + "\"";
}

// The lines as a statement in the SPEC's column order, every field quoted.
std::string Render(const std::vector<StatementLine>& lines) {
  std::string csv;
  for (size_t i = 0; i < kStatementColumns.size(); ++i) {
    csv += (i == 0 ? "" : ",") + std::string(kStatementColumns[i]);
  }
  csv += "\r\n";
  for (const StatementLine& line : lines) {
    const std::string fields[] = {line.value_date.ToString(),
                                  std::string(DirectionName(line.direction)),
                                  FormatAmount(line.amount_fen),
                                  line.bank_ref,
                                  line.counterparty,
                                  line.counterparty_account,
                                  line.virtual_account,
                                  line.memo,
                                  line.balance_fen ? FormatAmount(*line.balance_fen) : ""};
    for (const std::string& field : fields) csv += Quoted(field) + ",";
    csv.back() = '\n';
  }
  return csv;
}

bool SameLine(const StatementLine& a, const StatementLine& b) {
  return a.value_date == b.value_date && a.direction == b.direction &&
         a.amount_fen == b.amount_fen && a.bank_ref == b.bank_ref &&
         a.counterparty == b.counterparty && a.counterparty_account == b.counterparty_account &&
         a.virtual_account == b.virtual_account && a.memo == b.memo &&
         a.balance_fen == b.balance_fen;
}

}  // namespace
}  // namespace caseledger

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace caseledger;
  const Result<std::vector<StatementLine>> lines = ParseStatement(fuzz::AsText(data, size));
  if (!lines.ok()) {
    // The message is shown and put in JSON: UTF-8, whatever encoding the file was in.
    FUZZ_REQUIRE(lines.status().code() == Code::kInvalidArgument);
    FUZZ_REQUIRE(IsValidUtf8(lines.status().message()));
    return 0;
  }
  size_t previous_row = 1;  // the header
  Date last = Date::FromDays(0);
  for (const StatementLine& line : *lines) {
    FUZZ_REQUIRE(line.row > previous_row);
    previous_row = line.row;
    FUZZ_REQUIRE(line.amount_fen > 0);
    FUZZ_REQUIRE(!line.bank_ref.empty());
    FUZZ_REQUIRE(!line.balance_fen || *line.balance_fen >= 0);
    last = std::max(last, line.value_date);
  }
  (void)StatementBalance(*lines, last);
  const Result<std::vector<StatementLine>> again = ParseStatement(Render(*lines));
  FUZZ_REQUIRE(again.ok());
  FUZZ_REQUIRE(again->size() == lines->size());
  for (size_t i = 0; i < lines->size(); ++i) FUZZ_REQUIRE(SameLine((*lines)[i], (*again)[i]));
  return 0;
}

#include "core/csv.h"

namespace caseledger {
namespace {

// A leading minus is a formula unless the field is a number ("-12.50" stays an amount).
bool IsNegativeNumber(std::string_view text) {
  return text.size() > 1 && text[0] == '-' &&
         text.find_first_not_of("0123456789.", 1) == std::string_view::npos;
}

bool RunsAsFormula(std::string_view text) {
  return !text.empty() && !IsNegativeNumber(text) &&
         std::string_view("=+-@\t\r").find(text[0]) != std::string_view::npos;
}

}  // namespace

std::string CsvField(std::string_view text, const CsvDialect& dialect) {
  std::string value;
  if (dialect.guard_formulas && RunsAsFormula(text)) value = "'";
  value += text;
  if (value.find_first_of(",\"\r\n") == std::string::npos) return value;
  std::string quoted = "\"";
  for (char c : value) {
    if (c == '"') quoted += '"';
    quoted += c;
  }
  return quoted + "\"";
}

std::string CsvLine(const std::vector<std::string>& fields, const CsvDialect& dialect) {
  std::string line;
  for (size_t i = 0; i < fields.size(); ++i) {
    if (i > 0) line += ',';
    line += CsvField(fields[i], dialect);
  }
  line += dialect.line_end;
  return line;
}

}  // namespace caseledger

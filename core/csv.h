// Writing CSV (RFC 4180), a field and a line at a time: the one CSV writer, for the reports
// people open in a spreadsheet (cli/) and for the bank statements of the bench workload (bench/).
// Pure string functions, no I/O. The statement's reader (SPEC §4) is core/statement.h.
#ifndef CASELEDGER_CORE_CSV_H_
#define CASELEDGER_CORE_CSV_H_

#include <string>
#include <string_view>
#include <vector>

namespace caseledger {

// What differs between a CSV file for a spreadsheet and one for a program.
struct CsvDialect {
  // Text a spreadsheet would run as a formula (a leading = + - @, tab or CR) gets a leading ';
  // a negative amount stays a number.
  bool guard_formulas = false;
  std::string_view line_end = "\n";
};
// Reports for a spreadsheet: formulas guarded (judges' names and bank references come from
// users), lines ended by CRLF as RFC 4180 says.
inline constexpr CsvDialect kSpreadsheetCsv{true, "\r\n"};
// A bank statement as the bank prints it (SPEC §4), read back by `reconcile`: the text as it is
// (a leading ' would change a reference), lines ended by LF.
inline constexpr CsvDialect kStatementCsv{false, "\n"};

// One field: quoted when it holds a comma, a quote or a line break, its quotes doubled.
std::string CsvField(std::string_view text, const CsvDialect& dialect);
// The fields joined by commas, ended by the dialect's line end.
std::string CsvLine(const std::vector<std::string>& fields, const CsvDialect& dialect);

}  // namespace caseledger

#endif  // CASELEDGER_CORE_CSV_H_

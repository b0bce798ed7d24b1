// The special account's bank statement (SPEC §4): UTF-8 CSV (RFC 4180 quoting, an optional
// BOM) with a header row naming nine columns in any order. Pure: the caller reads the file.
#ifndef CASELEDGER_CORE_STATEMENT_H_
#define CASELEDGER_CORE_STATEMENT_H_

#include <array>
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/date.h"
#include "core/money.h"
#include "core/status.h"

namespace caseledger {

// Money into the special account (a receipt) or out of it (a payment).
enum class Direction { kIn, kOut };
// "in" or "out", as the statement and the JSON write it.
std::string_view DirectionName(Direction direction);

// The nine columns a statement's header names, in any order (SPEC §4).
inline constexpr std::array<std::string_view, 9> kStatementColumns = {
    "value_date",           "direction",       "amount", "bank_ref", "counterparty",
    "counterparty_account", "virtual_account", "memo",   "balance"};

// The optional tenth column (SPEC §4): what the bank says a line is, when it is its own
// money: interest it credits or a charge it debits; empty for everything else.
inline constexpr std::string_view kStatementKindColumn = "kind";
enum class LineKind { kNone, kInterest, kCharge };

// One line of the statement: money the bank moved.
struct StatementLine {
  size_t row = 0;  // the record's number in the file; the header is row 1
  Date value_date;
  Direction direction = Direction::kIn;
  Fen amount_fen = 0;  // more than zero
  std::string bank_ref;
  std::string counterparty;
  std::string counterparty_account;  // personal data: never in error messages
  std::string virtual_account;       // may be empty
  std::string memo;
  std::optional<Fen> balance_fen;   // the running balance after the line, when the bank gives it
  LineKind kind = LineKind::kNone;  // the `kind` column, when the statement has one
};

// Parses a whole statement file. Refused with INVALID_ARGUMENT, the message naming the row
// ("row 7: amount: ..."; the header is row 1): bytes that are not UTF-8 (a GBK export: the
// message says to convert it), a missing, unknown or repeated column in the header, a row
// with another number of fields than the header, a quote that is not closed or text after a
// closing quote, an amount not in SPEC §1's syntax or not more than zero, a direction other
// than `in` or `out`, a value_date that is not YYYY-MM-DD, a missing or malformed bank_ref, a
// malformed balance, a `kind` (the optional tenth column) other than interest, charge or empty, a
// field over kStatementFieldBytesMax, more than kStatementLinesMax lines. Blank lines are skipped
// (they still count as rows). CRLF and LF line ends are both read.
Result<std::vector<StatementLine>> ParseStatement(std::string_view bytes);

// The statement's closing balance on `to` (SPEC §4), over the lines dated on or before `to`
// in file order: the last such line's balance when it has one, else the opening balance (the
// first line's balance less that line's own amount, when it gives one; 0 otherwise) plus ins
// minus outs.
Fen StatementBalance(const std::vector<StatementLine>& lines, Date to);

}  // namespace caseledger

#endif  // CASELEDGER_CORE_STATEMENT_H_

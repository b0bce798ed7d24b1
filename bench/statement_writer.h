// The special account's bank statement (SPEC §4) as the bench workload makes it: the rows, in
// the order and with the running balance the bank prints them, and their CSV.
#ifndef CASELEDGER_BENCH_STATEMENT_WRITER_H_
#define CASELEDGER_BENCH_STATEMENT_WRITER_H_

#include <array>
#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <vector>

#include "core/date.h"
#include "core/money.h"
#include "core/statement.h"

namespace caseledger {

// One line of the special account's bank statement (SPEC §4), as the bank prints it.
struct StatementRow {
  Date value_date;
  Direction direction = Direction::kIn;
  Fen amount_fen = 0;
  std::string bank_ref;
  std::string counterparty;
  std::string counterparty_account;
  std::string virtual_account;  // the case's virtual account when the money names it
  std::string memo;
  Fen balance_fen = 0;  // the running balance after the line (the account opens at 0)
};
// The header line of SPEC §4's nine columns, and one row, each ended by "\n".
std::string StatementCsvHeader();
std::string StatementCsvRow(const StatementRow& row);

namespace bench {

// Internal to bench/: the rows of the workload's movements, kept until no earlier value date
// can come, then handed to the sink in value-date order, each day's money in before its money
// out (as the bank books it: the balance never dips below 0), with the running balance.
class StatementWriter {
 public:
  // Without a sink no row is kept.
  void SetSink(std::function<void(const StatementRow&)> sink) { sink_ = std::move(sink); }
  // A movement; its balance is filled in when it is handed over.
  void Add(StatementRow row);
  // Hands over every row valued on or before `through`; returns how many.
  int64_t Flush(Date through);

 private:
  // By value date, money in and money out, not yet handed to the sink.
  std::map<Date, std::array<std::vector<StatementRow>, 2>> rows_;
  Fen balance_fen_ = 0;
  std::function<void(const StatementRow&)> sink_;
};

}  // namespace bench
}  // namespace caseledger

#endif  // CASELEDGER_BENCH_STATEMENT_WRITER_H_

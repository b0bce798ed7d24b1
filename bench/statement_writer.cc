#include "bench/statement_writer.h"

#include "core/csv.h"

namespace caseledger {

std::string StatementCsvHeader() {
  return CsvLine(std::vector<std::string>(kStatementColumns.begin(), kStatementColumns.end()),
                 kStatementCsv);
}

std::string StatementCsvRow(const StatementRow& row) {
  return CsvLine(
      {row.value_date.ToString(), std::string(DirectionName(row.direction)),
       FormatAmount(row.amount_fen), row.bank_ref, row.counterparty, row.counterparty_account,
       row.virtual_account, row.memo, FormatAmount(row.balance_fen)},
      kStatementCsv);
}

namespace bench {

void StatementWriter::Add(StatementRow row) {
  if (!sink_) return;
  const Date value_date = row.value_date;
  rows_[value_date][row.direction == Direction::kIn ? 0 : 1].push_back(std::move(row));
}

int64_t StatementWriter::Flush(Date through) {
  int64_t handed = 0;
  while (!rows_.empty() && rows_.begin()->first <= through) {
    for (std::vector<StatementRow>& rows : rows_.begin()->second) {
      for (StatementRow& row : rows) {
        balance_fen_ += row.direction == Direction::kIn ? row.amount_fen : -row.amount_fen;
        row.balance_fen = balance_fen_;
        sink_(row);
        ++handed;
      }
    }
    rows_.erase(rows_.begin());
  }
  return handed;
}

}  // namespace bench
}  // namespace caseledger

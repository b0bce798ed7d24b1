// caseledger report cashbook --month YYYY-MM [--court C] (收支月报, SPEC §3, §8): per kind of
// account and in total, opening + in − out = closing, gathered through ledger/reports.h's
// GatherCashbook; a table, JSON or CSV.
#include "core/cashbook.h"

#include <fmt/core.h>

#include <map>

#include "cli/commands.h"
#include "cli/report_labels.h"
#include "core/csv.h"
#include "core/json.h"
#include "core/money.h"
#include "ledger/ledger.h"
#include "ledger/reports.h"

namespace caseledger::cli {

const std::map<std::string, std::string>& AccountLabels() {
  static const std::map<std::string, std::string> kZh = {{"cases", "案款"},
                                                         {"suspense", "不明款（待认领）"},
                                                         {"fees", "执行费（未上缴）"},
                                                         {"lodged", "提存款"},
                                                         {"interest", "利息"},
                                                         {"charges", "银行手续费"},
                                                         {"total", "合计（专户银行余额）"}};
  return kZh;
}

std::string AccountLabel(Lang lang, const std::string& account) {
  auto it = AccountLabels().find(account);
  return lang == Lang::kZh && it != AccountLabels().end() ? it->second : account;
}

namespace {

void WriteRow(json::Writer& w, const CashbookRow& row) {
  w.Key("opening").String(FormatAmount(row.opening_fen));
  w.Key("in").String(FormatAmount(row.in_fen)).Key("out").String(FormatAmount(row.out_fen));
  w.Key("closing").String(FormatAmount(row.closing()));
}

std::string CashbookJson(const CashbookReading& reading, const std::string& month) {
  json::Writer w;
  w.BeginObject().Key("month").String(month).Key("accounts").BeginArray();
  for (const CashbookRow& row : reading.book.rows()) {
    w.BeginObject().Key("account").String(row.account);
    WriteRow(w, row);
    w.EndObject();
  }
  w.EndArray().Key("total");
  if (const std::optional<CashbookRow> total = reading.book.total()) {
    w.BeginObject();
    WriteRow(w, *total);
    w.EndObject();
  } else {
    w.Null();
  }
  return w.EndObject().str() + "\n";
}

std::string CashbookCsv(const CashbookReading& reading) {
  std::string out = CsvLine({"account", "opening", "in", "out", "closing"}, kSpreadsheetCsv);
  for (const CashbookRow& row : RowsWithTotal(reading)) {
    out += CsvLine({row.account, FormatAmount(row.opening_fen), FormatAmount(row.in_fen),
                    FormatAmount(row.out_fen), FormatAmount(row.closing())},
                   kSpreadsheetCsv);
  }
  return out;
}

std::string CashbookText(const CashbookReading& reading, Lang lang, const std::string& court) {
  TextTable table(
      {L(lang, "账户", "account"), L(lang, "期初余额", "opening"), L(lang, "本月收入", "in"),
       L(lang, "本月支出", "out"), L(lang, "期末余额", "closing")},
      {false, true, true, true, true});
  for (const CashbookRow& row : RowsWithTotal(reading)) {
    table.AddRow({AccountLabel(lang, row.account), FormatAmountGrouped(row.opening_fen),
                  FormatAmountGrouped(row.in_fen), FormatAmountGrouped(row.out_fen),
                  FormatAmountGrouped(row.closing())});
  }
  std::string out =
      fmt::format("{}  {} {} {}", L(lang, "收支月报", "Cashbook"), reading.first.ToString(),
                  L(lang, "至", "to"), reading.last.ToString());
  if (!court.empty()) out += fmt::format("  {} {}", L(lang, "法院", "court"), court);
  return out + "\n\n" + table.Render();
}

}  // namespace

std::vector<CashbookRow> RowsWithTotal(const CashbookReading& reading) {
  std::vector<CashbookRow> rows = reading.book.rows();
  if (const std::optional<CashbookRow> total = reading.book.total()) rows.push_back(*total);
  return rows;
}

int RunReportCashbook(const Globals& globals, const CashbookOptions& options) {
  auto format = FormatOf(globals, options.csv);
  if (!format.ok()) return Usage(format.status().message());
  const std::optional<Date> first = FirstDayOf(options.month);
  if (!first) return Usage("--month: expected YYYY-MM with a month 01 to 12, got " + options.month);
  auto ledger = OpenReading(globals);
  if (!ledger.ok()) return ReportError(ledger.status(), globals.json);
  auto reading = GatherCashbook(ledger->get(), options.court, *first);
  if (!reading.ok()) return ReportError(reading.status(), globals.json);
  if (*format == Format::kJson) {
    Out(CashbookJson(*reading, options.month));
  } else if (*format == Format::kCsv) {
    Out(CashbookCsv(*reading));
  } else {
    Out(CashbookText(*reading, globals.language(), options.court));
  }
  return kExitOk;
}

}  // namespace caseledger::cli

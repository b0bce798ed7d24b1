// caseledger movements --from D --to D [filters] (收支明细, SPEC §3, §8): every movement of
// money through the special account booked in the period, read through ledger/reading.h's
// ReadMovements, printed as a table, JSON or CSV.
#include <fmt/core.h>

#include "cli/commands.h"
#include "cli/report_labels.h"
#include "core/csv.h"
#include "core/identifiers.h"
#include "core/json.h"
#include "core/money.h"
#include "ledger/ledger.h"
#include "ledger/reading.h"

namespace caseledger::cli {
namespace {

std::string MovementsJson(const MovementReading& reading, Date from, Date to) {
  json::Writer w;
  w.BeginObject().Key("from").String(from.ToString()).Key("to").String(to.ToString());
  w.Key("movements").BeginArray();
  for (const MoneyMovement& m : reading.movements) {
    w.BeginObject().Key("seq").Int(static_cast<int64_t>(m.seq));
    w.Key("on").String(m.on.ToString()).Key("value_date").String(m.value_date.ToString());
    w.Key("kind").String(WireName(m.op));
    w.Key("case_no").OptionalString(Opt(!m.case_no.empty(), m.case_no));
    w.Key("counterparty").OptionalString(Opt(!m.counterparty.empty(), m.counterparty));
    w.Key("direction").String(DirectionName(m.direction));
    w.Key("amount").String(FormatAmount(m.amount_fen));
    w.Key("bank_ref").OptionalString(Opt(!m.bank_ref.empty(), m.bank_ref));
    w.EndObject();
  }
  w.EndArray().Key("total_in").String(FormatAmount(reading.totals.in_fen));
  w.Key("total_out").String(FormatAmount(reading.totals.out_fen));
  w.Key("count").Int(reading.totals.count);
  return w.EndObject().str() + "\n";
}

std::string MovementsCsv(const MovementReading& reading) {
  std::string out = CsvLine({"seq", "on", "value_date", "kind", "case_no", "counterparty",
                             "direction", "amount", "bank_ref"},
                            kSpreadsheetCsv);
  for (const MoneyMovement& m : reading.movements) {
    out +=
        CsvLine({std::to_string(m.seq), m.on.ToString(), m.value_date.ToString(),
                 std::string(WireName(m.op)), m.case_no, m.counterparty,
                 std::string(DirectionName(m.direction)), FormatAmount(m.amount_fen), m.bank_ref},
                kSpreadsheetCsv);
  }
  return out;
}

std::string MovementsText(const MovementReading& reading, Lang lang, Date from, Date to) {
  TextTable table(
      {L(lang, "序号", "seq"), L(lang, "记账日期", "on"), L(lang, "银行日期", "value date"),
       L(lang, "类别", "kind"), L(lang, "案号", "case"), L(lang, "对方", "counterparty"),
       L(lang, "收付", "direction"), L(lang, "金额", "amount"), L(lang, "银行流水号", "bank ref")},
      {true, false, false, false, false, false, false, true, false});
  for (const MoneyMovement& m : reading.movements) {
    table.AddRow({std::to_string(m.seq), m.on.ToString(), m.value_date.ToString(),
                  Label(lang, m.op), m.case_no, m.counterparty, DirectionLabel(lang, m.direction),
                  FormatAmountGrouped(m.amount_fen), m.bank_ref});
  }
  std::string out = fmt::format("{}  {} {} {}\n\n", L(lang, "收支明细", "Movements"),
                                from.ToString(), L(lang, "至", "to"), to.ToString());
  out += table.Render() + "\n";
  return out + RenderPairs(
                   {{L(lang, "收入合计", "total in"), FormatAmountGrouped(reading.totals.in_fen)},
                    {L(lang, "支出合计", "total out"), FormatAmountGrouped(reading.totals.out_fen)},
                    {L(lang, "笔数", "count"), std::to_string(reading.totals.count)}});
}

// An amount flag: empty gives nullopt; else an amount of SPEC §1 (zero allowed).
Result<std::optional<Fen>> AmountFlag(const std::string& text, const char* flag) {
  if (text.empty()) return std::optional<Fen>();
  CASELEDGER_ASSIGN_OR_RETURN(Fen amount, ParseAmount(text, flag, AmountKind::kZeroAllowed));
  return std::optional<Fen>(amount);
}

std::optional<std::string> Given(const std::string& text) {
  return text.empty() ? std::nullopt : std::optional<std::string>(text);
}

// The query the flags give, or the usage error.
Result<MovementQuery> QueryOf(const MovementsOptions& options) {
  MovementQuery query;
  CASELEDGER_ASSIGN_OR_RETURN(std::optional<Date> from, DateFlag(options.from, "--from"));
  CASELEDGER_ASSIGN_OR_RETURN(std::optional<Date> to, DateFlag(options.to, "--to"));
  if (!from || !to) return Status::InvalidArgument("movements needs --from and --to");
  if (*from > *to) {
    return Status::InvalidArgument("--from " + options.from + " is after --to " + options.to);
  }
  query.from = *from;
  query.to = *to;
  CASELEDGER_ASSIGN_OR_RETURN(query.filter.min_fen, AmountFlag(options.min, "--min"));
  CASELEDGER_ASSIGN_OR_RETURN(query.filter.max_fen, AmountFlag(options.max, "--max"));
  if (query.filter.min_fen && query.filter.max_fen &&
      *query.filter.min_fen > *query.filter.max_fen) {
    return Status::InvalidArgument("--min " + options.min + " is above --max " + options.max);
  }
  if (!options.case_no.empty()) {
    CASELEDGER_ASSIGN_OR_RETURN(CaseNumber number, ParseCaseNumber(options.case_no, "--case"));
    query.filter.case_no = number.text;
  }
  if (options.direction == DirectionName(Direction::kIn)) query.filter.direction = Direction::kIn;
  if (options.direction == DirectionName(Direction::kOut)) query.filter.direction = Direction::kOut;
  query.filter.court = Given(options.court);
  query.filter.payer = Given(options.payer);
  query.filter.bank_ref = Given(options.bank_ref);
  query.judge = Given(options.judge);
  return query;
}

}  // namespace

int RunMovements(const Globals& globals, const MovementsOptions& options) {
  auto format = FormatOf(globals, options.csv);
  if (!format.ok()) return Usage(format.status().message());
  auto query = QueryOf(options);
  if (!query.ok()) return Usage(query.status().message());
  auto ledger = OpenReading(globals);
  if (!ledger.ok()) return ReportError(ledger.status(), globals.json);
  auto reading = ReadMovements(ledger->get(), *query);
  if (!reading.ok()) return ReportError(reading.status(), globals.json);
  if (*format == Format::kJson) {
    Out(MovementsJson(*reading, query->from, query->to));
  } else if (*format == Format::kCsv) {
    Out(MovementsCsv(*reading));
  } else {
    Out(MovementsText(*reading, globals.language(), query->from, query->to));
  }
  return kExitOk;
}

}  // namespace caseledger::cli

// caseledger report indicators / overdue / backlog / deadlines (SPEC §3, §7, §8): each gathers
// through one front door of ledger/reports.h and prints a table, JSON or CSV.
#include "core/reports.h"

#include <fmt/core.h>

#include <cstdio>

#include "cli/commands.h"
#include "cli/report_labels.h"
#include "core/csv.h"
#include "core/json.h"
#include "core/limits.h"
#include "core/money.h"
#include "ledger/ledger.h"
#include "ledger/reports.h"

namespace caseledger::cli {

Result<Format> FormatOf(const Globals& globals, bool csv) {
  if (globals.json && csv) return Status::InvalidArgument("--json and --csv exclude each other");
  if (globals.json) return Format::kJson;
  return csv ? Format::kCsv : Format::kTable;
}

std::optional<Date> FirstDayOf(const std::string& month) {
  if (month.size() != 7 || month[4] != '-') return std::nullopt;
  for (size_t i = 0; i < month.size(); ++i) {
    if (i != 4 && (month[i] < '0' || month[i] > '9')) return std::nullopt;
  }
  const int year = std::stoi(month.substr(0, 4));
  const int number = std::stoi(month.substr(5, 2));
  if (number < 1 || number > 12) return std::nullopt;
  return Date::FromYmd(year, number, 1);
}

std::string DirectionLabel(Lang lang, Direction direction) {
  return direction == Direction::kIn ? L(lang, "收", "in") : L(lang, "付", "out");
}

// "89.10%" for people: the rate is exact to four decimals, so percent to two is too.
std::string Percent(const std::optional<Fen>& rate) {
  if (!rate) return "-";
  const bool negative = *rate < 0;
  const Fen magnitude = negative ? Fen(-*rate) : *rate;
  return fmt::format("{}{}.{:02}%", negative ? "-" : "", Fen(magnitude / 100).str(),
                     (magnitude % 100).convert_to<int>());
}

namespace {

std::optional<std::string> RateJson(const std::optional<Fen>& rate) {
  return rate ? std::optional<std::string>(FormatRate(*rate)) : std::nullopt;
}

std::string Count(int64_t n) { return std::to_string(n); }
std::string Flag(bool b) { return b ? "1" : "0"; }
std::optional<std::string> KeyJson(const std::string& key) {
  return key.empty() ? std::nullopt : std::optional<std::string>(key);
}

}  // namespace

// ---- report indicators.
namespace {

void WriteIndicators(json::Writer& w, const Indicators& s) {
  w.Key("filed").Int(s.filed).Key("carried_over").Int(s.carried_over).Key("closed").Int(s.closed);
  w.Key("closure_rate").OptionalString(RateJson(s.closure_rate()));
  w.Key("closure_rate_closed").Int(s.closure_rate_closed);
  w.Key("closure_rate_base").Int(s.closure_rate_base);
  w.Key("with_property_within_limit_rate")
      .OptionalString(RateJson(s.with_property_within_limit_rate()));
  w.Key("closed_within_limit_rate").OptionalString(RateJson(s.closed_within_limit_rate()));
  w.Key("actual_enforcement_rate").OptionalString(RateJson(s.actual_enforcement_rate()));
  w.Key("recovered").String(FormatAmount(s.recovered_fen));
  w.Key("preserved").String(FormatAmount(s.preserved_fen));
  w.Key("recovery_rate").OptionalString(RateJson(s.recovery_rate()));
  w.Key("small_cases_closed").Int(s.small_cases_closed);
  w.Key("small_cases_recovered").String(FormatAmount(s.small_cases_recovered_fen));
  w.Key("collective_events").Int(s.collective_events);
  w.Key("defaulters_listed").Int(s.defaulters_listed);
  w.Key("defaulters_deleted").Int(s.defaulters_deleted);
  w.Key("restrictions").Int(s.restrictions).Key("defaulters_active").Int(s.defaulters_active);
  w.Key("payments").Int(s.payments).Key("paid_late").BeginObject().Key("count").Int(s.paid_late);
  w.Key("amount").String(FormatAmount(s.paid_late_fen)).EndObject();
  w.Key("late_payment_rate").OptionalString(RateJson(s.late_payment_rate()));
  w.Key("modes").BeginObject();
  for (size_t i = 0; i < kReportClosureModes.size(); ++i) {
    w.Key(WireName(kReportClosureModes[i])).Int(s.modes[i]);
  }
  w.EndObject().Key("categories").BeginObject();
  for (size_t i = 0; i < kReportCategories.size(); ++i) {
    w.Key(WireName(kReportCategories[i])).BeginObject().Key("closed").Int(s.categories[i].closed);
    w.Key("recovered").String(FormatAmount(s.categories[i].recovered_fen)).EndObject();
  }
  w.EndObject().Key("relief").BeginObject().Key("recipients").Int(s.relief_recipients);
  w.Key("amount").String(FormatAmount(s.relief_fen)).EndObject();
}

std::string IndicatorsJson(const IndicatorReport& report, const ReportOptions& options, Date from,
                           Date to) {
  json::Writer w;
  w.BeginObject().Key("from").String(from.ToString()).Key("to").String(to.ToString());
  w.Key("court").OptionalString(KeyJson(options.court));
  WriteIndicators(w, report.total());
  if (!options.by.empty()) {
    w.Key("by").String(options.by).Key("groups").BeginArray();
    for (const auto& group : report.groups()) {
      w.BeginObject().Key("key").OptionalString(KeyJson(group.key));
      WriteIndicators(w, group.figures);
      w.EndObject();
    }
    w.EndArray();
  }
  return w.EndObject().str() + "\n";
}

// The CSV cells of one scope's indicators after its scope and key: each column's name and value,
// in order, so that the header and every row come from one list.
std::vector<std::pair<std::string, std::string>> IndicatorCells(const Indicators& s) {
  auto rate = [](const std::optional<Fen>& r) { return r ? FormatRate(*r) : std::string(); };
  std::vector<std::pair<std::string, std::string>> cells = {
      {"filed", Count(s.filed)},
      {"carried_over", Count(s.carried_over)},
      {"closed", Count(s.closed)},
      {"closure_rate", rate(s.closure_rate())},
      {"closure_rate_closed", Count(s.closure_rate_closed)},
      {"closure_rate_base", Count(s.closure_rate_base)},
      {"with_property_within_limit_rate", rate(s.with_property_within_limit_rate())},
      {"closed_within_limit_rate", rate(s.closed_within_limit_rate())},
      {"actual_enforcement_rate", rate(s.actual_enforcement_rate())},
      {"recovered", FormatAmount(s.recovered_fen)},
      {"preserved", FormatAmount(s.preserved_fen)},
      {"recovery_rate", rate(s.recovery_rate())},
      {"small_cases_closed", Count(s.small_cases_closed)},
      {"small_cases_recovered", FormatAmount(s.small_cases_recovered_fen)},
      {"collective_events", Count(s.collective_events)},
      {"defaulters_listed", Count(s.defaulters_listed)},
      {"defaulters_deleted", Count(s.defaulters_deleted)},
      {"restrictions", Count(s.restrictions)},
      {"defaulters_active", Count(s.defaulters_active)},
      {"payments", Count(s.payments)},
      {"paid_late.count", Count(s.paid_late)},
      {"paid_late.amount", FormatAmount(s.paid_late_fen)},
      {"late_payment_rate", rate(s.late_payment_rate())}};
  for (size_t i = 0; i < kReportClosureModes.size(); ++i) {
    cells.emplace_back("modes." + std::string(WireName(kReportClosureModes[i])), Count(s.modes[i]));
  }
  for (size_t i = 0; i < kReportCategories.size(); ++i) {
    const std::string category = "categories." + std::string(WireName(kReportCategories[i]));
    cells.emplace_back(category + ".closed", Count(s.categories[i].closed));
    cells.emplace_back(category + ".recovered", FormatAmount(s.categories[i].recovered_fen));
  }
  cells.emplace_back("relief.recipients", Count(s.relief_recipients));
  cells.emplace_back("relief.amount", FormatAmount(s.relief_fen));
  return cells;
}

std::string IndicatorsCsvLine(const std::string& scope, const std::string& key,
                              const Indicators& s) {
  std::vector<std::string> row = {scope, key};
  for (auto& [name, value] : IndicatorCells(s)) row.push_back(std::move(value));
  return CsvLine(row, kSpreadsheetCsv);
}

std::string IndicatorsCsv(const IndicatorReport& report, const ReportOptions& options) {
  std::vector<std::string> header = {"scope", "key"};
  for (auto& [name, value] : IndicatorCells(report.total())) header.push_back(std::move(name));
  std::string out = CsvLine(header, kSpreadsheetCsv);
  out += IndicatorsCsvLine("total", options.court, report.total());
  for (const auto& group : report.groups()) {
    out += IndicatorsCsvLine(options.by, group.key, group.figures);
  }
  return out;
}

std::string IndicatorPairs(Lang lang, const Indicators& s) {
  auto fraction = [](int64_t a, int64_t b) { return fmt::format(" ({}/{})", a, b); };
  return RenderPairs(
      {{L(lang, "新收", "filed"), Count(s.filed)},
       {L(lang, "旧存", "carried over"), Count(s.carried_over)},
       {L(lang, "已结", "closed"), Count(s.closed)},
       {L(lang, "结案率（不含执保、执恢）", "closure rate (without 执保, 执恢)"),
        Percent(s.closure_rate()) + fraction(s.closure_rate_closed, s.closure_rate_base)},
       {L(lang, "法定期限内结案率", "closed within limit"),
        Percent(s.closed_within_limit_rate()) + fraction(s.closed_within_limit, s.closed)},
       {L(lang, "有财产案件法定期限内结案率", "with property, closed within limit"),
        Percent(s.with_property_within_limit_rate()) +
            fraction(s.closed_with_property_within_limit, s.closed_with_property)},
       {L(lang, "实际执行率", "actual enforcement rate"),
        Percent(s.actual_enforcement_rate()) + fraction(s.fully_performed, s.closed)},
       {L(lang, "执行到位金额（不含执保）", "recovered (without 执保)"),
        FormatAmountGrouped(s.recovered_fen)},
       {L(lang, "保全到位金额（执保）", "preserved (执保)"), FormatAmountGrouped(s.preserved_fen)},
       {L(lang, "执行到位率（扣除执行费，不含执保）", "recovery rate (fees netted, without 执保)"),
        Percent(s.recovery_rate()) + " (" + FormatAmountGrouped(s.closed_recovered_fen) + " / " +
            FormatAmountGrouped(s.closed_claims_fen) + ")"},
       {L(lang, "小标的案件结案", "small cases closed"), Count(s.small_cases_closed)},
       {L(lang, "小标的案件执行到位", "small cases recovered"),
        FormatAmountGrouped(s.small_cases_recovered_fen)},
       {L(lang, "集中发放活动", "collective events"), Count(s.collective_events)},
       {L(lang, "纳入失信名单", "defaulters listed"), Count(s.defaulters_listed)},
       {L(lang, "删除失信信息", "defaulters deleted"), Count(s.defaulters_deleted)},
       {L(lang, "限制消费（含失信）", "consumption restrictions (listings included)"),
        Count(s.restrictions)},
       {L(lang, "期末在列失信", "listings standing at the end"), Count(s.defaulters_active)},
       {L(lang, "案款发放笔数", "payments"), Count(s.payments)},
       {L(lang, "超期发放", "paid late"),
        fmt::format("{} {} {}", Count(s.paid_late), L(lang, "笔", "payments"),
                    FormatAmountGrouped(s.paid_late_fen))},
       {L(lang, "超期发放率", "late payment rate"),
        Percent(s.late_payment_rate()) + fraction(s.paid_late, s.payments)},
       {L(lang, "司法救助", "relief"),
        fmt::format("{} {} {}", Count(s.relief_recipients), L(lang, "人", "recipients"),
                    FormatAmountGrouped(s.relief_fen))}});
}

std::string IndicatorsText(const IndicatorReport& report, const ReportOptions& options, Lang lang,
                           Date from, Date to) {
  std::string out = fmt::format("{}  {} {} {}", L(lang, "执行工作指标", "Enforcement indicators"),
                                from.ToString(), L(lang, "至", "to"), to.ToString());
  if (!options.court.empty())
    out += fmt::format("  {} {}", L(lang, "法院", "court"), options.court);
  out += "\n\n" + IndicatorPairs(lang, report.total());
  TextTable modes({L(lang, "结案方式", "closure mode"), L(lang, "件数", "cases")}, {false, true});
  for (size_t i = 0; i < kReportClosureModes.size(); ++i) {
    modes.AddRow({Label(lang, kReportClosureModes[i]), Count(report.total().modes[i])});
  }
  TextTable categories({L(lang, "类别", "category"), L(lang, "结案", "closed"),
                        L(lang, "执行到位金额", "recovered")},
                       {false, true, true});
  for (size_t i = 0; i < kReportCategories.size(); ++i) {
    const CategoryFigures& c = report.total().categories[i];
    categories.AddRow(
        {Label(lang, kReportCategories[i]), Count(c.closed), FormatAmountGrouped(c.recovered_fen)});
  }
  out += "\n" + modes.Render() + "\n" + categories.Render();
  if (options.by.empty()) return out;
  TextTable groups(
      {options.by == "court" ? L(lang, "法院", "court") : L(lang, "承办人", "judge"),
       L(lang, "新收", "filed"), L(lang, "旧存", "carried over"), L(lang, "已结", "closed"),
       L(lang, "结案率", "closure rate"), L(lang, "期限内结案率", "within limit"),
       L(lang, "实际执行率", "actual enforcement"), L(lang, "执行到位金额", "recovered"),
       L(lang, "执行到位率", "recovery rate")},
      {false, true, true, true, true, true, true, true, true});
  for (const auto& group : report.groups()) {
    const Indicators& s = group.figures;
    groups.AddRow({group.key.empty() ? L(lang, "（未指定）", "(none)") : group.key, Count(s.filed),
                   Count(s.carried_over), Count(s.closed), Percent(s.closure_rate()),
                   Percent(s.closed_within_limit_rate()), Percent(s.actual_enforcement_rate()),
                   FormatAmountGrouped(s.recovered_fen), Percent(s.recovery_rate())});
  }
  return out + "\n" + groups.Render();
}

}  // namespace

int RunReportIndicators(const Globals& globals, const ReportOptions& options) {
  auto format = FormatOf(globals, options.csv);
  if (!format.ok()) return Usage(format.status().message());
  auto from = DateFlag(options.from, "--from");
  if (!from.ok()) return Usage(from.status().message());
  auto to = DateFlag(options.to, "--to");
  if (!to.ok()) return Usage(to.status().message());
  if (!*from || !*to) return Usage("report indicators needs --from and --to");
  if (**from > **to) return Usage("--from " + options.from + " is after --to " + options.to);
  auto ledger = OpenReading(globals);
  if (!ledger.ok()) return ReportError(ledger.status(), globals.json);
  const GroupBy by = options.by == "court"   ? GroupBy::kCourt
                     : options.by == "judge" ? GroupBy::kJudge
                                             : GroupBy::kNone;
  auto report = GatherIndicators(ledger->get(), options.court, **from, **to, by);
  if (!report.ok()) return ReportError(report.status(), globals.json);
  if (*format == Format::kJson) {
    Out(IndicatorsJson(*report, options, **from, **to));
  } else if (*format == Format::kCsv) {
    Out(IndicatorsCsv(*report, options));
  } else {
    Out(IndicatorsText(*report, options, globals.language(), **from, **to));
  }
  return kExitOk;
}

// ---- report overdue.
namespace {

std::string OverdueJson(const OverdueReport& r, const LatePaymentReport& late) {
  json::Writer w;
  w.BeginObject().Key("on").String(r.on.ToString()).Key("cases").BeginArray();
  for (const auto& c : r.cases) {
    w.BeginObject().Key("case_no").String(c.case_no);
    w.Key("overdue_amount").String(FormatAmount(c.amount_fen));
    w.Key("oldest_overdue_since").String(c.since.ToString()).EndObject();
  }
  w.EndArray().Key("unclaimed").BeginArray();
  for (const auto& u : r.unclaimed) {
    w.BeginObject().Key("bank_ref").String(u.bank_ref);
    w.Key("amount").String(FormatAmount(u.amount_fen));
    w.Key("since").String(u.since.ToString()).EndObject();
  }
  w.EndArray().Key("over_one_year").BeginArray();
  for (const auto& o : r.over_one_year) {
    w.BeginObject().Key("case_no").String(o.case_no);
    w.Key("amount").String(FormatAmount(o.amount_fen)).EndObject();
  }
  w.EndArray().Key("deletions_overdue").BeginArray();
  for (const auto& d : r.deletions_overdue) {
    w.BeginObject().Key("party_id").String(d.party_id).Key("case_no").String(d.case_no);
    w.Key("due_on").String(d.due_on.ToString()).EndObject();
  }
  w.EndArray();
  LatePaymentsJson(w, late);
  return w.EndObject().str() + "\n";
}

std::string OverdueCsv(const OverdueReport& r, const LatePaymentReport& late) {
  std::string out =
      CsvLine({"list", "case_no", "bank_ref", "party_id", "amount", "date"}, kSpreadsheetCsv);
  for (const auto& c : r.cases) {
    out += CsvLine({"cases", c.case_no, "", "", FormatAmount(c.amount_fen), c.since.ToString()},
                   kSpreadsheetCsv);
  }
  for (const auto& u : r.unclaimed) {
    out +=
        CsvLine({"unclaimed", "", u.bank_ref, "", FormatAmount(u.amount_fen), u.since.ToString()},
                kSpreadsheetCsv);
  }
  for (const auto& o : r.over_one_year) {
    out += CsvLine({"over_one_year", o.case_no, "", "", FormatAmount(o.amount_fen), ""},
                   kSpreadsheetCsv);
  }
  for (const auto& d : r.deletions_overdue) {
    out += CsvLine({"deletions_overdue", d.case_no, "", d.party_id, "", d.due_on.ToString()},
                   kSpreadsheetCsv);
  }
  // The late payments of the period, dated by their payment (the groups are the table's).
  for (const PaymentMade& p : late.late()) {
    out += CsvLine(
        {"paid_late", p.case_no, p.bank_ref, "", FormatAmount(p.amount_fen), p.on.ToString()},
        kSpreadsheetCsv);
  }
  return out;
}

// A titled section: the table, a total where there is one, or "none".
std::string Section(Lang lang, const std::string& title, const TextTable& table,
                    const std::string& total = "") {
  if (table.rows() == 0) return title + "\n" + L(lang, "无", "none") + "\n";
  return title + "\n" + table.Render() + total;
}

std::string OverdueText(const OverdueReport& r, const LatePaymentReport& late, Lang lang) {
  std::string out = fmt::format("{}  {} {}\n\n", L(lang, "超期款项报告", "Overdue report"),
                                L(lang, "截至", "on"), r.on.ToString());
  auto total_line = [&](const Fen& total) {
    return fmt::format("{} {}\n", L(lang, "合计", "total"), FormatAmountGrouped(total));
  };
  TextTable cases({L(lang, "案号", "case_no"), L(lang, "超期未发放", "overdue amount"),
                   L(lang, "超期起始日", "overdue since")},
                  {false, true, false});
  Fen cases_total = 0;
  for (const auto& c : r.cases) {
    cases.AddRow({c.case_no, FormatAmountGrouped(c.amount_fen), c.since.ToString()});
    cases_total += c.amount_fen;
  }
  TextTable unclaimed({L(lang, "银行流水号", "bank_ref"), L(lang, "未认领金额", "unclaimed"),
                       L(lang, "超期起始日", "overdue since")},
                      {false, true, false});
  Fen unclaimed_total = 0;
  for (const auto& u : r.unclaimed) {
    unclaimed.AddRow({u.bank_ref, FormatAmountGrouped(u.amount_fen), u.since.ToString()});
    unclaimed_total += u.amount_fen;
  }
  TextTable old({L(lang, "案号", "case_no"), L(lang, "超一年未发放", "unpaid over one year")},
                {false, true});
  Fen old_total = 0;
  for (const auto& o : r.over_one_year) {
    old.AddRow({o.case_no, FormatAmountGrouped(o.amount_fen)});
    old_total += o.amount_fen;
  }
  TextTable deletions({L(lang, "当事人", "party_id"), L(lang, "案号", "case_no"),
                       L(lang, "应删除日期", "deletion due on")});
  for (const auto& d : r.deletions_overdue) {
    deletions.AddRow({d.party_id, d.case_no, d.due_on.ToString()});
  }
  out += Section(lang, L(lang, "一、超期未发放案款", "1. Money past its payout deadline"), cases,
                 total_line(cases_total));
  out += "\n" + Section(lang,
                        L(lang, "二、超期未认领不明款",
                          "2. Unidentified money unclaimed "
                          "past its limit"),
                        unclaimed, total_line(unclaimed_total));
  out += "\n" + Section(lang, L(lang, "三、超一年未发放案款", "3. Money unpaid over one year"), old,
                        total_line(old_total));
  out += "\n" + Section(lang,
                        L(lang, "四、逾期未删除失信信息（3个工作日）",
                          "4. Defaulter deletions past due (3 working days)"),
                        deletions);
  out += "\n" +
         fmt::format("{}（{} {} {}）\n",
                     L(lang, "五、超期发放案款", "5. Payments made past their deadline"),
                     late.from().ToString(), L(lang, "至", "to"), late.to().ToString()) +
         LatePaymentsText(lang, late);
  return out;
}

}  // namespace

int RunReportOverdue(const Globals& globals, const ReportOptions& options) {
  auto format = FormatOf(globals, options.csv);
  if (!format.ok()) return Usage(format.status().message());
  auto on_flag = DateFlag(options.on, "--on");
  if (!on_flag.ok()) return Usage(on_flag.status().message());
  auto from_flag = DateFlag(options.from, "--from");
  if (!from_flag.ok()) return Usage(from_flag.status().message());
  auto ledger = OpenReading(globals);
  if (!ledger.ok()) return ReportError(ledger.status(), globals.json);
  Result<Date> on = DateOrToday(*on_flag);
  if (!on.ok()) return ReportError(on.status(), globals.json);
  // Late payments from --from, by default the first day of --on's month, up to --on.
  const Date from = *from_flag ? **from_flag : on->AddDays(1 - on->day());
  if (*on < from) {
    return Usage("--from " + from.ToString() + " is after --on " + on->ToString());
  }
  auto report = GatherOverdue(ledger->get(), options.court, *on);
  if (!report.ok()) return ReportError(report.status(), globals.json);
  auto late = GatherLatePayments(ledger->get(), options.court, from, *on);
  if (!late.ok()) return ReportError(late.status(), globals.json);
  if (*format == Format::kJson) {
    Out(OverdueJson(*report, *late));
  } else if (*format == Format::kCsv) {
    Out(OverdueCsv(*report, *late));
  } else {
    Out(OverdueText(*report, *late, globals.language()));
  }
  return kExitOk;
}

// ---- report backlog.
namespace {

// The case numbers of the rows for which `in_list` holds.
std::vector<std::string> ListOf(const BacklogReport& r, bool BacklogRow::*in_list) {
  std::vector<std::string> cases;
  for (const auto& row : r.rows()) {
    if (row.*in_list) cases.push_back(row.case_no);
  }
  return cases;
}

struct BacklogList {
  const char* key;
  bool BacklogRow::*member;
  const char* zh;
  const char* en;
};
constexpr BacklogList kBacklogLists[] = {
    {"past_deadline", &BacklogRow::past_deadline, "超审限未结", "past the closure deadline"},
    {"over_one_year", &BacklogRow::over_one_year, "未结超一年", "open over one year"},
    {"over_three_years", &BacklogRow::over_three_years, "未结超三年", "open over three years"},
    {"over_five_years", &BacklogRow::over_five_years, "未结超五年", "open over five years"},
    {"over_ten_years", &BacklogRow::over_ten_years, "未结超十年", "open over ten years"},
};

std::string BacklogJson(const BacklogReport& r) {
  json::Writer w;
  w.BeginObject().Key("on").String(r.on().ToString());
  for (const auto& list : kBacklogLists) {
    w.Key(list.key).BeginArray();
    for (const auto& case_no : ListOf(r, list.member)) w.String(case_no);
    w.EndArray();
  }
  if (r.from()) {
    w.Key("from").String(r.from()->ToString());
    w.Key("backlog_one_year").Int(r.backlog_one_year());
    w.Key("cleared_one_year").Int(r.cleared_one_year());
    w.Key("clearing_rate_one_year").OptionalString(RateJson(r.clearing_rate_one_year()));
    w.Key("backlog_three_years").Int(r.backlog_three_years());
    w.Key("cleared_three_years").Int(r.cleared_three_years());
    w.Key("clearing_rate_three_years").OptionalString(RateJson(r.clearing_rate_three_years()));
  }
  return w.EndObject().str() + "\n";
}

std::string BacklogCsv(const BacklogReport& r) {
  std::vector<std::string> header = {"case_no", "judge", "filed_on", "deadline"};
  for (const auto& list : kBacklogLists) header.push_back(list.key);
  if (r.from()) {
    header.insert(header.end(), {"backlog_one_year", "cleared_one_year", "backlog_three_years",
                                 "cleared_three_years"});
  }
  std::string out = CsvLine(header, kSpreadsheetCsv);
  for (const auto& row : r.rows()) {
    std::vector<std::string> fields = {row.case_no, row.judge, row.filed_on,
                                       row.deadline ? row.deadline->ToString() : ""};
    for (const auto& list : kBacklogLists) fields.push_back(Flag(row.*list.member));
    if (r.from()) {
      fields.insert(fields.end(), {Flag(row.backlog_one_year), Flag(row.cleared_one_year),
                                   Flag(row.backlog_three_years), Flag(row.cleared_three_years)});
    }
    out += CsvLine(fields, kSpreadsheetCsv);
  }
  return out;
}

std::string BacklogText(const BacklogReport& r, Lang lang) {
  std::string out = fmt::format("{}  {} {}\n\n", L(lang, "积案报告", "Backlog report"),
                                L(lang, "截至", "on"), r.on().ToString());
  std::vector<std::pair<std::string, std::string>> pairs;
  for (const auto& list : kBacklogLists) {
    pairs.push_back({L(lang, list.zh, list.en), Count(ListOf(r, list.member).size())});
  }
  if (r.from()) {
    auto clearing = [&](int64_t backlog, int64_t cleared, const std::optional<Fen>& rate) {
      return lang == Lang::kZh
                 ? fmt::format("{} 件，已结 {} 件，清积率 {}", backlog, cleared, Percent(rate))
                 : fmt::format("{} cases, {} closed, clearing rate {}", backlog, cleared,
                               Percent(rate));
    };
    const std::string from = r.from()->ToString();
    pairs.push_back(
        {lang == Lang::kZh ? from + " 时未结超一年" : "over one year on " + from,
         clearing(r.backlog_one_year(), r.cleared_one_year(), r.clearing_rate_one_year())});
    pairs.push_back({lang == Lang::kZh ? from + " 时未结超三年" : "over three years on " + from,
                     clearing(r.backlog_three_years(), r.cleared_three_years(),
                              r.clearing_rate_three_years())});
  }
  out += RenderPairs(pairs);
  TextTable table({L(lang, "案号", "case_no"), L(lang, "承办人", "judge"),
                   L(lang, "立案日期", "filed_on"), L(lang, "结案期限", "deadline"),
                   L(lang, "超审限", "past deadline"), L(lang, "未结年限", "open over")});
  for (const auto& row : r.rows()) {
    if (!row.deadline) continue;  // closed on D: counted in the clearing only
    const char* age = row.over_ten_years     ? "> 10"
                      : row.over_five_years  ? "> 5"
                      : row.over_three_years ? "> 3"
                      : row.over_one_year    ? "> 1"
                                             : "";
    table.AddRow({row.case_no, row.judge.empty() ? "-" : row.judge, row.filed_on,
                  row.deadline->ToString(), row.past_deadline ? L(lang, "是", "yes") : "",
                  *age == '\0' ? "" : std::string(age) + L(lang, " 年", " years")});
  }
  if (table.rows() > 0) out += "\n" + table.Render();
  return out;
}

}  // namespace

int RunReportBacklog(const Globals& globals, const ReportOptions& options) {
  auto format = FormatOf(globals, options.csv);
  if (!format.ok()) return Usage(format.status().message());
  auto on_flag = DateFlag(options.on, "--on");
  if (!on_flag.ok()) return Usage(on_flag.status().message());
  auto from = DateFlag(options.from, "--from");
  if (!from.ok()) return Usage(from.status().message());
  auto ledger = OpenReading(globals);
  if (!ledger.ok()) return ReportError(ledger.status(), globals.json);
  Result<Date> on = DateOrToday(*on_flag);
  if (!on.ok()) return ReportError(on.status(), globals.json);
  if (*from && **from > *on)
    return Usage("--from " + options.from + " is after --on " + on->ToString());
  auto report = GatherBacklog(ledger->get(), options.court, *on, *from);
  if (!report.ok()) return ReportError(report.status(), globals.json);
  if (*format == Format::kJson) {
    Out(BacklogJson(*report));
  } else if (*format == Format::kCsv) {
    Out(BacklogCsv(*report));
  } else {
    Out(BacklogText(*report, globals.language()));
  }
  return kExitOk;
}

// ---- report deadlines.
namespace {

std::string DeadlinesJson(const DeadlinesReport& r) {
  json::Writer w;
  w.BeginObject().Key("on").String(r.on().ToString()).Key("within").Int(r.within_days());
  w.Key("judges").BeginArray();
  for (const auto& judge : r.judges()) {
    w.BeginObject().Key("judge").OptionalString(KeyJson(judge.judge)).Key("cases").BeginArray();
    for (const auto& c : judge.cases) {
      w.BeginObject().Key("case_no").String(c.case_no);
      w.Key("deadline").String(c.deadline.ToString()).EndObject();
    }
    w.EndArray().Key("money").BeginArray();
    for (const auto& m : judge.money) {
      w.BeginObject().Key("case_no").String(m.case_no);
      w.Key("amount").String(FormatAmount(m.amount_fen));
      w.Key("deadline").String(m.deadline.ToString()).EndObject();
    }
    w.EndArray().EndObject();
  }
  return w.EndArray().EndObject().str() + "\n";
}

std::string DeadlinesCsv(const DeadlinesReport& r) {
  std::string out = CsvLine({"judge", "kind", "case_no", "deadline", "amount"}, kSpreadsheetCsv);
  for (const auto& judge : r.judges()) {
    for (const auto& c : judge.cases) {
      out += CsvLine({judge.judge, "case", c.case_no, c.deadline.ToString(), ""}, kSpreadsheetCsv);
    }
    for (const auto& m : judge.money) {
      out += CsvLine(
          {judge.judge, "money", m.case_no, m.deadline.ToString(), FormatAmount(m.amount_fen)},
          kSpreadsheetCsv);
    }
  }
  return out;
}

std::string DeadlinesText(const DeadlinesReport& r, Lang lang) {
  std::string out = fmt::format("{}  {} {} {}\n\n", L(lang, "期限提醒", "Deadlines"),
                                r.on().ToString(), L(lang, "至", "to"), r.last_day().ToString());
  TextTable table(
      {L(lang, "承办人", "judge"), L(lang, "事项", "what"), L(lang, "案号", "case_no"),
       L(lang, "期限", "deadline"), L(lang, "剩余天数", "days left"), L(lang, "金额", "amount")},
      {false, false, false, false, true, true});
  for (const auto& judge : r.judges()) {
    const std::string name = judge.judge.empty() ? L(lang, "（未指定）", "(none)") : judge.judge;
    for (const auto& c : judge.cases) {
      table.AddRow({name, L(lang, "结案期限", "closure"), c.case_no, c.deadline.ToString(),
                    Count(DaysBetween(r.on(), c.deadline)), ""});
    }
    for (const auto& m : judge.money) {
      table.AddRow({name, L(lang, "案款发放期限", "payout"), m.case_no, m.deadline.ToString(),
                    Count(DaysBetween(r.on(), m.deadline)), FormatAmountGrouped(m.amount_fen)});
    }
  }
  if (table.rows() == 0) return out + L(lang, "无\n", "none\n");
  return out + table.Render();
}

}  // namespace

int RunReportDeadlines(const Globals& globals, const ReportOptions& options) {
  auto format = FormatOf(globals, options.csv);
  if (!format.ok()) return Usage(format.status().message());
  auto on_flag = DateFlag(options.on, "--on");
  if (!on_flag.ok()) return Usage(on_flag.status().message());
  if (options.within < 0 || options.within > kDeadlinesWithinDaysMax) {
    return Usage(fmt::format("--within: must be 0 to {} days", kDeadlinesWithinDaysMax));
  }
  auto ledger = OpenReading(globals);
  if (!ledger.ok()) return ReportError(ledger.status(), globals.json);
  Result<Date> on = DateOrToday(*on_flag);
  if (!on.ok()) return ReportError(on.status(), globals.json);
  auto report = GatherDeadlines(ledger->get(), options.court, *on, options.within);
  if (!report.ok()) return ReportError(report.status(), globals.json);
  if (*format == Format::kJson) {
    Out(DeadlinesJson(*report));
  } else if (*format == Format::kCsv) {
    Out(DeadlinesCsv(*report));
  } else {
    Out(DeadlinesText(*report, globals.language()));
  }
  return kExitOk;
}

}  // namespace caseledger::cli

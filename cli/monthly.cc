// caseledger report monthly --month YYYY-MM --html FILE: the monthly supervision report (月度
//监督通报) as one self-contained HTML page: the month's indicators, bar charts drawn as inline SVG
// and the overdue list with a light per case. The figures come from the indicators, overdue and
// backlog reports (GatherMonthly, ledger/reports.h); this file only lays them out. Bar lengths
// are integer arithmetic on fen: no floating point anywhere near an amount.
#include <fmt/core.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <map>
#include <string>
#include <vector>

#include "cli/commands.h"
#include "cli/report_labels.h"
#include "core/identifiers.h"
#include "core/json.h"
#include "core/money.h"
#include "core/reports.h"
#include "ledger/ledger.h"
#include "ledger/reports.h"

namespace caseledger::cli {

// Text for HTML element content and attribute values: names and case numbers come from users.
std::string HtmlEscape(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&#39;";
        break;
      default:
        out += c;
    }
  }
  return out;
}

namespace {

// The longest bar of a chart, in SVG user units (pixels); other bars are scaled to it.
constexpr int64_t kBarMaxPx = 400;
constexpr int64_t kChartLabelPx = 190;
constexpr int64_t kChartRowPx = 30;

// ---- The page.

struct Bar {
  std::string label;
  Fen value = 0;  // fen or a count; negative values draw no bar
  std::string text;
};

// A horizontal bar chart: the longest bar is kBarMaxPx, the others value × kBarMaxPx ÷ max,
// rounded down, in integers.
std::string BarChart(const std::string& title, const std::vector<Bar>& bars,
                     const std::string& color) {
  Fen max = 0;
  for (const auto& bar : bars) max = std::max(max, bar.value);
  const int64_t height = kChartRowPx * static_cast<int64_t>(bars.size()) + 10;
  const int64_t width = kChartLabelPx + kBarMaxPx + 160;
  std::string svg = fmt::format(
      "<figure><figcaption>{}</figcaption>\n<svg xmlns=\"http://www.w3.org/2000/svg\" "
      "width=\"{}\" height=\"{}\" viewBox=\"0 0 {} {}\" role=\"img\" aria-label=\"{}\">\n",
      HtmlEscape(title), width, height, width, height, HtmlEscape(title));
  int64_t y = 5;
  for (const auto& bar : bars) {
    const Fen length = max > 0 && bar.value > 0 ? Fen(bar.value * kBarMaxPx / max) : Fen(0);
    const int64_t length_px = length.convert_to<int64_t>();
    svg += fmt::format(
        "<text x=\"{}\" y=\"{}\" text-anchor=\"end\">{}</text>"
        "<rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" fill=\"{}\"/>"
        "<text x=\"{}\" y=\"{}\">{}</text>\n",
        kChartLabelPx - 8, y + 18, HtmlEscape(bar.label), kChartLabelPx, y + 4, length_px,
        kChartRowPx - 8, color, kChartLabelPx + length_px + 6, y + 18, HtmlEscape(bar.text));
    y += kChartRowPx;
  }
  return svg + "</svg></figure>\n";
}

std::string Count(int64_t n) { return std::to_string(n); }

std::string IndicatorsTable(const Indicators& s) {
  auto fraction = [](int64_t a, int64_t b) { return fmt::format("（{}/{}）", a, b); };
  const std::vector<std::pair<std::string, std::string>> rows = {
      {"新收", Count(s.filed)},
      {"旧存", Count(s.carried_over)},
      {"已结", Count(s.closed)},
      {"结案率（不含执保、执恢）",
       Percent(s.closure_rate()) + fraction(s.closure_rate_closed, s.closure_rate_base)},
      {"法定期限内结案率",
       Percent(s.closed_within_limit_rate()) + fraction(s.closed_within_limit, s.closed)},
      {"有财产案件法定期限内结案率",
       Percent(s.with_property_within_limit_rate()) +
           fraction(s.closed_with_property_within_limit, s.closed_with_property)},
      {"实际执行率", Percent(s.actual_enforcement_rate()) + fraction(s.fully_performed, s.closed)},
      {"执行到位金额（元）", FormatAmountGrouped(s.recovered_fen)},
      {"执行到位率", Percent(s.recovery_rate()) + "（" +
                         FormatAmountGrouped(s.closed_recovered_fen) + " / " +
                         FormatAmountGrouped(s.closed_claims_fen) + "）"},
      {"小标的案件结案", Count(s.small_cases_closed)},
      {"小标的案件执行到位（元）", FormatAmountGrouped(s.small_cases_recovered_fen)},
      {"集中发放活动", Count(s.collective_events)},
      {"纳入失信名单", Count(s.defaulters_listed)},
      {"删除失信信息", Count(s.defaulters_deleted)},
      {"保全到位金额（执保，元）", FormatAmountGrouped(s.preserved_fen)},
      {"超期发放", Count(s.paid_late) + " 笔，" + FormatAmountGrouped(s.paid_late_fen) + " 元"},
      {"超期发放率", Percent(s.late_payment_rate()) + fraction(s.paid_late, s.payments)},
      {"司法救助",
       Count(s.relief_recipients) + " 人，" + FormatAmountGrouped(s.relief_fen) + " 元"}};
  std::string html = "<table class=\"indicators\">\n<tr><th>指标</th><th>本月</th></tr>\n";
  for (const auto& [label, value] : rows) {
    html += "<tr><td>" + HtmlEscape(label) + "</td><td class=\"num\">" + HtmlEscape(value) +
            "</td></tr>\n";
  }
  return html + "</table>\n";
}

// The closed cases of the month by the categories the seed reports count (SPEC §7).
std::string CategoriesTable(const Indicators& s) {
  std::string html =
      "<table class=\"indicators\">\n<tr><th>类别</th><th>结案</th><th>执行到位（元）</th></tr>\n";
  for (size_t i = 0; i < kReportCategories.size(); ++i) {
    html += "<tr><td>" + HtmlEscape(Label(Lang::kZh, kReportCategories[i])) +
            "</td><td class=\"num\">" + Count(s.categories[i].closed) + "</td><td class=\"num\">" +
            HtmlEscape(FormatAmountGrouped(s.categories[i].recovered_fen)) + "</td></tr>\n";
  }
  return html + "</table>\n";
}

// "超期 1–30 天（黄灯）", ..., "超期 366 天以上（红灯）": band i of kOverdueAgeBands.
std::string AgeBandLabel(size_t band) {
  const char* light = band == 0 ? "（黄灯）" : "（红灯）";
  const int64_t first = band == 0 ? 1 : kOverdueAgeBands[band - 1] + 1;
  if (band == kOverdueAgeBands.size()) return fmt::format("超期 {} 天以上{}", first, light);
  return fmt::format("超期 {}–{} 天{}", first, kOverdueAgeBands[band], light);
}

std::string Charts(const MonthlyFigures& f) {
  // Refunds apart: the money recovered before refunds, and the refunds, so that a week whose
  // refunds exceed its receipts draws no negative 执行到位金额.
  std::vector<Bar> weeks;
  std::vector<Bar> refunds;
  for (const auto& week : f.weeks) {
    const std::string label =
        week.start.ToString().substr(5) + " 至 " + week.end.ToString().substr(5);
    const Fen before_refunds = week.recovered_fen + week.refunded_fen;
    weeks.push_back({label, before_refunds, FormatAmountGrouped(before_refunds)});
    refunds.push_back({label, week.refunded_fen, FormatAmountGrouped(week.refunded_fen)});
  }
  // Overdue money by how long past its own lot's deadline on the last day, in the bands the
  // lights' legend names.
  std::vector<Bar> ages;
  for (size_t i = 0; i < f.overdue_by_age.size(); ++i) {
    ages.push_back(
        {AgeBandLabel(i), f.overdue_by_age[i], FormatAmountGrouped(f.overdue_by_age[i])});
  }
  std::vector<Bar> modes;
  for (size_t i = 0; i < kReportClosureModes.size(); ++i) {
    const int64_t n = f.indicators.modes[i];
    modes.push_back({Label(Lang::kZh, kReportClosureModes[i]), n, Count(n) + " 件"});
  }
  const std::array<const char*, 4> backlog_labels = {"未结超一年", "未结超三年", "未结超五年",
                                                     "未结超十年"};
  std::vector<Bar> backlog;
  for (size_t i = 0; i < backlog_labels.size(); ++i) {
    backlog.push_back({backlog_labels[i], f.backlog[i + 1], Count(f.backlog[i + 1]) + " 件"});
  }
  return "<h2>二、图表</h2>\n<div class=\"charts\">\n" +
         BarChart("本月各周执行到位金额（退款前，元）", weeks, "#2b6cb0") +
         BarChart("本月各周退款（元）", refunds, "#6b46c1") +
         BarChart("月末超期未发放案款（元），按超过发放期限天数", ages, "#c53030") +
         BarChart("本月结案方式（件）", modes, "#2f855a") +
         BarChart(fmt::format("月末积案（件）；超审限未结 {} 件", f.backlog[0]), backlog,
                  "#975a16") +
         "</div>\n";
}

// A light's CSS class and its name on the page.
std::pair<const char*, const char*> LightNames(Light light) {
  switch (light) {
    case Light::kRed:
      return {"red", "红"};
    case Light::kYellow:
      return {"yellow", "黄"};
    case Light::kGreen:
      return {"green", "绿"};
  }
  return {"green", "绿"};
}

std::string LightTable(const MonthlyFigures& f) {
  std::string html = fmt::format(
      "<h2>三、案款发放亮灯</h2>\n<p class=\"legend\">"
      "<span class=\"light green\">绿</span> 账上有款、无超期未发放；"
      "<span class=\"light yellow\">黄</span> 超过发放期限 1–{} 天；"
      "<span class=\"light red\">红</span> 超过发放期限 {} 天及以上。"
      "金额单位：元。</p>\n",
      kYellowDaysMax, kYellowDaysMax + 1);
  html +=
      "<table class=\"overdue\">\n<tr><th>灯</th><th>案号</th>"
      "<th>承办人</th><th>申请执行人</th><th>账户余额</th><th>超期未发放</th><th>超期起始日</th>"
      "<th>超期天数</th></tr>\n";
  for (const auto& row : f.lights) {
    const auto [light_class, light_text] = LightNames(row.light);
    html += fmt::format(
        "<tr class=\"{0}\"><td><span class=\"light {0}\">{1}</span></td><td>{2}</td><td>{3}</td>"
        "<td>{4}</td><td class=\"num\">{5}</td><td class=\"num\">{6}</td><td>{7}</td>"
        "<td class=\"num\">{8}</td></tr>\n",
        light_class, light_text, HtmlEscape(row.case_no), HtmlEscape(row.holding.judge),
        HtmlEscape(row.holding.creditor), FormatAmountGrouped(row.holding.balance_fen),
        FormatAmountGrouped(row.overdue_fen), row.since ? row.since->ToString() : "-",
        row.since ? Count(row.days_past) : "-");
  }
  return html + "</table>\n";
}

std::string OtherOverdue(const OverdueReport& r) {
  Fen unclaimed = 0, old = 0;
  for (const auto& u : r.unclaimed) unclaimed += u.amount_fen;
  for (const auto& o : r.over_one_year) old += o.amount_fen;
  return fmt::format(
      "<h2>四、其他超期事项</h2>\n<table class=\"other\">\n"
      "<tr><td>超期未认领不明款</td><td class=\"num\">{} 笔</td><td class=\"num\">{}</td></tr>\n"
      "<tr><td>超一年未发放案款</td><td class=\"num\">{} 件</td><td class=\"num\">{}</td></tr>\n"
      "<tr><td>逾期未删除失信信息</td><td class=\"num\">{} 条</td><td></td></tr>\n</table>\n",
      r.unclaimed.size(), FormatAmountGrouped(unclaimed), r.over_one_year.size(),
      FormatAmountGrouped(old), r.deletions_overdue.size());
}

constexpr const char* kStyle = R"(<style>
body { font-family: "Noto Sans CJK SC", "Source Han Sans SC", "Microsoft YaHei", sans-serif;
       margin: 24px; color: #1a202c; }
h1 { font-size: 24px; } h2 { font-size: 18px; margin-top: 28px; }
table { border-collapse: collapse; margin: 8px 0; }
th, td { border: 1px solid #cbd5e0; padding: 4px 10px; }
th { background: #edf2f7; } td.num { text-align: right; font-variant-numeric: tabular-nums; }
figure { margin: 12px 0; } figcaption { font-weight: bold; margin-bottom: 4px; }
svg text { font-size: 13px; fill: #1a202c; }
.light { display: inline-block; min-width: 1.6em; text-align: center; border-radius: 0.8em;
         color: #fff; font-weight: bold; }
.light.red { background: #e53e3e; } .light.yellow { background: #d69e2e; }
.light.green { background: #38a169; }
</style>
)";

// 收支月报: the books of the special account for the month, as `report cashbook` prints them.
std::string CashbookTable(const CashbookReading& reading) {
  std::string html =
      "<h2>七、收支月报（按记账日期）</h2>\n<table class=\"cashbook\">\n<tr><th>账户</th>"
      "<th>期初余额</th><th>本月收入</th><th>本月支出</th><th>期末余额</th></tr>\n";
  for (const CashbookRow& row : RowsWithTotal(reading)) {
    html += "<tr><td>" + HtmlEscape(AccountLabel(Lang::kZh, row.account)) + "</td>";
    for (const Fen& fen : {row.opening_fen, row.in_fen, row.out_fen, row.closing()}) {
      html += "<td class=\"num\">" + FormatAmountGrouped(fen) + "</td>";
    }
    html += "</tr>\n";
  }
  return html + "</table>\n";
}

// SPEC §9: the month's payments to an account other than the payee's registered one (at
// open_case or by an approved change_payee_account), each needing the court leader's step.
std::string UnregisteredPayments(const LatePaymentReport& r) {
  const std::vector<PaymentMade> payments = r.unregistered();
  std::string html = "<h2>六、付至非登记账户的款项</h2>\n";
  if (payments.empty()) return html + "<p>本月无。</p>\n";
  html += "<p>本月 " + std::to_string(payments.size()) +
          " 笔款项付至收款人登记账户以外的账户（须经分管院领导审批）。</p>\n"
          "<table class=\"other\">\n<tr><th>日期</th><th>案号</th><th>收款人</th>"
          "<th>收款账户</th><th class=\"num\">金额</th><th>银行流水号</th></tr>\n";
  for (const PaymentMade& p : payments) {
    html += "<tr><td>" + p.on.ToString() + "</td><td>" + HtmlEscape(p.case_no) + "</td><td>" +
            HtmlEscape(p.payee) + "</td><td>" + HtmlEscape(MaskedAccount(p.account)) +
            "</td><td class=\"num\">" + FormatAmountGrouped(p.amount_fen) + "</td><td>" +
            HtmlEscape(p.bank_ref) + "</td></tr>\n";
  }
  return html + "</table>\n";
}

std::string Page(const MonthlyFigures& f) {
  const std::string month = f.first.ToString().substr(0, 7);
  const std::string scope = f.court.empty() ? "全部法院" : "法院 " + f.court;
  std::string html = "<!DOCTYPE html>\n<html lang=\"zh-CN\">\n<head>\n<meta charset=\"utf-8\">\n";
  html += "<title>" + HtmlEscape(month + " 执行案款月度监督报告") + "</title>\n" + kStyle;
  html += "</head>\n<body>\n<h1>" + HtmlEscape(month + " 执行案款月度监督报告") + "</h1>\n";
  html += "<p>" + HtmlEscape(scope) + "；统计期间 " + f.first.ToString() + " 至 " +
          f.last.ToString() + "；超期、积案截至 " + f.last.ToString() + "。</p>\n";
  html += "<h2>一、本月指标</h2>\n" + IndicatorsTable(f.indicators);
  html += "<h3>结案分类</h3>\n" + CategoriesTable(f.indicators);
  html += Charts(f) + LightTable(f) + OtherOverdue(f.overdue);
  html += "<h2>五、本月超期发放</h2>\n" + LatePaymentsHtml(f.late);
  html += UnregisteredPayments(f.late) + CashbookTable(f.cashbook);
  return html + "</body>\n</html>\n";
}

// Writes the whole page or reports why not.
Status WritePage(const std::string& path, const std::string& html) {
  std::FILE* file = std::fopen(path.c_str(), "wb");
  if (file == nullptr) {
    return Status::InvalidArgument("cannot write " + path + ": " + std::strerror(errno));
  }
  const size_t written = std::fwrite(html.data(), 1, html.size(), file);
  const int error = written == html.size() ? 0 : errno;
  if (std::fclose(file) != 0 || written != html.size()) {
    return Status::InvalidArgument("cannot write " + path + ": " +
                                   std::strerror(error != 0 ? error : errno));
  }
  return Status::Ok();
}

// The lights of a group (a judge's or a court's cases): the worst, how many of each, the overdue
// money and the most days past a deadline.
struct LightGroup {
  Light worst = Light::kGreen;
  std::array<int64_t, 3> count{};  // red, yellow, green
  Fen overdue_fen = 0;
  int64_t days_past = 0;
};

void AddToGroup(const LightRow& row, LightGroup* group) {
  group->worst = std::min(group->worst, row.light);  // red < yellow < green
  ++group->count[static_cast<size_t>(row.light)];
  group->overdue_fen += row.overdue_fen;
  group->days_past = std::max(group->days_past, row.days_past);
}

void WriteGroups(json::Writer& w, const char* key,
                 const std::map<std::string, LightGroup>& groups) {
  w.Key(key).BeginArray();
  for (const auto& [name, g] : groups) {
    w.BeginObject().Key(key == std::string("by_judge") ? "judge" : "court").String(name);
    w.Key("light").String(LightNames(g.worst).first).Key("red").Int(g.count[0]);
    w.Key("yellow").Int(g.count[1]).Key("green").Int(g.count[2]);
    w.Key("overdue").String(FormatAmount(g.overdue_fen)).Key("days_past").Int(g.days_past);
    w.EndObject();
  }
  w.EndArray();
}

// `report monthly --json` without --html: the lights of the page's section 三 (the console's
// overdue board), per case and grouped per judge and per court by the worst light.
std::string LightsJson(const MonthlyFigures& f, const std::string& month) {
  json::Writer w;
  w.BeginObject().Key("month").String(month).Key("yellow_days_max").Int(kYellowDaysMax);
  std::map<std::string, LightGroup> by_judge, by_court;
  w.Key("lights").BeginArray();
  for (const LightRow& row : f.lights) {
    const Result<CaseNumber> number = ParseCaseNumber(row.case_no, "case_no");
    const std::string court = number.ok() ? number->court : "";
    AddToGroup(row, &by_judge[row.holding.judge]);
    AddToGroup(row, &by_court[court]);
    w.BeginObject().Key("light").String(LightNames(row.light).first);
    w.Key("case_no").String(row.case_no).Key("court").String(court);
    w.Key("judge").String(row.holding.judge).Key("creditor").String(row.holding.creditor);
    w.Key("balance").String(FormatAmount(row.holding.balance_fen));
    w.Key("overdue").String(FormatAmount(row.overdue_fen));
    w.Key("since").OptionalString(
        Opt(row.since.has_value(), row.since ? row.since->ToString() : ""));
    w.Key("days_past").Int(row.since ? row.days_past : 0).EndObject();
  }
  w.EndArray();
  WriteGroups(w, "by_judge", by_judge);
  WriteGroups(w, "by_court", by_court);
  return w.EndObject().str() + "\n";
}

}  // namespace

int RunReportMonthly(const Globals& globals, const MonthlyOptions& options) {
  const std::optional<Date> first = FirstDayOf(options.month);
  if (!first) return Usage("--month: expected YYYY-MM with a month 01 to 12, got " + options.month);
  if (options.html.empty() && !globals.json) return Usage("report monthly needs --html FILE");
  auto ledger = OpenReading(globals);
  if (!ledger.ok()) return ReportError(ledger.status(), globals.json);
  auto figures = GatherMonthly(ledger->get(), options.court, *first);
  if (!figures.ok()) return ReportError(figures.status(), globals.json);
  if (options.html.empty()) {
    WriteOut(LightsJson(*figures, options.month));
    return kExitOk;
  }
  Status written = WritePage(options.html, Page(*figures));
  if (!written.ok()) return Usage(written.message());
  if (globals.json) {
    json::Writer w;
    w.BeginObject().Key("month").String(options.month).Key("html").String(options.html);
    const std::string text = w.EndObject().str() + "\n";
    WriteOut(text);
  } else {
    WriteOut("已写入 " + options.html + "\n");
  }
  return kExitOk;
}

}  // namespace caseledger::cli

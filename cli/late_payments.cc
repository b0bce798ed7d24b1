// Late payments (超期发放) as `report overdue` and `report monthly` print them: the payments of a
// period that took money from a lot past its payout deadline, their count and amount by court
// and judge, and 超期发放率 (GatherLatePayments, ledger/reports.h). One file, so that the table,
// the JSON and the monthly page say the same thing in the same words.
#include <fmt/core.h>

#include <string>
#include <vector>

#include "cli/report_labels.h"
#include "core/json.h"
#include "core/money.h"
#include "core/reports.h"

namespace caseledger::cli {
namespace {

std::optional<std::string> RateJson(const std::optional<Fen>& rate) {
  return rate ? std::optional<std::string>(FormatRate(*rate)) : std::nullopt;
}

void TallyJson(json::Writer& w, const PaymentTally& t) {
  w.Key("payments").Int(t.payments).Key("count").Int(t.late);
  w.Key("amount").String(FormatAmount(t.late_fen));
  w.Key("late_payment_rate").OptionalString(RateJson(t.late_payment_rate()));
}

void GroupsJson(json::Writer& w, const char* name, const char* key,
                const std::map<std::string, PaymentTally>& groups) {
  w.Key(name).BeginArray();
  for (const auto& [value, tally] : groups) {
    w.BeginObject().Key(key).String(value);
    TallyJson(w, tally);
    w.EndObject();
  }
  w.EndArray();
}

// The columns of a group table: payments, late, late amount, rate.
std::vector<std::string> TallyCells(const PaymentTally& t) {
  return {std::to_string(t.payments), std::to_string(t.late), FormatAmountGrouped(t.late_fen),
          Percent(t.late_payment_rate())};
}

std::string GroupTable(Lang lang, const std::string& key_title,
                       const std::map<std::string, PaymentTally>& groups) {
  TextTable table({key_title, L(lang, "发放笔数", "payments"), L(lang, "超期发放笔数", "late"),
                   L(lang, "超期发放金额", "late amount"), L(lang, "超期发放率", "late rate")},
                  {false, true, true, true, true});
  for (const auto& [key, tally] : groups) {
    std::vector<std::string> row = {key.empty() ? L(lang, "（未填）", "(none)") : key};
    for (std::string& cell : TallyCells(tally)) row.push_back(std::move(cell));
    table.AddRow(std::move(row));
  }
  return table.Render();
}

std::string GroupHtml(const std::string& key_title,
                      const std::map<std::string, PaymentTally>& groups) {
  std::string html = "<table class=\"late\">\n<tr><th>" + key_title +
                     "</th><th>发放笔数</th><th>超期发放笔数</th><th>超期发放金额</th>"
                     "<th>超期发放率</th></tr>\n";
  for (const auto& [key, tally] : groups) {
    html += "<tr><td>" + HtmlEscape(key.empty() ? "（未填）" : key) + "</td>";
    for (const std::string& cell : TallyCells(tally)) html += "<td class=\"num\">" + cell + "</td>";
    html += "</tr>\n";
  }
  return html + "</table>\n";
}

}  // namespace

std::string LatePaymentsSummary(Lang lang, const PaymentTally& t) {
  if (lang == Lang::kZh) {
    return fmt::format("发放 {} 笔，其中超期发放 {} 笔 {} 元，超期发放率 {}", t.payments, t.late,
                       FormatAmountGrouped(t.late_fen), Percent(t.late_payment_rate()));
  }
  return fmt::format("{} payments, {} late ({}), late payment rate {}", t.payments, t.late,
                     FormatAmountGrouped(t.late_fen), Percent(t.late_payment_rate()));
}

void LatePaymentsJson(json::Writer& w, const LatePaymentReport& r) {
  w.Key("paid_late").BeginObject().Key("from").String(r.from().ToString());
  w.Key("to").String(r.to().ToString());
  TallyJson(w, r.total());
  w.Key("items").BeginArray();
  for (const PaymentMade& p : r.late()) {
    w.BeginObject().Key("on").String(p.on.ToString()).Key("case_no").String(p.case_no);
    w.Key("court").String(p.court).Key("judge").String(p.judge).Key("payee").String(p.payee);
    w.Key("amount").String(FormatAmount(p.amount_fen));
    w.Key("overdue_since").String(p.overdue_since->ToString());
    w.Key("bank_ref").String(p.bank_ref).EndObject();
  }
  w.EndArray();
  GroupsJson(w, "by_court", "court", r.by_court());
  GroupsJson(w, "by_judge", "judge", r.by_judge());
  w.EndObject();
}

std::string LatePaymentsText(Lang lang, const LatePaymentReport& r) {
  std::string out = LatePaymentsSummary(lang, r.total()) + "\n";
  if (r.total().payments == 0) return out;
  TextTable items({L(lang, "发放日期", "paid on"), L(lang, "案号", "case_no"),
                   L(lang, "承办人", "judge"), L(lang, "金额", "amount"),
                   L(lang, "超期起始日", "overdue since"), L(lang, "银行流水号", "bank_ref")},
                  {false, false, false, true, false, false});
  for (const PaymentMade& p : r.late()) {
    items.AddRow({p.on.ToString(), p.case_no, p.judge, FormatAmountGrouped(p.amount_fen),
                  p.overdue_since->ToString(), p.bank_ref});
  }
  if (items.rows() > 0) out += items.Render();
  out += L(lang, "按法院：", "By court:") + "\n" +
         GroupTable(lang, L(lang, "法院", "court"), r.by_court());
  out += L(lang, "按承办人：", "By judge:") + "\n" +
         GroupTable(lang, L(lang, "承办人", "judge"), r.by_judge());
  return out;
}

std::string LatePaymentsHtml(const LatePaymentReport& r) {
  std::string html = "<p>" + HtmlEscape(LatePaymentsSummary(Lang::kZh, r.total())) + "。</p>\n";
  if (r.total().payments == 0) return html;
  return html + "<h3>按法院</h3>\n" + GroupHtml("法院", r.by_court()) + "<h3>按承办人</h3>\n" +
         GroupHtml("承办人", r.by_judge());
}

}  // namespace caseledger::cli

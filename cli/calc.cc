// caseledger calc interest / calc split / rules: the statutory calculations with their working.
#include <fmt/core.h>

#include <cstdio>

#include "cli/commands.h"
#include "core/interest.h"
#include "core/json.h"
#include "core/money.h"
#include "core/rules.h"
#include "core/split.h"
#include "ledger/ledger.h"

namespace caseledger::cli {
namespace {

// "DATE:AMOUNT"
Result<Payment> ParsePayment(const std::string& text) {
  const size_t colon = text.find(':');
  if (colon == std::string::npos) {
    return Status::InvalidArgument("--payment " + text.substr(0, 40) + ": write DATE:AMOUNT");
  }
  CASELEDGER_ASSIGN_OR_RETURN(Date date, Date::Parse(text.substr(0, colon), "--payment date"));
  CASELEDGER_ASSIGN_OR_RETURN(
      Fen amount, ParseAmount(text.substr(colon + 1), "--payment amount", AmountKind::kPositive));
  return Payment{date, amount};
}

// "ID:AMOUNT[:RANK]"
Result<SplitClaim> ParseClaim(const std::string& text) {
  const size_t first = text.find(':');
  if (first == std::string::npos || first == 0) {
    return Status::InvalidArgument("--claim " + text.substr(0, 40) + ": write ID:AMOUNT[:RANK]");
  }
  const size_t second = text.find(':', first + 1);
  SplitClaim claim;
  claim.party_id = text.substr(0, first);
  const std::string amount =
      text.substr(first + 1, second == std::string::npos ? std::string::npos : second - first - 1);
  CASELEDGER_ASSIGN_OR_RETURN(claim.claim_fen,
                              ParseAmount(amount, "--claim amount", AmountKind::kZeroAllowed));
  if (second != std::string::npos) {
    const std::string rank = text.substr(second + 1);
    if (rank.empty() || rank.size() > 4 ||
        rank.find_first_not_of("0123456789") != std::string::npos) {
      return Status::InvalidArgument("--claim " + claim.party_id + ": rank must be 0 to 1000");
    }
    claim.rank = std::stoi(rank);
  }
  return claim;
}

}  // namespace

int RunCalcInterest(const Globals& globals, const CalcInterestOptions& options) {
  Result<Fen> claim = ParseAmount(options.claim, "--claim", AmountKind::kZeroAllowed);
  if (!claim.ok()) return Usage(claim.status().message());
  Result<Date> due = Date::Parse(options.due, "--due");
  if (!due.ok()) return Usage(due.status().message());
  Result<Date> on = Date::Parse(options.on, "--on");
  if (!on.ok()) return Usage(on.status().message());
  std::vector<Payment> payments;
  for (const auto& text : options.payments) {
    Result<Payment> payment = ParsePayment(text);
    if (!payment.ok()) return Usage(payment.status().message());
    payments.push_back(*payment);
  }
  Result<InterestWorking> working = CalcInterest(*claim, *due, *on, payments);
  if (!working.ok()) return Usage(working.status().message());
  const Lang lang = globals.language();
  const std::pair<const char*, Fen> amounts[] = {{"interest", working->interest_fen},
                                                 {"claim_paid", working->claim_paid_fen},
                                                 {"claim_unpaid", working->claim_unpaid_fen},
                                                 {"interest_paid", working->interest_paid_fen},
                                                 {"interest_unpaid", working->interest_unpaid_fen},
                                                 {"surplus", working->surplus_fen}};
  if (globals.json) {
    json::Writer w;
    w.BeginObject();
    for (const auto& [key, value] : amounts) w.Key(key).String(FormatAmount(value));
    w.Key("days").Int(working->days);
    Out(w.EndObject().str() + "\n");
    return kExitOk;
  }
  const char* zh[] = {
      "迟延履行期间的债务利息", "已还本金", "未还本金", "已付利息", "未付利息", "多付"};
  std::vector<std::pair<std::string, std::string>> rows;
  for (size_t i = 0; i < std::size(amounts); ++i) {
    rows.push_back({L(lang, zh[i], amounts[i].first), FormatAmountGrouped(amounts[i].second)});
  }
  rows.push_back({L(lang, "迟延天数", "days"), std::to_string(working->days)});
  Out(RenderPairs(rows) +
      L(lang,
        "算法: 未履行金额 × 日万分之一点七五 × "
        "迟延天数（法释〔2014〕8号），先还本金后付利息，合计后一次四舍五入到分\n",
        "working: unpaid claim × 0.000175 per day × days of delay (法释〔2014〕8号); payments pay "
        "the claim first, then interest; summed exactly, rounded once half up to the fen\n"));
  return kExitOk;
}

int RunCalcSplit(const Globals& globals, const CalcSplitOptions& options) {
  Result<Fen> amount = ParseAmount(options.amount, "--amount", AmountKind::kZeroAllowed);
  if (!amount.ok()) return Usage(amount.status().message());
  Fen costs = 0;
  if (!options.costs.empty()) {
    Result<Fen> parsed = ParseAmount(options.costs, "--costs", AmountKind::kZeroAllowed);
    if (!parsed.ok()) return Usage(parsed.status().message());
    costs = *parsed;
  }
  std::vector<SplitClaim> claims;
  for (const auto& text : options.claims) {
    Result<SplitClaim> claim = ParseClaim(text);
    if (!claim.ok()) return Usage(claim.status().message());
    claims.push_back(*claim);
  }
  Result<SplitResult> split = Split(*amount, costs, claims);
  if (!split.ok()) return Usage(split.status().message());
  if (globals.json) {
    json::Writer w;
    w.BeginObject().Key("amount").String(FormatAmount(split->amount_fen));
    w.Key("costs").String(FormatAmount(split->costs_fen));
    w.Key("surplus").String(FormatAmount(split->surplus_fen)).Key("shares").BeginArray();
    for (const auto& share : split->shares) {
      w.BeginObject().Key("party_id").String(share.party_id).Key("rank").Int(share.rank);
      w.Key("claim").String(FormatAmount(share.claim_fen));
      w.Key("share").String(FormatAmount(share.share_fen)).EndObject();
    }
    Out(w.EndArray().EndObject().str() + "\n");
    return kExitOk;
  }
  const Lang lang = globals.language();
  TextTable table({L(lang, "债权人", "party"), L(lang, "顺位", "rank"), L(lang, "债权额", "claim"),
                   L(lang, "分配额", "share")},
                  {false, true, true, true});
  for (const auto& share : split->shares) {
    table.AddRow({share.party_id, std::to_string(share.rank), FormatAmountGrouped(share.claim_fen),
                  FormatAmountGrouped(share.share_fen)});
  }
  Out(table.Render() +
      fmt::format("{}: {}  {}: {}  {}: {}\n", L(lang, "可分配金额", "amount"),
                  FormatAmountGrouped(split->amount_fen), L(lang, "执行费用", "costs"),
                  FormatAmountGrouped(split->costs_fen), L(lang, "剩余（退还被执行人）", "surplus"),
                  FormatAmountGrouped(split->surplus_fen)) +
      L(lang,
        "算法: "
        "先扣执行费用；按顺位清偿，足额顺位全额受偿；首个不足顺位按债权比例分配，每份取整到分，余分"
        "按小数部分从大到小各补一分（相同者先列者优先）\n",
        "working: costs first; ranks in order, each paid in full while money lasts; the first rank "
        "that does not fit shares pro rata, each share floored to the fen, the fen left over going "
        "one each to the largest remainders (ties to the earlier claim)\n"));
  return kExitOk;
}

namespace {

// "0.00 以上：案款管理人→执行局长；1,000,000.00 以上：…" (above 0.00: manager → bureau head; ...).
std::string TiersText(Lang lang, const std::vector<ApprovalTier>& tiers) {
  std::string text;
  for (const ApprovalTier& tier : tiers) {
    if (!text.empty()) text += L(lang, "；", "; ");
    text += lang == Lang::kZh ? FormatAmountGrouped(tier.above_fen) + " 以上："
                              : "above " + FormatAmountGrouped(tier.above_fen) + ": ";
    for (size_t i = 0; i < tier.roles.size(); ++i) {
      text += (i == 0 ? "" : " → ") + Label(lang, tier.roles[i]);
    }
  }
  return text.empty() ? "-" : text;
}

// `rules --json` (SPEC §8's names).
std::string RulesJson(const pb::RulesRecord& r, const std::vector<ApprovalTier>& tiers) {
  json::Writer w;
  w.BeginObject().Key("disburse_within_days").Int(r.disburse_within_days());
  w.Key("after_hold_days")
      .Int(r.after_hold_days())
      .Key("claim_within_days")
      .Int(r.claim_within_days());
  w.Key("clock_start")
      .String(WireName(r.clock_start()))
      .Key("fee_base")
      .String(WireName(r.fee_base()));
  w.Key("allocation_order").BeginArray();
  for (const auto& name : WireNamesOf<pb::AllocationPart>(r.allocation_order())) w.String(name);
  w.EndArray().Key("holidays").BeginArray();
  for (const auto& day : r.holidays()) w.String(day);
  w.EndArray().Key("workdays").BeginArray();
  for (const auto& day : r.workdays()) w.String(day);
  w.EndArray().Key("backdate_allowance_days").Int(r.backdate_allowance_days());
  w.Key("future_allowance_days").Int(r.future_allowance_days());
  w.Key("reconcile_window_days").Int(r.reconcile_window_days());
  w.Key("closure_months").Int(r.closure_months());
  w.Key("since").OptionalString(r.since().empty() ? std::nullopt : std::optional(r.since()));
  w.Key("approval_tiers").BeginArray();
  for (const ApprovalTier& tier : tiers) {
    w.BeginObject().Key("above").String(FormatAmount(tier.above_fen)).Key("roles").BeginArray();
    for (pb::Role role : tier.roles) w.String(WireName(role));
    w.EndArray().EndObject();
  }
  return w.EndArray().EndObject().str() + "\n";
}

}  // namespace

int RunRules(const Globals& globals, const std::string& as_of_text) {
  std::optional<Date> as_of;
  if (!as_of_text.empty()) {
    Result<Date> date = Date::Parse(as_of_text, "--as-of");
    if (!date.ok()) return Usage(date.status().message());
    as_of = *date;
  }
  auto ledger = OpenReading(globals);
  if (!ledger.ok()) return ReportError(ledger.status(), globals.json);
  auto rules = (*ledger)->GetRules(PointInTime{std::nullopt, as_of});
  if (!rules.ok()) return ReportError(rules.status(), globals.json);
  const pb::RulesRecord& r = *rules;
  // The approval steps in force (SPEC §9): the defaults when set_rules gave none.
  const std::vector<ApprovalTier> tiers = RulesFromRecord(r).approval_tiers;
  // A list in a sentence: 、 between Chinese items (顿号), "," between English ones (wire names).
  auto join = [&globals](const auto& list) {
    const std::string separator = globals.language() == Lang::kZh ? "、" : ",";
    std::string text;
    for (const auto& item : list) text += (text.empty() ? "" : separator) + item;
    return text;
  };
  if (globals.json) {
    Out(RulesJson(r, tiers));
    return kExitOk;
  }
  const Lang lang = globals.language();
  Out(RenderPairs({
      {L(lang, "到账后发放期限（天）", "disburse_within_days"),
       std::to_string(r.disburse_within_days())},
      {L(lang, "延缓事由消除后发放期限（天）", "after_hold_days"),
       std::to_string(r.after_hold_days())},
      {L(lang, "不明款认领期限（天）", "claim_within_days"), std::to_string(r.claim_within_days())},
      {L(lang, "发放期限起算", "clock_start"), Label(lang, r.clock_start())},
      {L(lang, "执行费计算基数", "fee_base"), Label(lang, r.fee_base())},
      {L(lang, "清偿顺序", "allocation_order"),
       join(LabelsOf<pb::AllocationPart>(lang, r.allocation_order()))},
      {L(lang, "节假日", "holidays"), r.holidays().empty() ? "-" : join(r.holidays())},
      {L(lang, "调休上班日", "workdays"), r.workdays().empty() ? "-" : join(r.workdays())},
      {L(lang, "允许补记天数", "backdate_allowance_days"),
       std::to_string(r.backdate_allowance_days())},
      {L(lang, "允许预记天数", "future_allowance_days"), std::to_string(r.future_allowance_days())},
      {L(lang, "对账日期窗口（天）", "reconcile_window_days"),
       std::to_string(r.reconcile_window_days())},
      {L(lang, "结案期限（月）", "closure_months"), std::to_string(r.closure_months())},
      {L(lang, "审批层级", "approval_tiers"), TiersText(lang, tiers)},
      {L(lang, "生效日期", "since"), r.since().empty() ? L(lang, "默认", "default") : r.since()},
  }));
  return kExitOk;
}

}  // namespace caseledger::cli

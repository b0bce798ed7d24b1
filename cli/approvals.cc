// `approvals [--role R] [--case C]` (SPEC §9): the roles in force and what waits for approval
// steps, for the approvals inbox of the console and for people at a terminal.
#include "cli/commands.h"
#include "core/json.h"
#include "core/names.h"
#include "ledger/reading.h"

namespace caseledger::cli {
namespace {

// The role of the step a waiting item needs next (finance's confirmation once a payment is
// approved); nullopt when its chain is not fixed yet (a payment requested before roles were set
// gets its chain at its first step).
std::optional<pb::Role> NextRole(const WaitingApproval& waiting) {
  if (waiting.to_confirm) return pb::ROLE_FINANCE;
  const pb::ApprovalRecord& a = waiting.approval;
  if (a.approvers_size() >= a.chain_size()) return std::nullopt;
  return static_cast<pb::Role>(a.chain(a.approvers_size()));
}

bool Selected(const WaitingApproval& waiting, const ApprovalsOptions& options) {
  if (!options.case_no.empty() && waiting.case_no != options.case_no) return false;
  if (options.role.empty()) return true;
  const std::optional<pb::Role> next = NextRole(waiting);
  return next && WireName(*next) == options.role;
}

void WriteWaiting(json::Writer& w, const WaitingApproval& waiting) {
  const std::optional<pb::Role> next = NextRole(waiting);
  w.BeginObject().Key("kind").String(waiting.disbursement ? "disbursement" : "request");
  w.Key("stage").String(waiting.to_confirm ? "confirm" : "approve");
  w.Key("id").String(waiting.id).Key("operation").String(WireName(waiting.operation));
  w.Key("case_no").OptionalString(Opt(!waiting.case_no.empty(), waiting.case_no));
  w.Key("amount").OptionalString(
      waiting.amount_fen ? std::optional(FormatAmount(*waiting.amount_fen)) : std::nullopt);
  w.Key("requested_by").String(waiting.requested_by).Key("on").String(waiting.on);
  w.Key("request_seq").Int(static_cast<int64_t>(waiting.request_seq));
  w.Key("steps").Int(waiting.approval.chain_size());
  w.Key("steps_done").Int(waiting.approval.approvers_size());
  w.Key("next_role").OptionalString(Opt(next.has_value(), next ? WireName(*next) : ""));
  w.Key("chain").BeginArray();
  for (const std::string& role : WireNamesOf<pb::Role>(waiting.approval.chain())) w.String(role);
  w.EndArray().Key("approvers").BeginArray();
  for (const std::string& approver : waiting.approval.approvers()) w.String(approver);
  w.EndArray().EndObject();
}

std::string ApprovalsJson(const ApprovalsReading& reading, const ApprovalsOptions& options) {
  json::Writer w;
  w.BeginObject().Key("roles").BeginArray();
  for (const pb::OperatorRoles& o : reading.roles.operators()) {
    w.BeginObject().Key("operator").String(o.operator_()).Key("roles").BeginArray();
    for (const std::string& role : WireNamesOf<pb::Role>(o.roles())) w.String(role);
    w.EndArray().EndObject();
  }
  w.EndArray().Key("waiting").BeginArray();
  for (const WaitingApproval& waiting : reading.waiting) {
    if (Selected(waiting, options)) WriteWaiting(w, waiting);
  }
  return w.EndArray().EndObject().str() + "\n";
}

std::string ApprovalsText(const ApprovalsReading& reading, const ApprovalsOptions& options,
                          Lang lang) {
  TextTable roles({L(lang, "操作员", "operator"), L(lang, "角色", "roles")});
  for (const pb::OperatorRoles& o : reading.roles.operators()) {
    std::string labels;
    for (const std::string& label : LabelsOf<pb::Role>(lang, o.roles())) {
      labels += (labels.empty() ? "" : ", ") + label;
    }
    roles.AddRow({o.operator_(), labels});
  }
  TextTable waiting({L(lang, "编号", "id"), L(lang, "操作", "operation"), L(lang, "案号", "case"),
                     L(lang, "金额", "amount"), L(lang, "申请人", "requested by"),
                     L(lang, "日期", "on"), L(lang, "进度", "steps"), L(lang, "下一步", "next")},
                    {false, false, false, true, false, false, true, false});
  for (const WaitingApproval& w : reading.waiting) {
    if (!Selected(w, options)) continue;
    const std::optional<pb::Role> next = NextRole(w);
    waiting.AddRow({w.id, Label(lang, w.operation), w.case_no.empty() ? "-" : w.case_no,
                    w.amount_fen ? FormatAmountGrouped(*w.amount_fen) : "-", w.requested_by, w.on,
                    std::to_string(w.approval.approvers_size()) + "/" +
                        std::to_string(w.approval.chain_size()),
                    next ? Label(lang, *next) : "-"});
  }
  return roles.Render() + "\n" + waiting.Render();
}

}  // namespace

int RunApprovals(const Globals& globals, const ApprovalsOptions& options) {
  if (!options.role.empty() && !FromWireName<pb::Role>(options.role)) {
    return Usage("--role " + options.role + " is not a role");
  }
  auto ledger = OpenReading(globals);
  if (!ledger.ok()) return ReportError(ledger.status(), globals.json);
  auto reading = ReadApprovals(ledger->get(), options.roles_only);
  if (!reading.ok()) return ReportError(reading.status(), globals.json);
  Out(globals.json ? ApprovalsJson(*reading, options)
                   : ApprovalsText(*reading, options, globals.language()));
  return kExitOk;
}

}  // namespace caseledger::cli

// caseledger report refusals --from D --to D (SPEC §9): what caseledgerd refused, to whom, why
// and how often, for auditors.
#include <fmt/core.h>

#include "cli/commands.h"
#include "core/json.h"
#include "core/names.h"
#include "ledger/reading.h"

namespace caseledger::cli {
namespace {

// An error code in the table's language: Chinese words in a Chinese table, the code in English.
std::string CodeLabel(Lang lang, const std::string& code) {
  static const std::map<std::string, const char*> kWords = {
      {"INVALID_ARGUMENT", "输入有误"},
      {"IDEMPOTENCY_CONFLICT", "请求号冲突"},
      {"UNKNOWN_CASE", "案件不存在"},
      {"UNKNOWN_REFERENCE", "引用不存在"},
      {"CASE_EXISTS", "案件已存在"},
      {"DUPLICATE_ID", "编号重复"},
      {"CASE_CLOSED", "案件已结"},
      {"NOT_PERMITTED", "无权操作"},
      {"INVALID_STATE", "状态不符"},
      {"DUPLICATE_BANK_REF", "银行流水号重复"},
      {"INSUFFICIENT_FUNDS", "可用余额不足"},
      {"LEDGER_LOCKED", "账本被占用"},
      {"IO_ERROR", "读写错误"},
      {"CORRUPTION", "账本损坏"},
      {"NO_LEDGER", "没有账本"},
      {"NOT_COMMITTED", "未提交"},
      {"UNSUPPORTED_FORMAT", "账本格式不符"},
      {"RESOURCE_EXHAUSTED", "服务器繁忙"},
      {"NOT_LEADER", "非主节点"}};
  if (lang == Lang::kEn) return code;
  const auto found = kWords.find(code);
  return found != kWords.end() ? found->second : "其他错误";
}

std::string OperationLabel(Lang lang, const std::string& op) {
  if (op == "-") return L(lang, "（无法解析）", "-");
  Result<pb::Operation> operation = ParseName<pb::Operation>(op, "op");
  return operation.ok() ? Label(lang, *operation) : op;
}

std::string RefusalsJson(const std::string& from, const std::string& to,
                         const std::vector<RefusalRow>& rows) {
  json::Writer w;
  w.BeginObject().Key("from").String(from).Key("to").String(to).Key("refusals").BeginArray();
  int64_t total = 0;
  for (const RefusalRow& row : rows) {
    const pb::Refusal& r = row.refusal;
    w.BeginObject().Key("seq").Int(static_cast<int64_t>(row.seq));
    w.Key("operator").String(r.operator_()).Key("op").String(r.op()).Key("code").String(r.code());
    w.Key("count").Int(static_cast<int64_t>(r.count()));
    w.Key("first_at").String(r.first_at()).Key("last_at").String(r.last_at()).EndObject();
    total += static_cast<int64_t>(r.count());
  }
  return w.EndArray().Key("total").Int(total).EndObject().str() + "\n";
}

}  // namespace

int RunReportRefusals(const Globals& globals, const RefusalsOptions& options) {
  Result<Date> from = Date::Parse(options.from, "--from");
  if (!from.ok()) return Usage(from.status().message());
  Result<Date> to = Date::Parse(options.to, "--to");
  if (!to.ok()) return Usage(to.status().message());
  if (*to < *from) return Usage("--to is before --from");
  auto ledger = OpenReading(globals);
  if (!ledger.ok()) return ReportError(ledger.status(), globals.json);
  auto rows = ReadRefusals(ledger->get(), *from, *to);
  if (!rows.ok()) return ReportError(rows.status(), globals.json);
  if (globals.json) {
    Out(RefusalsJson(options.from, options.to, *rows));
    return kExitOk;
  }
  const Lang lang = globals.language();
  TextTable table({L(lang, "操作人", "operator"), L(lang, "操作", "op"), L(lang, "原因", "code"),
                   L(lang, "次数", "count"), L(lang, "首次", "first_at"),
                   L(lang, "末次", "last_at"), L(lang, "序号", "seq")},
                  {false, false, false, true, false, false, true});
  int64_t total = 0;
  for (const RefusalRow& row : *rows) {
    const pb::Refusal& r = row.refusal;
    table.AddRow({r.operator_(), OperationLabel(lang, r.op()), CodeLabel(lang, r.code()),
                  Grouped(static_cast<int64_t>(r.count())), r.first_at(), r.last_at(),
                  std::to_string(row.seq)});
    total += static_cast<int64_t>(r.count());
  }
  Out(table.Render() + (lang == Lang::kZh ? fmt::format("共 {} 次拒绝\n", Grouped(total))
                                          : fmt::format("{} refusals\n", Grouped(total))));
  return kExitOk;
}

}  // namespace caseledger::cli

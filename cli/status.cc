// caseledger status: the ledger's head; run through a replica of a replicated ledger (issue 21),
// also its role, the leader, the shared log's window in etcd and etcd's alarms, so that a court's
// administrator sees a NOSPACE alarm (etcd takes no write: the ledger takes none) at once.
#include <fmt/core.h>

#include "cli/commands.h"
#include "cli/output.h"
#include "core/json.h"
#include "ledger/ledger.h"

namespace caseledger::cli {
namespace {

void StatusJson(uint64_t head_seq, const Hash& head_hash, const ReplicaReport* replica) {
  json::Writer w;
  w.BeginObject().Key("head_seq").Int(static_cast<int64_t>(head_seq));
  w.Key("head_hash").String(HexOf(head_hash)).Key("replicated").Bool(replica != nullptr);
  if (replica != nullptr) {
    w.Key("replica").BeginObject().Key("name").String(replica->name);
    w.Key("role").String(replica->leading ? "leader" : "follower");
    w.Key("leader").String(replica->leader).Key("why").String(replica->why);
    w.Key("applied_seq").Int(static_cast<int64_t>(replica->applied_seq));
    w.Key("log_head_seq").Int(static_cast<int64_t>(replica->log_head_seq));
    w.Key("log_first_seq").Int(static_cast<int64_t>(replica->log_first_seq));
    w.Key("etcd_db_bytes").Int(replica->etcd_db_bytes).Key("alarms").BeginArray();
    for (const std::string& alarm : replica->alarms) w.String(alarm);
    w.EndArray().Key("etcd_error").String(replica->etcd_error).EndObject();
  }
  Out(w.EndObject().str() + "\n");
}

std::string Alarms(Lang lang, const std::vector<std::string>& alarms) {
  if (alarms.empty()) return L(lang, "无", "none");
  std::string text;
  for (const std::string& alarm : alarms) {
    if (!text.empty()) text += "; ";
    text += alarm == "NOSPACE"
                ? L(lang, "etcd 空间已满（NOSPACE），不再接受写入", "NOSPACE: etcd takes no write")
                : alarm;
  }
  return text;
}

void AddReplicaRows(Lang lang, const ReplicaReport& r, TextTable* table) {
  table->AddRow({L(lang, "本节点", "this replica"), r.name});
  table->AddRow(
      {L(lang, "角色", "role"), r.leading ? L(lang, "主节点（接受写入）", "leader (takes commands)")
                                          : L(lang, "从节点：", "follower: ") + r.why});
  table->AddRow(
      {L(lang, "主节点", "leader"), r.leader.empty() ? L(lang, "暂无", "none now") : r.leader});
  table->AddRow({L(lang, "本节点已写入至", "written here up to"),
                 Grouped(static_cast<int64_t>(r.applied_seq))});
  table->AddRow({L(lang, "共享日志最新序号", "shared log's head"),
                 Grouped(static_cast<int64_t>(r.log_head_seq))});
  table->AddRow({L(lang, "etcd 保留的首个序号", "first entry etcd holds"),
                 r.log_first_seq == 0 ? L(lang, "无", "none")
                                      : Grouped(static_cast<int64_t>(r.log_first_seq))});
  table->AddRow(
      {L(lang, "etcd 数据库（字节）", "etcd database (bytes)"), Grouped(r.etcd_db_bytes)});
  table->AddRow({L(lang, "etcd 告警", "etcd alarms"), Alarms(lang, r.alarms)});
  if (!r.etcd_error.empty()) {
    table->AddRow({L(lang, "etcd 读取失败", "etcd unreadable"), r.etcd_error});
  }
}

}  // namespace

int RunStatus(const Globals& globals) {
  Result<std::unique_ptr<Ledger>> ledger = OpenReading(globals);
  if (!ledger.ok()) return ReportError(ledger.status(), globals.json);
  const uint64_t head_seq = (*ledger)->head_seq();
  const Hash head_hash = (*ledger)->head_hash();
  std::optional<ReplicaReport> replica;
  if (globals.replica_report) replica = globals.replica_report();
  if (globals.json) {
    StatusJson(head_seq, head_hash, replica ? &*replica : nullptr);
    return kExitOk;
  }
  const Lang lang = globals.language();
  TextTable table({L(lang, "项目", "item"), L(lang, "状态", "state")}, {false, false});
  table.AddRow({L(lang, "账本最新序号", "ledger head"), Grouped(static_cast<int64_t>(head_seq))});
  table.AddRow({L(lang, "最新哈希", "head hash"), HexOf(head_hash)});
  table.AddRow({L(lang, "复制", "replicated"),
                replica ? L(lang, "是（etcd）", "yes (etcd)") : L(lang, "否", "no")});
  if (replica) AddReplicaRows(lang, *replica, &table);
  Out(table.Render());
  return kExitOk;
}

}  // namespace caseledger::cli

// Auditing (SPEC §5): verify, export --format jsonl, verify --file, import, digest, prove,
// check-proof, state --at-seq.
#include <fcntl.h>
#include <fmt/format.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>

#include "cli/commands.h"
#include "cli/output.h"
#include "cli/proof.h"
#include "core/command_json.h"
#include "core/json.h"
#include "core/merkle.h"
#include "core/money.h"
#include "ledger/export.h"
#include "ledger/ledger.h"
#include "ledger/reading.h"

namespace caseledger::cli {
namespace {

constexpr uint64_t kImportGroup = 1024;  // entries per synced batch when importing
constexpr uint64_t kProgressEvery = 100000;

// Progress on stderr for long work, only where a person watches.
class Progress {
 public:
  Progress(const char* what, uint64_t total) : what_(what), total_(total) {}
  ~Progress() {
    if (shown_) WriteErr("\n");
  }
  void Tick(uint64_t done) {
    if (done % kProgressEvery != 0 || !OutIsStdout() || !isatty(STDERR_FILENO)) return;
    shown_ = true;
    if (total_ > 0) {
      WriteErr(fmt::format("{}: {} / {} entries\r", what_, done, total_));
    } else {
      WriteErr(fmt::format("{}: {} entries\r", what_, done));
    }
  }

 private:
  const char* what_;
  uint64_t total_;
  bool shown_ = false;
};

// Where output goes: stdout, or a file opened before any work is done.
class Output {
 public:
  bool Open(const std::string& path) {
    if (path.empty() || path == "-") return true;
    path_ = path;
    file_.open(path, std::ios::binary | std::ios::trunc);
    return file_.is_open();
  }
  std::ostream& stream() { return file_.is_open() ? file_ : OutStream(); }
  // True when everything written reached the file (or stdout).
  bool Close() {
    if (!file_.is_open()) return FlushOut();
    file_.flush();
    const bool written = !file_.fail();
    file_.close();
    return written && !file_.fail();
  }
  // After a failure: no half-written file is left behind.
  void Discard() {
    if (path_.empty()) return;
    if (file_.is_open()) file_.close();
    // Only a regular file we wrote: never a device such as /dev/stdout or /dev/full.
    std::error_code ignored;
    if (std::filesystem::is_regular_file(path_, ignored)) std::filesystem::remove(path_, ignored);
  }

 private:
  std::string path_;
  std::ofstream file_;
};

// SEQ:HASH, a published tree head.
bool ParseHead(const std::string& text, uint64_t* seq, Hash* hash) {
  const size_t colon = text.find(':');
  if (colon == std::string::npos || colon == 0 || colon > 19) return false;
  const std::string number = text.substr(0, colon);
  if (number.find_first_not_of("0123456789") != std::string::npos) return false;
  *seq = std::stoull(number);
  return ParseHex(text.substr(colon + 1), hash);
}

Result<std::map<uint64_t, Hash>> ParseHeads(const std::vector<std::string>& texts) {
  std::map<uint64_t, Hash> heads;
  for (const std::string& text : texts) {
    uint64_t seq = 0;
    Hash hash{};
    if (!ParseHead(text, &seq, &hash)) {
      return Status::InvalidArgument("--digest " + text.substr(0, 80) +
                                     ": expected SEQ:HASH, HASH being 64 lowercase hex digits");
    }
    if (auto [it, added] = heads.emplace(seq, hash); !added && it->second != hash) {
      return Status::InvalidArgument("--digest gives two heads for " + std::to_string(seq));
    }
  }
  return heads;
}

void WriteOptionalSeq(json::Writer& w, const std::optional<uint64_t>& seq) {
  if (seq) {
    w.Int(static_cast<int64_t>(*seq));
  } else {
    w.Null();
  }
}

// verify and verify --file print alike; `head` is the tree head of the good part.
int PrintVerifyReport(const Globals& globals, const VerifyReport& report, const Hash& tree_head,
                      const std::vector<std::string>& notes, bool fast = false) {
  const Lang lang = globals.language();
  if (globals.json) {
    json::Writer w;
    w.BeginObject().Key("ok").Bool(report.ok);
    w.Key("entries").Int(static_cast<int64_t>(report.entries));
    w.Key("head_seq").Int(static_cast<int64_t>(report.head_seq));
    w.Key("head_hash").String(HexOf(report.head_hash)).Key("first_bad_seq");
    WriteOptionalSeq(w, report.first_bad_seq);
    w.Key("problem").OptionalString(report.ok ? std::nullopt : std::optional(report.problem));
    w.Key("digest").BeginObject().Key("seq").Int(static_cast<int64_t>(report.head_seq));
    w.Key("hash").String(HexOf(tree_head)).EndObject();
    Out(w.EndObject().str() + "\n");
  } else if (report.ok) {
    std::string text = fmt::format(
        "{}: {} {}; {}\n{}: {}\n{}: {}\n", L(lang, "校验通过", "verify OK"), report.entries,
        L(lang, "条记录", "entries"),
        fast ? L(lang, "快速校验：哈希链、借贷平衡、默克尔树、余额与分录一致",
                 "fast pass: chain, postings, Merkle tree and balances agree")
             : L(lang, "哈希链、借贷平衡、重放一致", "chain, postings and replay agree"),
        L(lang, "链头哈希", "head hash"), HexOf(report.head_hash), L(lang, "树根摘要", "tree head"),
        HexOf(tree_head));
    for (const std::string& note : notes) text += note + "\n";
    Out(text);
  } else {
    Out(fmt::format("{}: {} {}: {}\n", L(lang, "校验失败", "verify FAILED"),
                    L(lang, "首个错误序号", "first bad seq"),
                    report.first_bad_seq ? std::to_string(*report.first_bad_seq) : "-",
                    report.problem));
  }
  return report.ok ? kExitOk : kExitDamaged;
}

void HashList(const std::vector<Hash>& hashes, json::Writer& w) {
  w.BeginArray();
  for (const Hash& hash : hashes) w.String(HexOf(hash));
  w.EndArray();
}

}  // namespace

int RunVerify(const Globals& globals, bool fast) {
  auto ledger = OpenReading(globals);
  if (!ledger.ok()) return ReportError(ledger.status(), globals.json);
  const uint64_t total = (*ledger)->head_seq();
  Progress progress(fast ? "verify --fast" : "verify", total);
  auto tick = [&progress](uint64_t done, uint64_t) { progress.Tick(done); };
  auto report = fast ? (*ledger)->VerifyFast(tick) : (*ledger)->Verify(tick);
  if (!report.ok()) return ReportError(report.status(), globals.json);
  Hash tree_head = merkle::EmptyRoot();
  if (report->head_seq > 0) {
    auto head = (*ledger)->TreeHead(report->head_seq);
    if (!head.ok()) return ReportError(head.status(), globals.json);
    tree_head = *head;
  }
  return PrintVerifyReport(globals, *report, tree_head, {}, fast);
}

int RunExportJsonl(const Globals& globals, const ExportOptions& options) {
  // The log alone: a ledger of an older format exports too (the way to migrate it).
  OpenOptions log_only;
  log_only.log_only = true;
  auto ledger = OpenReading(globals, log_only);
  if (!ledger.ok()) return ReportError(ledger.status(), globals.json);
  Output output;
  if (!output.Open(options.output)) return Usage("cannot write " + options.output);
  const uint64_t total = (*ledger)->head_seq();
  Progress progress("export", total);
  std::ostream& out = output.stream();
  Status status = (*ledger)->ForEachEntry(1, total, [&](const StoredEntry& stored) {
    out << ExportLine(stored) << '\n';
    progress.Tick(stored.seq);
    return out ? Status::Ok() : Status::IoError("writing the export failed");
  });
  if (!output.Close() && status.ok()) status = Status::IoError("writing the export failed");
  if (!status.ok()) {
    output.Discard();
    return ReportError(status, globals.json);
  }
  return kExitOk;
}

int RunVerifyFile(const Globals& globals, const VerifyOptions& options) {
  auto heads = ParseHeads(options.digests);
  if (!heads.ok()) return Usage(heads.status().message());
  std::ifstream in(options.file, std::ios::binary);
  if (!in) return Usage("cannot read " + options.file);
  Progress progress("verify", 0);
  Result<ExportCheck> check =
      VerifyExport(in, *heads, [&progress](uint64_t done) { progress.Tick(done); });
  if (!check.ok()) return ReportError(check.status(), globals.json);
  std::vector<std::string> notes;
  for (uint64_t seq : check->heads_matched) {
    notes.push_back(fmt::format(
        "{} {}: {}", L(globals.language(), "与公布摘要一致", "matches the published head"), seq,
        HexOf(heads->at(seq))));
  }
  return PrintVerifyReport(globals, check->report, check->tree_head, notes);
}

namespace {

// The directory an import builds in: beside the target, hidden, named by this process, so that
// a killed import leaves nothing at the target and two imports never share one.
std::filesystem::path BuildingDirectoryFor(const std::filesystem::path& target) {
  std::filesystem::path normal = target.lexically_normal();
  if (!normal.has_filename()) normal = normal.parent_path();  // "db/" names "db"
  return normal.parent_path() /
         ("." + normal.filename().string() + ".import-" + std::to_string(getpid()));
}

// Stages every entry of the export into a new ledger at `building`, decided again and chained
// (Ledger::StageStored: the checks of verify), committing every kImportGroup entries.
Status ImportEntries(const std::string& building, std::istream& in, const std::string& file,
                     uint64_t* last_good, Hash* head_hash, Hash* tree_head) {
  auto ledger = Ledger::OpenForWrite(building);
  if (!ledger.ok()) return ledger.status();
  Progress progress("import", 0);
  Status status;
  std::string line;
  while (status.ok() && ReadExportLine(in, &line)) {
    Result<StoredEntry> stored = ParseExportLine(line);
    status = stored.ok() ? (*ledger)->StageStored(*stored) : stored.status();
    if (!status.ok()) break;
    *last_good = stored->seq;
    if ((*ledger)->staged_entries() >= kImportGroup) status = (*ledger)->Commit();
    progress.Tick(stored->seq);
  }
  if (status.ok() && in.bad()) status = Status::IoError("reading " + file);
  if (status.ok()) status = (*ledger)->Commit();
  if (!status.ok()) return status;
  *head_hash = (*ledger)->head_hash();
  Result<Hash> tree = (*ledger)->TreeHead(*last_good);
  if (!tree.ok()) return tree.status();
  *tree_head = *tree;
  return Status::Ok();
}

// Moves the finished ledger to the target (rename(2): an empty target directory is replaced
// atomically) and syncs the parent directory so that the move survives a power cut.
Status MoveIntoPlace(const std::filesystem::path& building, const std::filesystem::path& target) {
  std::error_code error;
  std::filesystem::rename(building, target, error);
  if (error) {
    return Status::IoError("moving the imported ledger from " + building.string() + " to " +
                           target.string() + ": " + error.message());
  }
  const std::filesystem::path parent =
      building.parent_path().empty() ? "." : building.parent_path();
  const int fd = open(parent.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  const bool synced = fd >= 0 && fsync(fd) == 0;
  if (fd >= 0) close(fd);
  if (!synced) return Status::IoError("syncing " + parent.string() + " after the import");
  return Status::Ok();
}

void PrintImported(const Globals& globals, uint64_t entries, const Hash& head_hash,
                   const Hash& tree_head) {
  if (globals.json) {
    json::Writer w;
    w.BeginObject().Key("ok").Bool(true).Key("entries").Int(static_cast<int64_t>(entries));
    w.Key("head_hash").String(HexOf(head_hash));
    w.Key("digest").BeginObject().Key("seq").Int(static_cast<int64_t>(entries));
    w.Key("hash").String(HexOf(tree_head)).EndObject().EndObject();
    Out(w.str() + "\n");
    return;
  }
  const Lang lang = globals.language();
  Out(fmt::format("{}: {} {} → {}\n{}: {}\n", L(lang, "导入完成", "imported"), entries,
                  L(lang, "条记录", "entries"), globals.db, L(lang, "树根摘要", "tree head"),
                  HexOf(tree_head)));
}

}  // namespace

int RunImport(const Globals& globals, const std::string& file) {
  namespace fs = std::filesystem;
  const fs::path target(globals.db);
  std::error_code error;
  if (fs::exists(target, error) && !fs::is_empty(target, error)) {
    return Usage("import needs an empty --db directory; " + globals.db + " is not empty");
  }
  std::ifstream in_file;
  if (file != "-") {
    in_file.open(file, std::ios::binary);
    if (!in_file) return Usage("cannot read " + file);
  }
  std::istream& in = file == "-" ? std::cin : in_file;
  const fs::path building = BuildingDirectoryFor(target);
  fs::remove_all(building, error);
  uint64_t last_good = 0;
  Hash head_hash{}, tree_head{};
  Status status = ImportEntries(building.string(), in, file, &last_good, &head_hash, &tree_head);
  if (status.ok()) status = MoveIntoPlace(building, target);
  if (!status.ok()) {
    // Nothing of a refused import stays: the target was never touched.
    fs::remove_all(building, error);
    if (status.code() == Code::kIoError || status.code() == Code::kLedgerLocked ||
        status.code() == Code::kInvalidArgument) {
      return ReportError(status, globals.json);
    }
    return ReportError(Status::Corruption(fmt::format(
                           "the export is damaged at entry {}: {}; nothing was imported",
                           last_good + 1, status.message())),
                       globals.json);
  }
  PrintImported(globals, last_good, head_hash, tree_head);
  return kExitOk;
}

int RunDigest(const Globals& globals, std::optional<uint64_t> at_seq) {
  auto ledger = OpenReading(globals);
  if (!ledger.ok()) return ReportError(ledger.status(), globals.json);
  const uint64_t size = at_seq.value_or((*ledger)->head_seq());
  auto head = (*ledger)->TreeHead(size);
  if (!head.ok()) return ReportError(head.status(), globals.json);
  if (globals.json) {
    json::Writer w;
    w.BeginObject().Key("seq").Int(static_cast<int64_t>(size)).Key("hash").String(HexOf(*head));
    Out(w.EndObject().str() + "\n");
  } else {
    const Lang lang = globals.language();
    Out(RenderPairs(
        {{L(lang, "记录数", "seq"), std::to_string(size)},
         {L(lang, "树根摘要", "tree head"), HexOf(*head)},
         {L(lang, "公布格式", "to publish"), fmt::format("{}:{}", size, HexOf(*head))}}));
  }
  return kExitOk;
}

int RunProve(const Globals& globals, const ProveOptions& options) {
  auto ledger = OpenReading(globals);
  if (!ledger.ok()) return ReportError(ledger.status(), globals.json);
  json::Writer w;
  if (options.seq) {
    const uint64_t seq = *options.seq;
    const uint64_t size = options.digest.value_or((*ledger)->head_seq());
    auto path = (*ledger)->InclusionProof(seq, size);
    if (!path.ok()) return ReportError(path.status(), globals.json);
    auto root = (*ledger)->TreeHead(size);
    if (!root.ok()) return ReportError(root.status(), globals.json);
    auto entry = (*ledger)->GetEntry(seq);
    if (!entry.ok()) return ReportError(entry.status(), globals.json);
    w.BeginObject().Key("type").String("inclusion").Key("seq").Int(static_cast<int64_t>(seq));
    w.Key("tree_size").Int(static_cast<int64_t>(size));
    w.Key("entry_hash").String(HexOf(entry->hash)).Key("root").String(HexOf(*root));
    w.Key("path");
    HashList(*path, w);
    // The entry itself, as exported: whoever holds the proof can read what it proves.
    w.Key("entry").Raw(ExportLine(*entry)).EndObject();
  } else if (options.consistency.size() == 2) {
    const uint64_t old_size = options.consistency[0], new_size = options.consistency[1];
    auto path = (*ledger)->ConsistencyProof(old_size, new_size);
    if (!path.ok()) return ReportError(path.status(), globals.json);
    auto old_root = (*ledger)->TreeHead(old_size);
    auto new_root = (*ledger)->TreeHead(new_size);
    if (!old_root.ok()) return ReportError(old_root.status(), globals.json);
    if (!new_root.ok()) return ReportError(new_root.status(), globals.json);
    w.BeginObject().Key("type").String("consistency");
    w.Key("old_size").Int(static_cast<int64_t>(old_size));
    w.Key("new_size").Int(static_cast<int64_t>(new_size));
    w.Key("old_root").String(HexOf(*old_root)).Key("new_root").String(HexOf(*new_root));
    w.Key("path");
    HashList(*path, w);
    w.EndObject();
  } else {
    return Usage("prove needs SEQ [--digest N] or --consistency OLD NEW");
  }
  // The proof is a document to hand on: JSON with or without --json.
  Output output;
  if (!output.Open(options.output)) return Usage("cannot write " + options.output);
  output.stream() << w.str() << '\n';
  if (!output.Close()) {
    output.Discard();
    return ReportError(Status::IoError("writing the proof failed"), false);
  }
  return kExitOk;
}

namespace {

// What the proved entry is, in a line: "receipt (2024)甘0102执1234号 50000.00 on 2024-03-05".
std::string DescribeEntry(const pb::Entry& entry) {
  const auto& message = OperationMessage(entry.command());
  std::string text = OperationName(entry.command());
  const auto* descriptor = message.GetDescriptor();
  for (const char* field : {"case_no", "event_id", "amount", "bank_ref"}) {
    const auto* f = descriptor->FindFieldByName(field);
    if (f != nullptr && f->type() == google::protobuf::FieldDescriptor::TYPE_STRING &&
        !f->is_repeated()) {
      const std::string value = message.GetReflection()->GetString(message, f);
      if (!value.empty()) text += " " + value;
    }
  }
  return text + " on " + entry.command().on();
}

// What checking a proof found: whether it holds, what it proves, or what is wrong.
struct ProofVerdict {
  bool ok = false;
  std::string says;
  std::string problem;
};

// INVALID_ARGUMENT (a usage error) when the published head it needs was not given.
Result<ProofVerdict> CheckInclusion(const ProofFile& proof, const std::map<uint64_t, Hash>& heads,
                                    Lang lang) {
  const auto head = heads.find(proof.tree_size);
  if (head == heads.end()) {
    return Status::InvalidArgument(
        fmt::format("the proof is against the tree of {} entries: give its published "
                    "head with --digest {}:HASH",
                    proof.tree_size, proof.tree_size));
  }
  ProofVerdict verdict;
  verdict.ok =
      proof.seq >= 1 && merkle::VerifyInclusion(proof.seq - 1, proof.tree_size, proof.entry_hash,
                                                proof.path, head->second);
  if (verdict.ok && proof.entry &&
      (proof.entry->seq != proof.seq || proof.entry->hash != proof.entry_hash)) {
    verdict.ok = false;
    verdict.problem = "the entry in the proof is not the entry proved";
  }
  if (verdict.ok && proof.entry && !ChainsFrom(*proof.entry)) {
    verdict.ok = false;
    verdict.problem = "the entry in the proof does not hash to its entry_hash";
  }
  if (!verdict.ok && verdict.problem.empty()) {
    verdict.problem = fmt::format("entry {} is not in the published tree of {} entries", proof.seq,
                                  proof.tree_size);
  }
  verdict.says =
      lang == Lang::kZh
          ? fmt::format("第 {} 条记录在已公布的账本(共 {} 条)中", proof.seq, proof.tree_size)
          : fmt::format("entry {} is in the published ledger of {} entries", proof.seq,
                        proof.tree_size);
  if (proof.entry) verdict.says += ": " + DescribeEntry(proof.entry->entry);
  return verdict;
}

// INVALID_ARGUMENT (a usage error) when a published head it needs was not given.
Result<ProofVerdict> CheckConsistency(const ProofFile& proof, const std::map<uint64_t, Hash>& heads,
                                      Lang lang) {
  const auto old_root = heads.find(proof.old_size);
  const auto new_root = heads.find(proof.new_size);
  if (old_root == heads.end() || new_root == heads.end()) {
    return Status::InvalidArgument(
        fmt::format("give both published heads: --digest {}:HASH --digest {}:HASH", proof.old_size,
                    proof.new_size));
  }
  ProofVerdict verdict;
  verdict.ok = merkle::VerifyConsistency(proof.old_size, proof.new_size, old_root->second,
                                         new_root->second, proof.path);
  if (!verdict.ok) {
    verdict.problem = fmt::format("the tree of {} entries does not extend the published tree of {}",
                                  proof.new_size, proof.old_size);
  }
  verdict.says = lang == Lang::kZh
                     ? fmt::format("共 {} 条记录的账本完整包含已公布的前 {} 条, 未被改动",
                                   proof.new_size, proof.old_size)
                     : fmt::format("the ledger of {} entries extends, unaltered, the published {}",
                                   proof.new_size, proof.old_size);
  return verdict;
}

}  // namespace

int RunCheckProof(const Globals& globals, const std::string& proof_file,
                  const std::vector<std::string>& digests) {
  auto heads = ParseHeads(digests);
  if (!heads.ok()) return Usage(heads.status().message());
  std::ifstream in(proof_file, std::ios::binary);
  if (!in) return Usage("cannot read " + proof_file);
  const std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  auto proof = ReadProof(text);
  if (!proof.ok()) return ReportError(proof.status(), globals.json);
  const Lang lang = globals.language();
  auto verdict = proof->type == "inclusion" ? CheckInclusion(*proof, *heads, lang)
                                            : CheckConsistency(*proof, *heads, lang);
  if (!verdict.ok()) return Usage(verdict.status().message());
  const bool ok = verdict->ok;
  if (globals.json) {
    json::Writer w;
    w.BeginObject().Key("ok").Bool(ok).Key("type").String(proof->type);
    w.Key("problem")
        .OptionalString(ok ? std::nullopt : std::optional(verdict->problem))
        .EndObject();
    Out(w.str() + "\n");
  } else {
    Out(ok ? fmt::format("{}: {}\n", L(lang, "证明有效", "proof OK"), verdict->says)
           : fmt::format("{}: {}\n", L(lang, "证明无效", "proof FAILED"), verdict->problem));
  }
  return ok ? kExitOk : kExitRejected;
}

namespace {

std::string StateJson(const StateReading& state) {
  const Balances& b = state.balances;
  json::Writer w;
  w.BeginObject().Key("seq").Int(static_cast<int64_t>(state.seq));
  w.Key("hash").String(HexOf(state.hash));
  w.Key("on").OptionalString(state.on.empty() ? std::nullopt : std::optional(state.on));
  w.Key("bank").String(FormatAmount(b.bank_fen)).Key("cases").String(FormatAmount(b.cases_fen));
  w.Key("suspense").String(FormatAmount(b.suspense_fen));
  w.Key("fees").String(FormatAmount(b.fees_fen));
  w.Key("lodged").String(FormatAmount(b.lodged_fen));
  w.Key("interest").String(FormatAmount(b.interest_fen));
  w.Key("charges").String(FormatAmount(b.charges_fen)).Key("agree").Bool(b.agree());
  w.Key("case_balances").BeginArray();
  for (const auto& [case_no, balance] : state.case_balances) {
    w.BeginObject().Key("case_no").String(case_no).Key("balance").String(FormatAmount(balance));
    w.EndObject();
  }
  return w.EndArray().EndObject().str() + "\n";
}

std::string StateText(const StateReading& state, Lang lang) {
  const Balances& b = state.balances;
  std::vector<std::pair<std::string, std::string>> pairs = {
      {L(lang, "截至序号", "after seq"), std::to_string(state.seq)},
      {L(lang, "日期", "on"), state.on.empty() ? "-" : state.on},
      {L(lang, "链头哈希", "hash"), HexOf(state.hash)},
      {L(lang, "专户银行余额", "bank"), FormatAmountGrouped(b.bank_fen)}};
  for (auto& pair : AccountPairs(b, lang)) pairs.push_back(std::move(pair));
  pairs.push_back(
      {L(lang, "勾稽一致", "agree"), b.agree() ? L(lang, "是", "yes") : L(lang, "否", "no")});
  const std::string text = RenderPairs(pairs);
  TextTable table({L(lang, "案号", "case_no"), L(lang, "余额", "balance")}, {false, true});
  for (const auto& [case_no, balance] : state.case_balances) {
    table.AddRow({case_no, FormatAmountGrouped(balance)});
  }
  return text + "\n" + table.Render();
}

}  // namespace

int RunState(const Globals& globals, std::optional<uint64_t> at_seq) {
  auto ledger = OpenReading(globals);
  if (!ledger.ok()) return ReportError(ledger.status(), globals.json);
  Progress progress("state", at_seq.value_or((*ledger)->head_seq()));
  auto state = ReadState(ledger->get(), at_seq, [&progress](uint64_t seq) { progress.Tick(seq); });
  if (!state.ok()) return ReportError(state.status(), globals.json);
  Out(globals.json ? StateJson(*state) : StateText(*state, globals.language()));
  return kExitOk;
}

}  // namespace caseledger::cli

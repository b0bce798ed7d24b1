#include "ledger/export.h"

#include <fmt/format.h>
#include <google/protobuf/util/json_util.h>
#include <openssl/evp.h>

#include "core/command_json.h"
#include "core/date.h"
#include "core/json.h"
#include "core/limits.h"
#include "core/merkle.h"
#include "core/money.h"
#include "core/names.h"
#include "ledger/codec.h"
#include "ledger/replay.h"

namespace caseledger {
namespace {

std::string Base64(std::string_view bytes) {
  std::string out(4 * ((bytes.size() + 2) / 3) + 1, '\0');
  const int n = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                                reinterpret_cast<const unsigned char*>(bytes.data()),
                                static_cast<int>(bytes.size()));
  out.resize(static_cast<size_t>(n));
  return out;
}

// Strict: only the canonical encoding of some bytes is accepted (padding, no spaces, and the
// unused low bits zero), so that every changed character is a changed meaning.
bool FromBase64(std::string_view text, std::string* bytes) {
  if (text.size() % 4 != 0) return false;
  std::string out(text.size() / 4 * 3, '\0');
  const int n = EVP_DecodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                                reinterpret_cast<const unsigned char*>(text.data()),
                                static_cast<int>(text.size()));
  if (n < 0) return false;
  size_t padding = 0;
  if (!text.empty() && text.back() == '=') padding = text[text.size() - 2] == '=' ? 2 : 1;
  out.resize(static_cast<size_t>(n) - padding);
  if (Base64(out) != text) return false;
  *bytes = std::move(out);
  return true;
}

std::string OutcomeToJson(const pb::Outcome& outcome) {
  std::string out;
  google::protobuf::util::JsonPrintOptions options;
  options.preserve_proto_field_names = true;
  if (!google::protobuf::util::MessageToJsonString(outcome, &out, options).ok()) return "{}";
  return out;
}

}  // namespace

void WritePostings(const pb::Entry& entry, json::Writer* w) {
  w->BeginArray();
  for (const auto& p : entry.postings()) {
    w->BeginObject().Key("account").String(p.account());
    if (p.amount_fen() >= 0) {
      w->Key("debit").String(FormatAmount(p.amount_fen()));
    } else {
      w->Key("credit").String(FormatAmount(-Fen(p.amount_fen())));
    }
    w->EndObject();
  }
  w->EndArray();
}

std::string EntryToJson(const pb::Entry& entry) {
  json::Writer w;
  w.BeginObject().Key("command").Raw(CommandToJson(entry.command()));
  if (entry.has_carried_out()) {  // the last approval step of a request (SPEC §9)
    w.Key("carried_out").Raw(CommandToJson(entry.carried_out()));
  }
  w.Key("recorded_at").String(FormatUtcMicros(entry.recorded_at_us()));
  // Only where recorded (SPEC §9), so that exports of entries without it read as before.
  if (entry.origin() != pb::ENTRY_ORIGIN_UNSPECIFIED) {
    w.Key("origin").String(std::string(WireName(entry.origin())));
  }
  w.Key("postings");
  WritePostings(entry, &w);
  w.Key("outcome").Raw(OutcomeToJson(entry.outcome())).EndObject();
  return w.str();
}

std::string ExportLine(const StoredEntry& stored) {
  json::Writer w;
  w.BeginObject().Key("seq").Int(static_cast<int64_t>(stored.seq));
  w.Key("prev_hash").String(HexOf(stored.prev_hash)).Key("hash").String(HexOf(stored.hash));
  w.Key("bytes").String(Base64(stored.bytes));
  w.Key("entry").Raw(EntryToJson(stored.entry)).EndObject();
  return w.str();
}

Result<StoredEntry> ParseExportObject(const json::Value& value) {
  if (!value.is_object() || value.members.size() != 5) {
    return Status::Corruption("the line is not an object of seq, prev_hash, hash, bytes, entry");
  }
  const json::Value* seq = value.Find("seq");
  const json::Value* prev = value.Find("prev_hash");
  const json::Value* hash = value.Find("hash");
  const json::Value* bytes = value.Find("bytes");
  const json::Value* entry = value.Find("entry");
  if (!seq || !prev || !hash || !bytes || !entry) {
    return Status::Corruption("the line is not an object of seq, prev_hash, hash, bytes, entry");
  }
  StoredEntry stored;
  if (!seq->is_number() || seq->text.empty() || seq->text.size() > 19 ||
      seq->text.find_first_not_of("0123456789") != std::string::npos) {
    return Status::Corruption("seq is not a sequence number");
  }
  stored.seq = std::stoull(seq->text);
  if (!prev->is_string() || !ParseHex(prev->text, &stored.prev_hash)) {
    return Status::Corruption("prev_hash is not 64 lowercase hex digits");
  }
  if (!hash->is_string() || !ParseHex(hash->text, &stored.hash)) {
    return Status::Corruption("hash is not 64 lowercase hex digits");
  }
  if (!bytes->is_string() || !FromBase64(bytes->text, &stored.bytes)) {
    return Status::Corruption("bytes is not canonical base64");
  }
  if (!codec::DecodeRecord(stored.bytes, &stored.entry).ok()) {
    return Status::Corruption("bytes is not a stored entry");
  }
  // The rendering must say exactly what the bytes say: compared as JSON values.
  Result<json::Value> rendered = json::Parse(EntryToJson(stored.entry));
  if (!rendered.ok() || json::Canonical(*rendered) != json::Canonical(*entry)) {
    return Status::Corruption("the readable entry differs from what its bytes say");
  }
  return stored;
}

Result<StoredEntry> ParseExportLine(std::string_view line) {
  if (line.ends_with('\r')) line.remove_suffix(1);  // a file that crossed Windows
  Result<json::Value> value = json::Parse(line);
  if (!value.ok()) return Status::Corruption("the line is not JSON: " + value.status().message());
  CASELEDGER_ASSIGN_OR_RETURN(StoredEntry stored, ParseExportObject(*value));
  // The export is canonical: the line must also be exactly what export writes for these bytes,
  // so that any changed character is caught, even one a JSON reader would not see (the case
  // of a \u escape).
  if (ExportLine(stored) != line) {
    return Status::Corruption(
        "the line is not in the export's canonical form (re-formatted after export?)");
  }
  return stored;
}

bool ReadExportLine(std::istream& in, std::string* line) {
  line->clear();
  std::streambuf* buffer = in.rdbuf();
  bool any = false;
  for (int c = buffer->sbumpc(); c != std::char_traits<char>::eof(); c = buffer->sbumpc()) {
    any = true;
    if (c == '\n') return true;
    if (line->size() <= kLineBytesMax) line->push_back(static_cast<char>(c));
  }
  in.setstate(std::ios::eofbit);
  return any;
}

Result<ExportCheck> VerifyExport(std::istream& in, const std::map<uint64_t, Hash>& heads,
                                 const std::function<void(uint64_t)>& progress) {
  ExportCheck check;
  VerifyReport& report = check.report;
  Replayer replayer;
  auto fail = [&](const std::optional<uint64_t>& seq, const std::string& problem) {
    report.ok = false;
    report.first_bad_seq = seq;
    report.problem = problem;
  };
  if (auto empty = heads.find(0); empty != heads.end() && empty->second != merkle::EmptyRoot()) {
    fail(std::nullopt, "the tree head of no entries is SHA-256 of nothing, not the given one");
  } else if (empty != heads.end()) {
    check.heads_matched.push_back(0);
  }
  std::string line;
  while (report.ok && ReadExportLine(in, &line)) {
    Result<StoredEntry> stored = ParseExportLine(line);
    Status added = stored.ok() ? replayer.Add(*stored) : stored.status();
    if (!added.ok()) {
      // The first bad line is where the next good entry was due: a dropped line k is reported
      // at k, a duplicated line k at k + 1.
      fail(replayer.next_seq(), added.message());
      break;
    }
    report.entries = report.head_seq = stored->seq;
    report.head_hash = stored->hash;
    if (progress) progress(stored->seq);
    if (auto head = heads.find(stored->seq); head != heads.end()) {
      const Hash root = replayer.frontier().Root();
      if (root == head->second) {
        check.heads_matched.push_back(head->first);
      } else {
        // The chain holds but is not the published one: an entry was changed and everything
        // after it re-hashed. Which entry it was cannot be told from the head alone.
        fail(std::nullopt, fmt::format("the tree head of the first {} entries is {}, not the "
                                       "published {}",
                                       head->first, HexOf(root), HexOf(head->second)));
      }
    }
  }
  if (in.bad()) return Status::IoError("reading the export failed");
  if (report.ok && !heads.empty() && heads.rbegin()->first > report.entries) {
    fail(std::nullopt, fmt::format("the export has {} entries; a head for {} was given",
                                   report.entries, heads.rbegin()->first));
  }
  check.tree_head = replayer.frontier().Root();
  return check;
}

bool ChainsFrom(const StoredEntry& stored) {
  return codec::ChainHash(stored.prev_hash, stored.seq, stored.bytes) == stored.hash;
}

}  // namespace caseledger

#include "cli/proof.h"

#include <string_view>

#include "core/json.h"
#include "ledger/export.h"

namespace caseledger::cli {
namespace {

Result<uint64_t> CountField(const json::Value& proof, std::string_view key) {
  const json::Value* v = proof.Find(key);
  if (v == nullptr || !v->is_number() || v->text.empty() || v->text.size() > 19 ||
      v->text.find_first_not_of("0123456789") != std::string::npos) {
    return Status::InvalidArgument("the proof's " + std::string(key) + " is not a count");
  }
  return std::stoull(v->text);
}

}  // namespace

Result<ProofFile> ReadProof(const std::string& text) {
  Result<json::Value> proof = json::Parse(text);
  if (!proof.ok())
    return Status::InvalidArgument("the proof is not JSON: " + proof.status().message());
  ProofFile out;
  const json::Value* type = proof->Find("type");
  const json::Value* path = proof->Find("path");
  if (type == nullptr || !type->is_string() || path == nullptr || !path->is_array()) {
    return Status::InvalidArgument("the proof has no type or path");
  }
  out.type = type->text;
  for (const json::Value& node : path->items) {
    Hash hash{};
    if (!node.is_string() || !ParseHex(node.text, &hash)) {
      return Status::InvalidArgument("a path node is not 64 lowercase hex digits");
    }
    out.path.push_back(hash);
  }
  if (out.type == "inclusion") {
    CASELEDGER_ASSIGN_OR_RETURN(out.seq, CountField(*proof, "seq"));
    CASELEDGER_ASSIGN_OR_RETURN(out.tree_size, CountField(*proof, "tree_size"));
    const json::Value* hash = proof->Find("entry_hash");
    if (hash == nullptr || !hash->is_string() || !ParseHex(hash->text, &out.entry_hash)) {
      return Status::InvalidArgument("the proof's entry_hash is not 64 lowercase hex digits");
    }
    if (const json::Value* entry = proof->Find("entry"); entry != nullptr && !entry->is_null()) {
      Result<StoredEntry> stored = ParseExportObject(*entry);
      if (!stored.ok())
        return Status::InvalidArgument("the proof's entry: " + stored.status().message());
      out.entry = std::move(stored).value();
    }
  } else if (out.type == "consistency") {
    CASELEDGER_ASSIGN_OR_RETURN(out.old_size, CountField(*proof, "old_size"));
    CASELEDGER_ASSIGN_OR_RETURN(out.new_size, CountField(*proof, "new_size"));
  } else {
    return Status::InvalidArgument("the proof's type is neither inclusion nor consistency");
  }
  return out;
}

}  // namespace caseledger::cli

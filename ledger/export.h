// The export format (SPEC §5, proto/FORMAT.md "Export"): one JSON object a line, one line an
// entry, enough to verify and replay the ledger with no database:
//   {"seq":N,"prev_hash":HEX,"hash":HEX,"bytes":BASE64,"entry":{...}}
// `bytes` is the stored entry exactly; `entry` is its readable rendering, a function of the
// bytes alone, so that a reader can check that it says exactly what the bytes say.
#ifndef CASELEDGER_LEDGER_EXPORT_H_
#define CASELEDGER_LEDGER_EXPORT_H_

#include <functional>
#include <istream>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "caseledger.pb.h"
#include "core/json.h"
#include "core/status.h"
#include "ledger/ledger.h"

namespace caseledger {

// The readable rendering: {"command": the command as written (proto field names),
// "recorded_at": ISO 8601 UTC, "postings": [{"account", "debit" | "credit"}], "outcome": {...}}.
std::string EntryToJson(const pb::Entry& entry);

// An entry's postings as JSON: [{"account", "debit" | "credit": amount}] (history uses it too).
void WritePostings(const pb::Entry& entry, json::Writer* w);

// One export line, without its line ending.
std::string ExportLine(const StoredEntry& stored);

// Reads one export line strictly: exactly the five keys, `seq` a positive integer, hashes 64
// lowercase hex digits, `bytes` canonical base64 of an Entry that parses, `entry` the rendering
// of those bytes, and the whole line byte for byte what ExportLine writes (a trailing CR
// aside). CORRUPTION saying what is wrong; the chain is the caller's to check.
Result<StoredEntry> ParseExportLine(std::string_view line);
// The next line of an export without its '\n', holding at most kLineBytesMax + 1 bytes of it: a
// longer line is read to its end but never held (ParseExportLine then refuses it by its size).
// False at the end of the input.
bool ReadExportLine(std::istream& in, std::string* line);
// The same checks on an export line already parsed (one embedded in a proof), the rendering
// compared as a JSON value rather than byte for byte.
Result<StoredEntry> ParseExportObject(const json::Value& value);

// An export checked with no database (verify --file): every line read strictly, the chain,
// the postings and a full replay; with `heads` (published SEQ → tree head), that the tree of the
// first SEQ entries has that head.
struct ExportCheck {
  VerifyReport report;
  Hash tree_head{};                     // of the entries that verified
  std::vector<uint64_t> heads_matched;  // the published heads the export agrees with
};
Result<ExportCheck> VerifyExport(std::istream& in, const std::map<uint64_t, Hash>& heads,
                                 const std::function<void(uint64_t)>& progress);

// SHA-256(prev_hash ‖ seq ‖ bytes) is the entry's hash (SPEC §5).
bool ChainsFrom(const StoredEntry& stored);

}  // namespace caseledger

#endif  // CASELEDGER_LEDGER_EXPORT_H_

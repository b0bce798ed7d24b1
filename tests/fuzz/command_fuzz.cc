// JSON command lines (SPEC §2): each line of the input is parsed strictly and decided in turn
// on an in-memory ledger. Whatever the lines, no entry breaks a money invariant (the engine's
// checks return CORRUPTION), a retry writes nothing, and every entry exports to a line that
// reads back byte for byte and replays to the same bytes, as `verify --file` does.
#include <google/protobuf/stubs/logging.h>

#include <string>
#include <string_view>

#include "core/command_json.h"
#include "core/engine.h"
#include "core/json.h"
#include "ledger/codec.h"
#include "ledger/export.h"
#include "ledger/replay.h"
#include "tests/fuzz/fuzz.h"

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  // Protobuf logs each string field that is not UTF-8; a rejected input is not news.
  google::protobuf::SetLogHandler(nullptr);
  return 0;
}

namespace caseledger {
namespace {

// More lines add little but time: a fuzzer input is short anyway.
constexpr size_t kLinesMax = 64;
// The day the commands are decided on: the demo month and the SPEC's examples are before it.
constexpr std::string_view kToday = "2024-12-31";

// What holds for any line, accepted or not.
void CheckParsed(const ParsedCommand& parsed) {
  if (!parsed.status.ok()) {
    FUZZ_REQUIRE(parsed.status.code() == Code::kInvalidArgument);
    return;
  }
  FUZZ_REQUIRE(parsed.command.op_case() != pb::Command::OP_NOT_SET);
  FUZZ_REQUIRE(parsed.request_id.has_value());
  FUZZ_REQUIRE(*parsed.request_id == parsed.command.request_id());
  // The export embeds this rendering and reads it back with the strict parser.
  const std::string rendered = CommandToJson(parsed.command);
  FUZZ_REQUIRE(rendered != "{}");
  const Result<json::Value> value = json::Parse(rendered);
  FUZZ_REQUIRE(value.ok());
  // Canonical JSON is what idempotency compares: a fixed point.
  const std::string canonical = json::Canonical(*value);
  const Result<json::Value> again = json::Parse(canonical);
  FUZZ_REQUIRE(again.ok() && json::Canonical(*again) == canonical);
}

// An accepted entry as the ledger stores and exports it.
void CheckEntry(const Transaction& tx, uint64_t seq, Hash* head, Replayer* replayer) {
  StoredEntry stored;
  stored.seq = seq;
  stored.prev_hash = *head;
  stored.bytes = tx.entries().at(seq);
  stored.hash = codec::ChainHash(stored.prev_hash, seq, stored.bytes);
  FUZZ_REQUIRE(stored.entry.ParseFromString(stored.bytes));
  const std::string line = ExportLine(stored);
  const Result<StoredEntry> read = ParseExportLine(line);
  FUZZ_REQUIRE(read.ok());
  FUZZ_REQUIRE(read->bytes == stored.bytes && read->hash == stored.hash);
  FUZZ_REQUIRE(ExportLine(*read) == line);
  FUZZ_REQUIRE(replayer->Add(*read).ok());
  *head = stored.hash;
}

}  // namespace
}  // namespace caseledger

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace caseledger;
  // The latest value of each record, as the replay of `verify` keeps it.
  MemoryState state(/*latest_only=*/true);
  Replayer replayer;
  Hash head{};
  uint64_t next_seq = 1;
  std::string_view rest = fuzz::AsText(data, size);
  for (size_t n = 0; n < kLinesMax && !rest.empty(); ++n) {
    const size_t end = rest.find('\n');
    const std::string_view line = rest.substr(0, end);
    rest = end == std::string_view::npos ? std::string_view() : rest.substr(end + 1);
    const ParsedCommand parsed = ParseCommandLine(line);
    CheckParsed(parsed);
    if (!parsed.status.ok()) continue;
    ApplyContext context;
    context.seq = next_seq;
    context.recorded_at_us = 1700000000000000 + static_cast<int64_t>(next_seq);
    context.today = Date::Parse(kToday, "today").value();
    Transaction tx(&state);
    const Result<Decision> decision = Decide(parsed.command, context, &tx);
    if (!decision.ok()) {
      // CORRUPTION from Decide is a broken invariant: the engine refused its own entry.
      FUZZ_REQUIRE(decision.status().code() != Code::kCorruption);
      continue;
    }
    if (!decision->created) {
      FUZZ_REQUIRE(tx.writes().empty() && tx.entries().empty());
      continue;
    }
    FUZZ_REQUIRE(decision->seq == next_seq);
    CheckEntry(tx, next_seq, &head, &replayer);
    // An entry of the rules must always encode: a changed fixed field of a case is a defect.
    FUZZ_REQUIRE(codec::EncodeWrites(tx.writes(), next_seq, &state, &state).ok());
    for (const auto& [seq, bytes] : tx.entries()) state.AddEntry(seq, bytes);
    ++next_seq;
  }
  return 0;
}

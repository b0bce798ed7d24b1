// Export lines (SPEC §5): ParseExportLine accepts a line only if it is byte for byte what
// ExportLine writes for the entry it reads (so it re-renders identically), and the same object
// read as JSON passes ParseExportObject. The input read as an entry's bytes instead: any entry
// that parses exports to a line that reads back to the same bytes.
#include <google/protobuf/stubs/logging.h>

#include <string>
#include <string_view>

#include "core/json.h"
#include "ledger/codec.h"
#include "ledger/export.h"
#include "tests/fuzz/fuzz.h"

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  // Protobuf logs each string field that is not UTF-8; a rejected input is not news.
  google::protobuf::SetLogHandler(nullptr);
  return 0;
}

namespace caseledger {
namespace {

void CheckLine(std::string_view line) {
  const Result<StoredEntry> stored = ParseExportLine(line);
  if (!stored.ok()) {
    FUZZ_REQUIRE(stored.status().code() == Code::kCorruption);
    return;
  }
  if (line.ends_with('\r')) line.remove_suffix(1);
  FUZZ_REQUIRE(ExportLine(*stored) == line);
  const Result<json::Value> value = json::Parse(line);
  FUZZ_REQUIRE(value.ok());
  const Result<StoredEntry> object = ParseExportObject(*value);
  FUZZ_REQUIRE(object.ok() && object->bytes == stored->bytes);
}

void CheckEntryBytes(std::string_view bytes) {
  StoredEntry stored;
  if (!stored.entry.ParseFromString(std::string(bytes))) return;
  stored.seq = 1;
  stored.bytes = std::string(bytes);
  stored.hash = codec::ChainHash(stored.prev_hash, stored.seq, stored.bytes);
  const std::string line = ExportLine(stored);
  const Result<StoredEntry> read = ParseExportLine(line);
  FUZZ_REQUIRE(read.ok());
  FUZZ_REQUIRE(read->bytes == stored.bytes);
  FUZZ_REQUIRE(ChainsFrom(*read));
}

}  // namespace
}  // namespace caseledger

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace caseledger;
  CheckLine(fuzz::AsText(data, size));
  CheckEntryBytes(fuzz::AsText(data, size));
  return 0;
}

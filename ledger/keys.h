// RocksDB keys of the ledger (proto/FORMAT.md documents every byte). On disk: do not change.
#ifndef CASELEDGER_LEDGER_KEYS_H_
#define CASELEDGER_LEDGER_KEYS_H_

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>

#include "core/transaction.h"

namespace caseledger::keys {

inline constexpr char kEntryPrefix = 'e';  // 'e' + seq (8 bytes BE) -> hash (32) + entry bytes
inline constexpr char kMetaPrefix = 'm';   // 'm' + name -> value
inline constexpr char kTreePrefix = 't';   // 't' + level (1 byte) + index (8 bytes BE) -> hash
inline constexpr std::string_view kFormatKey = "mformat";
inline constexpr std::string_view kFormatValue = "caseledger-format-1";
// Present once the ledger keeps a head file (ledger/files.h): from then on a missing head file
// is damage. Ledgers written before it have none; their next writer creates both.
inline constexpr std::string_view kHeadFileKey = "mhead-file";
inline constexpr std::string_view kHeadFileValue = "CASELEDGER-HEAD";

std::string BigEndian64(uint64_t value);
uint64_t ReadBigEndian64(std::string_view bytes);  // bytes.size() >= 8

std::string EntryKey(uint64_t seq);
// The perfect Merkle subtree (level, index) of core/merkle.h: the root of the leaves
// [index·2^level, (index+1)·2^level), i.e. of entries index·2^level + 1 ... (index+1)·2^level.
std::string TreeKey(int level, uint64_t index);
// The entry whose append completed the subtree stored under a tree key (its last leaf).
uint64_t TreeKeySeq(std::string_view key);
// Case and global records are versioned: one value per entry that changed them, newest first.
bool IsVersioned(Table table);
// The key of a state record; for versioned tables, the version written by entry `seq`.
std::string StateKey(Table table, std::string_view id, uint64_t seq);
// The prefix under which the versions of a versioned record sort, newest first.
std::string VersionPrefix(Table table, std::string_view id);
// The sequence number in a versioned key.
uint64_t VersionSeq(std::string_view key);

// Where staged writes go: a RocksDB WriteBatch, or memory when replaying.
class Sink {
 public:
  virtual ~Sink() = default;
  virtual void Put(const std::string& key, const std::string& value) = 0;
  virtual void Delete(const std::string& key) = 0;
};
// Encodes one entry's state writes, versioned by its seq.
void EncodeWrites(const Transaction::Writes& writes, uint64_t seq, Sink* sink);
// The value of an entry key.
std::string EntryValue(const std::array<uint8_t, 32>& hash, std::string_view bytes);

}  // namespace caseledger::keys

#endif  // CASELEDGER_LEDGER_KEYS_H_

namespace caseledger::keys {
// SPEC §5: SHA-256 over the previous hash ‖ seq (8 bytes, big-endian) ‖ the stored bytes.
std::array<uint8_t, 32> ChainHash(const std::array<uint8_t, 32>& prev, uint64_t seq,
                                  std::string_view bytes);
}  // namespace caseledger::keys

// The byte layout of every key and value caseledger stores in RocksDB, and of the head file's
// slots: the only code of ledger/ that knows it (leveldb's table/format.h is the model).
// proto/FORMAT.md documents the same bytes with a worked example. On disk: do not change; a
// change of layout is a new format version (kFormatVersion, FORMAT.md "Format version").
//
// Grammar (BE64(x): 8 bytes, big-endian, so that bytewise order is numeric order; ~x: the
// bitwise complement, so that newer versions sort first; hash[32]: a SHA-256 digest):
//
//   key :=
//       'm' name                        meta: "mformat", "mhead-file"
//     | 'e' BE64(seq)                   entry seq (1, 2, ... with no gaps)
//     | 't' level:u8 BE64(index)        the perfect Merkle subtree (level, index), level < 64
//     | versioned id 0x00 BE64(~seq)    the record `id` after entry seq
//     | current id                      the record `id` as it stands
//   versioned := 'c' | 'g' | 'q' | 'p'                  (kPrefixes: Table::kCase, ...)
//   current   := 'a' | 'u' | 'h' | 'd' | 'l' | 'r' | 'i' | 'o' | 'v' | 'n' | 'y' | 's'
//   id        := UTF-8 text without 0x00 ("" for the global record and the rules)
//
//   value of 'e'        := hash[32] stored_bytes
//                          hash = SHA-256(previous hash ‖ BE64(seq) ‖ stored_bytes),
//                          previous hash of entry 1 = 32 zero bytes
//   stored_bytes        := pb::Entry (deterministic protobuf)
//   value of 't'        := hash[32]
//   value of 'i', 'o'   := BE64(seq)           the entry that holds the bank reference
//   value of 'a'        := case number (UTF-8)
//   value of c g q p u h d l r v n y s := the protobuf message kPrefixes names
//   value of "mformat"  := "caseledger-format-" version (decimal digits, no leading zero)
//   value of "mhead-file" := "CASELEDGER-HEAD"
//
//   head file CASELEDGER-HEAD := slot slot
//   slot     := "CLHEAD01" BE64(seq) hash[32] checksum[16] 0x00[448]     (512 bytes)
//   checksum := the first 16 bytes of SHA-256("CLHEAD01" BE64(seq) hash)
//
// Decoding never trusts the bytes: a short, long or unparsable key or value is CORRUPTION
// naming what it is, never a crash.
#ifndef CASELEDGER_LEDGER_CODEC_H_
#define CASELEDGER_LEDGER_CODEC_H_

#include <google/protobuf/message.h>

#include <array>
#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"
#include "core/transaction.h"
#include "ledger/ledger.h"

namespace caseledger::codec {

// ---- Named sizes.
inline constexpr size_t kPrefixSize = 1;
inline constexpr size_t kSeqSize = 8;  // BE64
inline constexpr size_t kHashSize = 32;
inline constexpr size_t kTreeLevelSize = 1;
static_assert(std::tuple_size_v<Hash> == kHashSize, "a Hash is one SHA-256 digest");
inline constexpr size_t kEntryKeySize = kPrefixSize + kSeqSize;
inline constexpr size_t kTreeKeySize = kPrefixSize + kTreeLevelSize + kSeqSize;
inline constexpr size_t kTreeValueSize = kHashSize;
inline constexpr size_t kSeqValueSize = kSeqSize;
// An entry's value: the hash, then the stored bytes from this offset.
inline constexpr size_t kEntryHashOffset = 0;
inline constexpr size_t kEntryBytesOffset = kEntryHashOffset + kHashSize;
// A versioned key ends with the separator and the inverted seq.
inline constexpr size_t kVersionSuffixSize = 1 + kSeqSize;
// Tree levels: a level-64 subtree would hold 2^64 entries.
inline constexpr int kTreeLevelsMax = 64;

// ---- The one list of key prefixes. Table's values (core/transaction.h) are the prefixes of the
// state records that core stages; the entry, tree and meta prefixes are the ledger's own.
inline constexpr char kMetaPrefix = 'm';
inline constexpr char kEntryPrefix = 'e';
inline constexpr char kTreePrefix = 't';

enum class KeyLayout {
  kMetaName,   // 'm' name
  kSeq,        // 'e' BE64(seq)
  kTreeNode,   // 't' level BE64(index)
  kVersioned,  // prefix id 0x00 BE64(~seq)
  kCurrent,    // prefix id
};
enum class ValueLayout {
  kMetaText,  // ASCII
  kEntry,     // hash[32] stored bytes
  kHash,      // hash[32]
  kSeq,       // BE64(seq)
  kText,      // UTF-8 text
  kMessage,   // the protobuf message named by `message`
};
struct Prefix {
  char prefix;
  KeyLayout key;
  ValueLayout value;
  std::string_view message;  // the value's message type, for kMessage
};

inline constexpr Prefix kPrefixes[] = {
    {kMetaPrefix, KeyLayout::kMetaName, ValueLayout::kMetaText, ""},
    {kEntryPrefix, KeyLayout::kSeq, ValueLayout::kEntry, "Entry"},
    {kTreePrefix, KeyLayout::kTreeNode, ValueLayout::kHash, ""},
    {static_cast<char>(Table::kCase), KeyLayout::kVersioned, ValueLayout::kMessage, "CaseRecord"},
    {static_cast<char>(Table::kGlobal), KeyLayout::kVersioned, ValueLayout::kMessage,
     "GlobalRecord"},
    {static_cast<char>(Table::kRules), KeyLayout::kVersioned, ValueLayout::kMessage, "RulesRecord"},
    {static_cast<char>(Table::kDefaulter), KeyLayout::kVersioned, ValueLayout::kMessage,
     "DefaulterRecord"},
    {static_cast<char>(Table::kEvent), KeyLayout::kCurrent, ValueLayout::kMessage, "EventRecord"},
    {static_cast<char>(Table::kDistribution), KeyLayout::kCurrent, ValueLayout::kMessage,
     "DistributionRecord"},
    {static_cast<char>(Table::kPartyIdentity), KeyLayout::kCurrent, ValueLayout::kMessage,
     "PartyIdentityRecord"},
    {static_cast<char>(Table::kCaseFixed), KeyLayout::kCurrent, ValueLayout::kMessage,
     "CaseRecord"},
    {static_cast<char>(Table::kAccount), KeyLayout::kCurrent, ValueLayout::kText, ""},
    {static_cast<char>(Table::kUnidentified), KeyLayout::kCurrent, ValueLayout::kMessage,
     "UnidentifiedRecord"},
    {static_cast<char>(Table::kHold), KeyLayout::kCurrent, ValueLayout::kMessage, "HoldRecord"},
    {static_cast<char>(Table::kDisbursement), KeyLayout::kCurrent, ValueLayout::kMessage,
     "DisbursementRecord"},
    {static_cast<char>(Table::kLodgment), KeyLayout::kCurrent, ValueLayout::kMessage,
     "LodgmentRecord"},
    {static_cast<char>(Table::kRequest), KeyLayout::kCurrent, ValueLayout::kMessage,
     "RequestRecord"},
    {static_cast<char>(Table::kBankRefIn), KeyLayout::kCurrent, ValueLayout::kSeq, ""},
    {static_cast<char>(Table::kBankRefOut), KeyLayout::kCurrent, ValueLayout::kSeq, ""},
    {static_cast<char>(Table::kRoles), KeyLayout::kCurrent, ValueLayout::kMessage, "RolesRecord"},
};

// The entry of kPrefixes for a key's first byte; nullptr for a byte no key starts with.
constexpr const Prefix* FindPrefix(char prefix) {
  for (const Prefix& entry : kPrefixes) {
    if (entry.prefix == prefix) return &entry;
  }
  return nullptr;
}
constexpr bool PrefixesDistinct() {
  for (const Prefix& a : kPrefixes) {
    for (const Prefix& b : kPrefixes) {
      if (&a != &b && a.prefix == b.prefix) return false;
    }
  }
  return true;
}
static_assert(PrefixesDistinct(), "one prefix, one kind of record");

// Case and global records, rules and defaulters are versioned: one value per entry that changed
// them, newest first, never overwritten.
constexpr bool IsVersioned(Table table) {
  const Prefix* entry = FindPrefix(static_cast<char>(table));
  return entry != nullptr && entry->key == KeyLayout::kVersioned;
}
// Whether a key is a meta key (by its prefix).
bool IsMetaKey(std::string_view key);
// Whether a key is a version of a versioned record (by its prefix).
bool IsVersionKey(std::string_view key);
// Whether a key is history: a version or a tree node (verify compares them by digest).
bool IsHistoryKey(std::string_view key);

// ---- BE64.
std::string EncodeSeq(uint64_t value);
// CORRUPTION unless exactly kSeqSize bytes; `what` names the value in the message.
Status DecodeSeq(std::string_view bytes, uint64_t* value, std::string_view what);

// ---- Meta keys.
inline constexpr std::string_view kFormatKey = "mformat";
// Present once the ledger keeps a head file (ledger/files.h): from then on a missing head file
// is damage. Ledgers written before it have none; their next writer creates both.
inline constexpr std::string_view kHeadFileKey = "mhead-file";
inline constexpr std::string_view kHeadFileValue = "CASELEDGER-HEAD";
static_assert(kFormatKey[0] == kMetaPrefix && kHeadFileKey[0] == kMetaPrefix);

// The format this program reads and writes (proto/FORMAT.md "Format version"), and the oldest
// format whose log (the `e` and `t` keys) is byte for byte this one's: `export` reads it.
inline constexpr int kFormatVersion = 3;
inline constexpr int kSameLogSinceVersion = 1;
inline constexpr std::string_view kFormatValuePrefix = "caseledger-format-";
std::string EncodeFormatValue(int version);
// CORRUPTION unless "caseledger-format-" and a version of 1 to 9 digits without a leading zero.
Status DecodeFormatValue(std::string_view value, int* version);

// ---- Entries: 'e' BE64(seq) -> hash[32] stored bytes.
std::string EntryKey(uint64_t seq);
bool IsEntryKey(std::string_view key);  // by its prefix
Status DecodeEntryKey(std::string_view key, uint64_t* seq);
std::string EncodeEntryValue(const Hash& hash, std::string_view bytes);
// `bytes` points into `value`. CORRUPTION when the value is shorter than a hash.
Status DecodeEntryValue(std::string_view value, Hash* hash, std::string_view* bytes);
// The value of entry `seq` decoded and its bytes parsed into `stored` (seq, hash, bytes,
// entry; prev_hash is the caller's). CORRUPTION naming the entry.
Status DecodeStoredEntry(uint64_t seq, std::string_view value, StoredEntry* stored);
// SPEC §5: SHA-256 over the previous hash ‖ BE64(seq) ‖ the stored bytes.
Hash ChainHash(const Hash& prev, uint64_t seq, std::string_view bytes);

// ---- Tree nodes: 't' level BE64(index) -> hash[32]. The perfect Merkle subtree (level, index)
// of core/merkle.h is the root of leaves [index·2^level, (index+1)·2^level), i.e. of entries
// index·2^level + 1 ... (index+1)·2^level.
std::string TreeKey(int level, uint64_t index);
bool IsTreeKey(std::string_view key);  // by its prefix
Status DecodeTreeKey(std::string_view key, int* level, uint64_t* index);
// The entry whose append completed the subtree (its last leaf); CORRUPTION for a key that is
// not a tree key or a subtree past 2^64 entries.
Status TreeKeySeq(std::string_view key, uint64_t* seq);
std::string EncodeTreeValue(const Hash& hash);
Status DecodeTreeValue(std::string_view value, Hash* hash);

// ---- State records.
// The prefix of every key of a table (its records sort together under it).
std::string TablePrefix(Table table);
// The prefix of every entry key.
std::string EntriesPrefix();
// The key of a state record; for versioned tables, the version written by entry `seq`.
std::string StateKey(Table table, std::string_view id, uint64_t seq);
// The prefix under which the versions of a versioned record sort, newest first.
std::string VersionPrefix(Table table, std::string_view id);
// The first key after every version of `id`: where the next record's versions start.
std::string NextRecordKey(Table table, std::string_view id);
// A versioned key's record (its prefix, `VersionPrefix`) and seq; CORRUPTION when the key is too
// short or lacks the separator.
Status DecodeVersionKey(std::string_view key, std::string_view* record, uint64_t* seq);
// A versioned key's id (`id` points into `key`).
Status DecodeVersionId(std::string_view key, std::string_view* id);
// A current-only key's id (`id` points into `key`).
Status DecodeCurrentKey(std::string_view key, std::string_view* id);
// A state value holding a protobuf message; CORRUPTION naming the message type when the bytes
// do not parse.
Status DecodeRecord(std::string_view bytes, google::protobuf::Message* record);
// The value of an 'i' or 'o' key: the entry that holds the bank reference.
std::string EncodeSeqValue(uint64_t seq);
Status DecodeSeqValue(std::string_view value, uint64_t* seq);

// Where staged writes go: a RocksDB WriteBatch, or memory when replaying.
class Sink {
 public:
  virtual ~Sink() = default;
  virtual void Put(const std::string& key, const std::string& value) = 0;
  virtual void Delete(const std::string& key) = 0;
};
// Encodes one entry's state writes, versioned by its seq. A CaseRecord is split
// (SplitCaseRecord): its changing fields are the version, its fixed fields are written once,
// by the entry that creates the case (one `before` does not hold). CORRUPTION when a record
// does not split, or when an entry changed a fixed field of an existing case (the rules never
// do: that would be a defect, refused before anything is written).
[[nodiscard]] Status EncodeWrites(const Transaction::Writes& writes, uint64_t seq,
                                  StateReader* before, Sink* sink);

// ---- A case record in two parts (format 3).
// The fields a case is opened or restored with and keeps (kCaseFixedFields) are stored once
// under 'k'; the others, as each entry leaves them, under 'c'. Both parts are protobuf wire
// fields copied as they are, in their order, so that the fixed part followed by the changing
// part parses as the whole record (disjoint fields merge by concatenation).
Status SplitCaseRecord(std::string_view record, std::string* fixed, std::string* changing);
// The whole record's bytes from its two parts.
std::string JoinCaseRecord(std::string_view fixed, std::string_view changing);

// ---- Reading an entry's wire format without parsing it whole.
// Whether the stored bytes of an entry have a command whose operation's field number is in
// `operations`, or a posting to `account`. Reads the top-level fields of Entry, and within the
// command (1) its fields' numbers and within each posting (3) its account (1); every other field
// is skipped by its wire type, until it knows. CORRUPTION when the bytes are not protobuf wire
// format. The caller parses the entry when the answer is yes: most entries move no money through
// the bank, and parsing each whole was most of a reconciliation's scan.
Result<bool> EntryMentions(std::string_view bytes, std::initializer_list<int> operations,
                           std::string_view account);

// One posting as an entry's wire format holds it (`account` points into the entry's bytes).
struct PostingView {
  std::string_view account;
  int64_t amount_fen = 0;  // debit positive, credit negative
};
// The postings (field 3) of an entry's stored bytes, without parsing the command or the outcome
// (verify --fast): every top-level field must be well formed and of its field's wire type
// (command 1, outcome 4: length-delimited; recorded_at_us 2: fixed64), and is skipped by it.
// CORRUPTION when the bytes are not an entry's wire format.
Status EntryPostings(std::string_view bytes, std::vector<PostingView>* postings);
// The top-level varint fields `fields` of a message's bytes (sint64: zigzag-decoded) into
// `values` (same order; 0 when absent, the last occurrence when repeated, as parsing does);
// every other field is skipped by its wire type. CORRUPTION when the bytes are not wire format.
Status ReadSint64Fields(std::string_view bytes, std::span<const int> fields,
                        std::span<int64_t> values);

// ---- The head file: two slots, each the last acknowledged entry's seq and hash.
inline constexpr std::string_view kHeadMagic = "CLHEAD01";
inline constexpr size_t kHeadChecksumSize = 16;
inline constexpr size_t kHeadSlotBytes = 512;  // one sector: a torn write damages one slot
inline constexpr size_t kHeadSlots = 2;
inline constexpr size_t kHeadFileBytes = kHeadSlotBytes * kHeadSlots;
inline constexpr size_t kHeadSeqOffset = kHeadMagic.size();
inline constexpr size_t kHeadHashOffset = kHeadSeqOffset + kSeqSize;
inline constexpr size_t kHeadChecksumOffset = kHeadHashOffset + kHashSize;
// magic (8) + seq (8) + hash (32) + checksum (16): the rest of a slot is zero.
inline constexpr size_t kHeadRecordBytes = kHeadChecksumOffset + kHeadChecksumSize;
static_assert(kHeadRecordBytes <= kHeadSlotBytes, "a head record fits in its slot");

struct HeadRecord {
  uint64_t seq = 0;
  Hash hash{};
};
// One slot's bytes, and back (nullopt: not a valid slot: torn, zero or damaged, which the
// other slot covers; the caller decides when no valid slot is damage).
std::string EncodeHeadSlot(const HeadRecord& record);
std::optional<HeadRecord> DecodeHeadSlot(std::string_view slot);
// The whole file: `record` in every slot (a new head file).
std::string EncodeHeadFile(const HeadRecord& record);
// Where slot `slot` (0 or 1) starts in the file.
constexpr uint64_t HeadSlotOffset(size_t slot) { return slot * kHeadSlotBytes; }
// The record of the valid slot with the larger seq; nullopt when no slot is valid (a file cut
// short holds fewer slots).
std::optional<HeadRecord> DecodeHeadFile(std::string_view file);

}  // namespace caseledger::codec

#endif  // CASELEDGER_LEDGER_CODEC_H_

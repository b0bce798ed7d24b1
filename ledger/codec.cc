#include "ledger/codec.h"

#include <google/protobuf/io/coded_stream.h>
#include <google/protobuf/wire_format_lite.h>
// SHA256_Init and friends are deprecated in OpenSSL 3 in favour of EVP, whose per-call context
// costs more than hashing a short entry (verify --fast hashes a million entries a second).
#define OPENSSL_SUPPRESS_DEPRECATED
#include <openssl/evp.h>
#include <openssl/sha.h>

#include <algorithm>
#include <array>
#include <cassert>
#include <cstdlib>
#include <limits>

#include "caseledger.pb.h"
#include "core/check.h"

namespace caseledger::codec {
namespace {

uint64_t ReadSeq(std::string_view bytes) {
  uint64_t value = 0;
  for (size_t i = 0; i < kSeqSize; ++i) value = (value << 8) | static_cast<uint8_t>(bytes[i]);
  return value;
}

Hash ReadHash(std::string_view bytes) {
  Hash hash{};
  std::copy_n(reinterpret_cast<const uint8_t*>(bytes.data()), kHashSize, hash.begin());
  return hash;
}

std::string_view HashBytes(const Hash& hash) {
  return {reinterpret_cast<const char*>(hash.data()), hash.size()};
}

// The first 16 bytes of SHA-256 over a head record's magic, seq and hash.
std::string HeadChecksum(std::string_view bytes) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  const bool ok = EVP_Digest(bytes.data(), bytes.size(), digest, &length, EVP_sha256(), nullptr);
  // Never a valid checksum of real bytes: the slot then reads as damaged.
  if (!ok || length < kHeadChecksumSize) return std::string(kHeadChecksumSize, '\0');
  return std::string(reinterpret_cast<const char*>(digest), kHeadChecksumSize);
}

}  // namespace

bool IsMetaKey(std::string_view key) { return !key.empty() && key[0] == kMetaPrefix; }

bool IsVersionKey(std::string_view key) {
  if (key.empty()) return false;
  const Prefix* prefix = FindPrefix(key[0]);
  return prefix != nullptr && prefix->key == KeyLayout::kVersioned;
}

bool IsHistoryKey(std::string_view key) {
  if (key.empty()) return false;
  const Prefix* prefix = FindPrefix(key[0]);
  return prefix != nullptr &&
         (prefix->key == KeyLayout::kTreeNode || prefix->key == KeyLayout::kVersioned);
}

std::string EncodeSeq(uint64_t value) { return caseledger::BigEndian64(value); }

Status DecodeSeq(std::string_view bytes, uint64_t* value, std::string_view what) {
  CASELEDGER_CHECK(bytes.size() == kSeqSize, std::string(what) + " is " +
                                                 std::to_string(bytes.size()) + " bytes, not " +
                                                 std::to_string(kSeqSize));
  *value = ReadSeq(bytes);
  return Status::Ok();
}

// ---- Meta.

std::string EncodeFormatValue(int version) {
  assert(version > 0);
  return std::string(kFormatValuePrefix) + std::to_string(version);
}

Status DecodeFormatValue(std::string_view value, int* version) {
  const std::string shown(value.substr(0, 40));
  CASELEDGER_CHECK(value.starts_with(kFormatValuePrefix),
                   "the directory holds an unknown format: " + shown);
  const std::string_view digits = value.substr(kFormatValuePrefix.size());
  const bool number = !digits.empty() && digits.size() <= 9 && digits[0] != '0' &&
                      digits.find_first_not_of("0123456789") == std::string_view::npos;
  CASELEDGER_CHECK(number, "the directory holds an unknown format: " + shown);
  *version = std::stoi(std::string(digits));
  return Status::Ok();
}

// ---- Entries.

std::string EntryKey(uint64_t seq) { return std::string(1, kEntryPrefix) + EncodeSeq(seq); }

bool IsEntryKey(std::string_view key) { return !key.empty() && key[0] == kEntryPrefix; }

Status DecodeEntryKey(std::string_view key, uint64_t* seq) {
  CASELEDGER_CHECK(IsEntryKey(key), "an entry key does not start with 'e'");
  CASELEDGER_CHECK(key.size() == kEntryKeySize, "an entry key is " + std::to_string(key.size()) +
                                                    " bytes, not " + std::to_string(kEntryKeySize));
  *seq = ReadSeq(key.substr(kPrefixSize));
  return Status::Ok();
}

std::string EncodeEntryValue(const Hash& hash, std::string_view bytes) {
  std::string value(HashBytes(hash));
  value.append(bytes);
  return value;
}

Status DecodeEntryValue(std::string_view value, Hash* hash, std::string_view* bytes) {
  CASELEDGER_CHECK(value.size() >= kEntryBytesOffset,
                   "the stored value is too short: " + std::to_string(value.size()) +
                       " bytes, less than a hash");
  *hash = ReadHash(value.substr(kEntryHashOffset, kHashSize));
  *bytes = value.substr(kEntryBytesOffset);
  return Status::Ok();
}

Status DecodeStoredEntry(uint64_t seq, std::string_view value, StoredEntry* stored) {
  std::string_view bytes;
  Status decoded = DecodeEntryValue(value, &stored->hash, &bytes);
  CASELEDGER_CHECK(decoded.ok(), "entry " + std::to_string(seq) + " is short");
  stored->seq = seq;
  stored->bytes = std::string(bytes);
  CASELEDGER_CHECK(DecodeRecord(stored->bytes, &stored->entry).ok(),
                   "entry " + std::to_string(seq) + " does not parse");
  return Status::Ok();
}

Hash ChainHash(const Hash& prev, uint64_t seq, std::string_view bytes) {
  Hash out{};
  uint8_t seq_bytes[kSeqSize];
  for (size_t i = 0; i < kSeqSize; ++i) seq_bytes[i] = static_cast<uint8_t>(seq >> (56 - 8 * i));
  SHA256_CTX context;
  // A failure here is a broken libcrypto, not bad input: crash rather than chain garbage.
  const bool ok = SHA256_Init(&context) == 1 &&
                  SHA256_Update(&context, prev.data(), prev.size()) == 1 &&
                  SHA256_Update(&context, seq_bytes, kSeqSize) == 1 &&
                  SHA256_Update(&context, bytes.data(), bytes.size()) == 1 &&
                  SHA256_Final(out.data(), &context) == 1;
  if (!ok) std::abort();
  return out;
}

// ---- Tree nodes.

std::string TreeKey(int level, uint64_t index) {
  assert(level >= 0 && level < kTreeLevelsMax);
  std::string key(1, kTreePrefix);
  key.push_back(static_cast<char>(level));
  return key + EncodeSeq(index);
}

bool IsTreeKey(std::string_view key) { return !key.empty() && key[0] == kTreePrefix; }

Status DecodeTreeKey(std::string_view key, int* level, uint64_t* index) {
  CASELEDGER_CHECK(IsTreeKey(key), "a tree key does not start with 't'");
  CASELEDGER_CHECK(key.size() == kTreeKeySize, "a Merkle tree key is " +
                                                   std::to_string(key.size()) + " bytes, not " +
                                                   std::to_string(kTreeKeySize));
  *level = static_cast<uint8_t>(key[kPrefixSize]);
  CASELEDGER_CHECK(*level < kTreeLevelsMax,
                   "a Merkle tree key has level " + std::to_string(*level));
  *index = ReadSeq(key.substr(kPrefixSize + kTreeLevelSize));
  return Status::Ok();
}

Status TreeKeySeq(std::string_view key, uint64_t* seq) {
  int level = 0;
  uint64_t index = 0;
  CASELEDGER_RETURN_IF_ERROR(DecodeTreeKey(key, &level, &index));
  // (index + 1) · 2^level must fit: a subtree past 2^64 entries names no entry.
  CASELEDGER_CHECK(index < std::numeric_limits<uint64_t>::max(),
                   "a Merkle tree key names a subtree past 2^64 entries");
  CASELEDGER_CHECK(index + 1 <= (std::numeric_limits<uint64_t>::max() >> level),
                   "a Merkle tree key names a subtree past 2^64 entries");
  *seq = (index + 1) << level;
  return Status::Ok();
}

std::string EncodeTreeValue(const Hash& hash) { return std::string(HashBytes(hash)); }

Status DecodeTreeValue(std::string_view value, Hash* hash) {
  CASELEDGER_CHECK(value.size() == kTreeValueSize,
                   "a Merkle tree node is " + std::to_string(value.size()) + " bytes, not " +
                       std::to_string(kTreeValueSize));
  *hash = ReadHash(value);
  return Status::Ok();
}

// ---- State records.

std::string TablePrefix(Table table) { return std::string(1, static_cast<char>(table)); }

std::string EntriesPrefix() { return std::string(1, kEntryPrefix); }

std::string VersionPrefix(Table table, std::string_view id) {
  assert(IsVersioned(table));
  // Case numbers never hold a 0x00 byte (they are validated text), so the separator is safe.
  std::string key(1, static_cast<char>(table));
  key.append(id);
  key.push_back('\0');
  return key;
}

std::string NextRecordKey(Table table, std::string_view id) {
  std::string key = VersionPrefix(table, id);
  key.back() = '\x01';
  return key;
}

std::string StateKey(Table table, std::string_view id, uint64_t seq) {
  if (!IsVersioned(table)) return std::string(1, static_cast<char>(table)) + std::string(id);
  // Inverted so that the newest version sorts first under its prefix.
  return VersionPrefix(table, id) + EncodeSeq(~seq);
}

Status DecodeVersionKey(std::string_view key, std::string_view* record, uint64_t* seq) {
  CASELEDGER_CHECK(key.size() >= kPrefixSize + kVersionSuffixSize,
                   "a versioned key is " + std::to_string(key.size()) + " bytes, too short");
  const size_t separator = key.size() - kVersionSuffixSize;
  CASELEDGER_CHECK(key[separator] == '\0', "a versioned key lacks its 0x00 separator");
  *record = key.substr(0, separator + 1);
  *seq = ~ReadSeq(key.substr(separator + 1));
  return Status::Ok();
}

Status DecodeVersionId(std::string_view key, std::string_view* id) {
  std::string_view record;
  uint64_t seq = 0;
  CASELEDGER_RETURN_IF_ERROR(DecodeVersionKey(key, &record, &seq));
  *id = record.substr(kPrefixSize, record.size() - kPrefixSize - 1);
  return Status::Ok();
}

Status DecodeCurrentKey(std::string_view key, std::string_view* id) {
  CASELEDGER_CHECK(!key.empty(), "a state key is empty");
  *id = key.substr(kPrefixSize);
  return Status::Ok();
}

Status DecodeRecord(std::string_view bytes, google::protobuf::Message* record) {
  // ParseFromArray takes an int: a value of 2 GiB or more is no record of ours.
  CASELEDGER_CHECK(bytes.size() <= static_cast<size_t>(std::numeric_limits<int>::max()),
                   "a stored " + record->GetTypeName() + " is too large");
  CASELEDGER_CHECK(record->ParseFromArray(bytes.data(), static_cast<int>(bytes.size())),
                   "a stored " + record->GetTypeName() + " does not parse");
  return Status::Ok();
}

std::string EncodeSeqValue(uint64_t seq) { return EncodeSeq(seq); }

Status DecodeSeqValue(std::string_view value, uint64_t* seq) {
  return DecodeSeq(value, seq, "a bank reference's entry number");
}

namespace {

using CaseWire = google::protobuf::internal::WireFormatLite;

// The fields of CaseRecord set when a case is opened (or restored from another) and never
// changed after (proto/FORMAT.md "Case records in two parts").
constexpr std::array<int, 16> kCaseFixedFields = {
    pb::CaseRecord::kCaseNoFieldNumber,          pb::CaseRecord::kAccountNoFieldNumber,
    pb::CaseRecord::kCourtFieldNumber,           pb::CaseRecord::kTypeCodeFieldNumber,
    pb::CaseRecord::kJudgeFieldNumber,           pb::CaseRecord::kFiledOnFieldNumber,
    pb::CaseRecord::kClaimFenFieldNumber,        pb::CaseRecord::kOrdinaryInterestFenFieldNumber,
    pb::CaseRecord::kPerformanceDueFieldNumber,  pb::CaseRecord::kClosureMonthsFieldNumber,
    pb::CaseRecord::kFlagsFieldNumber,           pb::CaseRecord::kCreditorsFieldNumber,
    pb::CaseRecord::kDebtorsFieldNumber,         pb::CaseRecord::kFeeBaseFieldNumber,
    pb::CaseRecord::kAllocationOrderFieldNumber, pb::CaseRecord::kRestoredFromFieldNumber};

bool IsFixedCaseField(int number) {
  return std::find(kCaseFixedFields.begin(), kCaseFixedFields.end(), number) !=
         kCaseFixedFields.end();
}

// A case record's write: its version, and its fixed part when the entry creates the case.
Status EncodeCaseWrite(const std::string& id, const std::string& record, uint64_t seq,
                       StateReader* before, Sink* sink) {
  std::string fixed, changing;
  CASELEDGER_RETURN_IF_ERROR(SplitCaseRecord(record, &fixed, &changing));
  std::string previous;
  bool exists = false;
  CASELEDGER_RETURN_IF_ERROR(before->Read(Table::kCase, id, &previous, &exists));
  if (exists) {
    std::string previous_fixed, previous_changing;
    CASELEDGER_RETURN_IF_ERROR(SplitCaseRecord(previous, &previous_fixed, &previous_changing));
    CASELEDGER_CHECK(previous_fixed == fixed,
                     "an entry changed a fixed field (parties, claim, terms) of case " + id);
  } else {
    sink->Put(StateKey(Table::kCaseFixed, id, 0), fixed);
  }
  sink->Put(StateKey(Table::kCase, id, seq), changing);
  return Status::Ok();
}

}  // namespace

Status SplitCaseRecord(std::string_view record, std::string* fixed, std::string* changing) {
  fixed->clear();
  changing->clear();
  google::protobuf::io::CodedInputStream in(reinterpret_cast<const uint8_t*>(record.data()),
                                            static_cast<int>(record.size()));
  while (true) {
    const int start = in.CurrentPosition();
    const uint32_t tag = in.ReadTag();
    if (tag == 0) {
      // 0 is the end of the input, or a tag that does not parse.
      CASELEDGER_CHECK(static_cast<size_t>(start) == record.size(),
                       "a stored case record is not protobuf wire format");
      break;
    }
    CASELEDGER_CHECK(CaseWire::SkipField(&in, tag),
                     "a stored case record is not protobuf wire format");
    const std::string_view field = record.substr(start, in.CurrentPosition() - start);
    (IsFixedCaseField(static_cast<int>(CaseWire::GetTagFieldNumber(tag))) ? fixed : changing)
        ->append(field);
  }
  CASELEDGER_CHECK(in.CurrentPosition() == static_cast<int>(record.size()),
                   "a stored case record has bytes after its last field");
  return Status::Ok();
}

std::string JoinCaseRecord(std::string_view fixed, std::string_view changing) {
  std::string record;
  record.reserve(fixed.size() + changing.size());
  record.append(fixed);
  record.append(changing);
  return record;
}

Status EncodeWrites(const Transaction::Writes& writes, uint64_t seq, StateReader* before,
                    Sink* sink) {
  for (const auto& [key, value] : writes) {
    const auto& [table, id] = key;
    if (table == Table::kCase) {
      // A case is never erased: history keeps every version (core never erases one).
      CASELEDGER_CHECK(value.has_value(), "an entry erased case " + id);
      CASELEDGER_RETURN_IF_ERROR(EncodeCaseWrite(id, *value, seq, before, sink));
      continue;
    }
    if (IsVersioned(table)) {
      // A version is never erased: history keeps every one (core never erases one).
      assert(value.has_value());
      sink->Put(StateKey(table, id, seq), *value);
      continue;
    }
    if (value.has_value()) {
      sink->Put(StateKey(table, id, seq), *value);
    } else {
      sink->Delete(StateKey(table, id, seq));
    }
  }
  return Status::Ok();
}

// ---- An entry's wire format.

namespace {

namespace wire = google::protobuf::internal;
using Lite = wire::WireFormatLite;

// Within a length-delimited field of Entry already entered: true in *found once a field of the
// command is one of `operations`, or a posting's account is `account`.
bool ScanNested(google::protobuf::io::CodedInputStream* in, bool command,
                std::initializer_list<int> operations, std::string_view account, bool* found) {
  constexpr uint32_t kAccountTag = Lite::MakeTag(1, Lite::WIRETYPE_LENGTH_DELIMITED);
  while (in->BytesUntilLimit() > 0) {
    const uint32_t field = in->ReadTag();
    if (field == 0) return false;
    const int number = static_cast<int>(Lite::GetTagFieldNumber(field));
    if (command && std::find(operations.begin(), operations.end(), number) != operations.end()) {
      *found = true;
      return true;
    }
    if (!command && field == kAccountTag) {
      std::string text;
      if (!Lite::ReadString(in, &text)) return false;
      if (text == account) {
        *found = true;
        return true;
      }
      continue;
    }
    if (!Lite::SkipField(in, field)) return false;
  }
  return true;
}

}  // namespace

Result<bool> EntryMentions(std::string_view bytes, std::initializer_list<int> operations,
                           std::string_view account) {
  constexpr uint32_t kCommandTag = Lite::MakeTag(1, Lite::WIRETYPE_LENGTH_DELIMITED);
  constexpr uint32_t kPostingTag = Lite::MakeTag(3, Lite::WIRETYPE_LENGTH_DELIMITED);
  const Status bad = Status::Corruption("the stored bytes are not an entry");
  if (bytes.size() > static_cast<size_t>(std::numeric_limits<int>::max())) return bad;
  const int end = static_cast<int>(bytes.size());
  google::protobuf::io::CodedInputStream in(reinterpret_cast<const uint8_t*>(bytes.data()), end);
  bool found = false;
  while (!found && in.CurrentPosition() < end) {
    const uint32_t tag = in.ReadTag();  // 0: a tag that does not read, or field number 0
    if (tag == 0) return bad;
    if (tag != kCommandTag && tag != kPostingTag) {
      if (!Lite::SkipField(&in, tag)) return bad;
      continue;
    }
    uint32_t length = 0;
    if (!in.ReadVarint32(&length) || length > static_cast<uint32_t>(end - in.CurrentPosition())) {
      return bad;
    }
    const auto limit = in.PushLimit(static_cast<int>(length));
    if (!ScanNested(&in, tag == kCommandTag, operations, account, &found)) return bad;
    in.PopLimit(limit);
  }
  return found;
}

namespace {

// A reader of protobuf wire format over a byte range, for the skims below: faster than a
// CodedInputStream for the few fields they look at, and strict (no groups, no field 0).
class WireReader {
 public:
  explicit WireReader(std::string_view bytes)
      : at_(reinterpret_cast<const uint8_t*>(bytes.data())), end_(at_ + bytes.size()) {}
  bool done() const { return at_ == end_; }
  bool Varint(uint64_t* value) {
    *value = 0;
    for (int shift = 0; shift < 64 && at_ < end_; shift += 7) {
      const uint8_t byte = *at_++;
      *value |= static_cast<uint64_t>(byte & 0x7f) << shift;
      if ((byte & 0x80) == 0) return true;
    }
    return false;  // cut short, or longer than ten bytes
  }
  // A tag: field number (> 0) and wire type.
  bool Tag(int* number, int* type) {
    uint64_t tag = 0;
    if (!Varint(&tag) || tag >> 3 == 0 || tag >> 3 > (uint64_t{1} << 29) - 1) return false;
    *number = static_cast<int>(tag >> 3);
    *type = static_cast<int>(tag & 7);
    return true;
  }
  bool Bytes(std::string_view* value) {
    uint64_t length = 0;
    if (!Varint(&length) || length > static_cast<uint64_t>(end_ - at_)) return false;
    *value = {reinterpret_cast<const char*>(at_), static_cast<size_t>(length)};
    at_ += length;
    return true;
  }
  bool Skip(int type) {
    uint64_t ignored = 0;
    std::string_view bytes;
    switch (type) {
      case Lite::WIRETYPE_VARINT:
        return Varint(&ignored);
      case Lite::WIRETYPE_FIXED64:
        return Advance(8);
      case Lite::WIRETYPE_LENGTH_DELIMITED:
        return Bytes(&bytes);
      case Lite::WIRETYPE_FIXED32:
        return Advance(4);
      default:
        return false;  // groups: never written by this program
    }
  }

 private:
  bool Advance(size_t size) {
    if (size > static_cast<size_t>(end_ - at_)) return false;
    at_ += size;
    return true;
  }
  const uint8_t* at_;
  const uint8_t* end_;
};

int64_t Unzigzag(uint64_t value) {
  return static_cast<int64_t>(value >> 1) ^ -static_cast<int64_t>(value & 1);
}

bool ReadPosting(std::string_view bytes, PostingView* posting) {
  WireReader in(bytes);
  *posting = {};
  while (!in.done()) {
    int number = 0, type = 0;
    if (!in.Tag(&number, &type)) return false;
    uint64_t amount = 0;
    if (number == 1 && type == Lite::WIRETYPE_LENGTH_DELIMITED) {
      if (!in.Bytes(&posting->account)) return false;
    } else if (number == 2 && type == Lite::WIRETYPE_VARINT) {
      if (!in.Varint(&amount)) return false;
      posting->amount_fen = Unzigzag(amount);
    } else if (!in.Skip(type)) {
      return false;
    }
  }
  return true;
}

// The wire type each top-level field of Entry has (0: a field Entry does not have).
int EntryFieldType(int number) {
  switch (number) {
    case 1:  // command
    case 3:  // postings
    case 4:  // outcome
      return Lite::WIRETYPE_LENGTH_DELIMITED;
    case 2:  // recorded_at_us
      return Lite::WIRETYPE_FIXED64;
    default:
      return 0;
  }
}

}  // namespace

Status EntryPostings(std::string_view bytes, std::vector<PostingView>* postings) {
  const Status bad = Status::Corruption("the entry does not parse");
  postings->clear();
  WireReader in(bytes);
  while (!in.done()) {
    int number = 0, type = 0;
    if (!in.Tag(&number, &type)) return bad;
    const int expected = EntryFieldType(number);
    if (expected != 0 && type != expected) return bad;
    if (number != 3) {
      if (!in.Skip(type)) return bad;
      continue;
    }
    std::string_view posting;
    if (!in.Bytes(&posting)) return bad;
    postings->emplace_back();
    if (!ReadPosting(posting, &postings->back())) return bad;
  }
  return Status::Ok();
}

Status ReadSint64Fields(std::string_view bytes, std::span<const int> fields,
                        std::span<int64_t> values) {
  assert(fields.size() == values.size());
  std::fill(values.begin(), values.end(), 0);
  WireReader in(bytes);
  while (!in.done()) {
    int number = 0, type = 0;
    if (!in.Tag(&number, &type)) return Status::Corruption("a record does not parse");
    const auto field = std::find(fields.begin(), fields.end(), number);
    uint64_t value = 0;
    if (field != fields.end() && type == Lite::WIRETYPE_VARINT) {
      if (!in.Varint(&value)) return Status::Corruption("a record does not parse");
      values[field - fields.begin()] = Unzigzag(value);
    } else if (!in.Skip(type)) {
      return Status::Corruption("a record does not parse");
    }
  }
  return Status::Ok();
}

// ---- The head file.

std::string EncodeHeadSlot(const HeadRecord& record) {
  std::string slot(kHeadMagic);
  slot += EncodeSeq(record.seq);
  slot.append(HashBytes(record.hash));
  slot += HeadChecksum(slot);
  slot.resize(kHeadSlotBytes, '\0');
  return slot;
}

std::optional<HeadRecord> DecodeHeadSlot(std::string_view slot) {
  if (slot.size() != kHeadSlotBytes || !slot.starts_with(kHeadMagic)) return std::nullopt;
  if (slot.substr(kHeadChecksumOffset, kHeadChecksumSize) !=
      HeadChecksum(slot.substr(0, kHeadChecksumOffset))) {
    return std::nullopt;
  }
  HeadRecord record;
  record.seq = ReadSeq(slot.substr(kHeadSeqOffset, kSeqSize));
  record.hash = ReadHash(slot.substr(kHeadHashOffset, kHashSize));
  return record;
}

std::string EncodeHeadFile(const HeadRecord& record) {
  std::string file;
  for (size_t slot = 0; slot < kHeadSlots; ++slot) file += EncodeHeadSlot(record);
  return file;
}

std::optional<HeadRecord> DecodeHeadFile(std::string_view file) {
  std::optional<HeadRecord> latest;
  for (size_t slot = 0; slot < kHeadSlots; ++slot) {
    if (file.size() < HeadSlotOffset(slot) + kHeadSlotBytes) break;
    std::optional<HeadRecord> record =
        DecodeHeadSlot(file.substr(HeadSlotOffset(slot), kHeadSlotBytes));
    if (record && (!latest || record->seq > latest->seq)) latest = record;
  }
  return latest;
}

}  // namespace caseledger::codec

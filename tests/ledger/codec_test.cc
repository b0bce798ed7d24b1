// Proves ledger/codec round-trips every stored key and value, and that each decoder refuses a
// short, long or garbled byte string with CORRUPTION instead of crashing or misreading it.
#include "ledger/codec.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "caseledger.pb.h"

namespace caseledger {
namespace {

Hash SomeHash(uint8_t seed) {
  Hash hash{};
  for (size_t i = 0; i < hash.size(); ++i) hash[i] = static_cast<uint8_t>(seed + 7 * i);
  return hash;
}

// Every string shorter than `good`, and `good` with one byte more at its end.
std::vector<std::string> ShortAndLong(const std::string& good) {
  std::vector<std::string> bad;
  for (size_t size = 0; size < good.size(); ++size) bad.push_back(good.substr(0, size));
  bad.push_back(good + '\x00');
  return bad;
}

TEST(CodecTest, PrefixesAreDistinctAndVersionedOnesAreTheFour) {
  EXPECT_TRUE(codec::PrefixesDistinct());
  EXPECT_TRUE(codec::IsVersioned(Table::kCase));
  EXPECT_TRUE(codec::IsVersioned(Table::kGlobal));
  EXPECT_TRUE(codec::IsVersioned(Table::kRules));
  EXPECT_TRUE(codec::IsVersioned(Table::kDefaulter));
  for (Table table :
       {Table::kAccount, Table::kUnidentified, Table::kHold, Table::kDisbursement, Table::kLodgment,
        Table::kRequest, Table::kBankRefIn, Table::kBankRefOut, Table::kEvent, Table::kDistribution,
        Table::kPartyIdentity, Table::kCaseFixed, Table::kRoles}) {
    EXPECT_FALSE(codec::IsVersioned(table)) << static_cast<char>(table);
    ASSERT_NE(codec::FindPrefix(static_cast<char>(table)), nullptr) << static_cast<char>(table);
  }
  EXPECT_EQ(codec::FindPrefix('z'), nullptr);
  EXPECT_EQ(std::size(codec::kPrefixes), 20u);  // proto/FORMAT.md mirrors these 20 prefixes
}

// A case record in two parts (format 3): case_no (1), the claim (10) and a creditor (15) are
// fixed; received (20), a lot (30) and last_seq (33) change. Each part holds exactly its fields,
// byte for byte as the whole record serialised them, and the fixed part then the changing one
// parse back as the record.
TEST(CodecTest, ACaseRecordSplitsIntoItsFixedAndChangingFieldsAndJoinsBack) {
  pb::CaseRecord record;
  record.set_case_no("(2024)甘0102执1号");
  record.set_claim_fen(5000000);
  record.add_creditors()->set_name("张明");
  record.set_received_fen(120000);
  record.add_lots()->set_free_fen(120000);
  record.set_last_seq(7);
  const std::string bytes = record.SerializeAsString();
  std::string fixed, changing;
  ASSERT_TRUE(codec::SplitCaseRecord(bytes, &fixed, &changing).ok());
  EXPECT_EQ(fixed.size() + changing.size(), bytes.size());
  pb::CaseRecord fixed_only;
  ASSERT_TRUE(fixed_only.ParseFromString(fixed));
  EXPECT_EQ(fixed_only.case_no(), record.case_no());
  EXPECT_EQ(fixed_only.claim_fen(), 5000000);
  EXPECT_EQ(fixed_only.creditors_size(), 1);
  EXPECT_EQ(fixed_only.received_fen(), 0);
  EXPECT_EQ(fixed_only.lots_size(), 0);
  pb::CaseRecord changing_only;
  ASSERT_TRUE(changing_only.ParseFromString(changing));
  EXPECT_TRUE(changing_only.case_no().empty());
  EXPECT_EQ(changing_only.received_fen(), 120000);
  EXPECT_EQ(changing_only.last_seq(), 7u);
  pb::CaseRecord joined;
  ASSERT_TRUE(joined.ParseFromString(codec::JoinCaseRecord(fixed, changing)));
  EXPECT_EQ(joined.SerializeAsString(), bytes);
  // Bytes that are not a record's wire format do not split.
  for (const std::string& bad : {std::string("\x0a\x05"
                                             "ab"),
                                 std::string("\xff"), bytes.substr(0, bytes.size() - 1)}) {
    EXPECT_EQ(codec::SplitCaseRecord(bad, &fixed, &changing).code(), Code::kCorruption);
  }
}

// EncodeWrites writes the fixed part once, when the entry creates the case, and refuses an
// entry that changed a fixed field of an existing case (a defect of the rules), writing nothing.
TEST(CodecTest, TheFixedPartIsWrittenOnceAndNeverChanged) {
  struct Memory : StateReader, codec::Sink {
    std::map<std::string, std::string> kv;
    std::optional<std::string> case_bytes;  // the case as `before` holds it
    Status Read(Table table, std::string_view, std::string* value, bool* found) override {
      *found = table == Table::kCase && case_bytes.has_value();
      if (*found) *value = *case_bytes;
      return Status::Ok();
    }
    Status ReadEntry(uint64_t, std::string*, bool* found) override {
      *found = false;
      return Status::Ok();
    }
    void Put(const std::string& key, const std::string& value) override { kv[key] = value; }
    void Delete(const std::string& key) override { kv.erase(key); }
  } memory;
  pb::CaseRecord record;
  record.set_case_no("C1");
  record.set_claim_fen(100);
  record.set_received_fen(5);
  Transaction::Writes writes;
  writes[{Table::kCase, "C1"}] = record.SerializeAsString();
  ASSERT_TRUE(codec::EncodeWrites(writes, 1, &memory, &memory).ok());
  EXPECT_EQ(memory.kv.size(), 2u);  // 'k' C1 and the version 'c' C1 0x00 ~1
  EXPECT_TRUE(memory.kv.contains(codec::StateKey(Table::kCaseFixed, "C1", 0)));
  memory.kv.clear();
  memory.case_bytes = record.SerializeAsString();
  record.set_received_fen(9);
  writes[{Table::kCase, "C1"}] = record.SerializeAsString();
  ASSERT_TRUE(codec::EncodeWrites(writes, 2, &memory, &memory).ok());
  EXPECT_EQ(memory.kv.size(), 1u);  // the version alone
  memory.kv.clear();
  record.set_claim_fen(200);
  writes[{Table::kCase, "C1"}] = record.SerializeAsString();
  const Status changed = codec::EncodeWrites(writes, 3, &memory, &memory);
  EXPECT_EQ(changed.code(), Code::kCorruption);
  EXPECT_NE(changed.message().find("fixed field"), std::string::npos) << changed.message();
  EXPECT_TRUE(memory.kv.empty());
}

TEST(CodecTest, EntryKeyRoundTripsAndSortsBySeq) {
  for (uint64_t seq : {uint64_t{1}, uint64_t{255}, uint64_t{256}, UINT64_MAX}) {
    const std::string key = codec::EntryKey(seq);
    EXPECT_EQ(key.size(), codec::kEntryKeySize);
    uint64_t decoded = 0;
    ASSERT_TRUE(codec::DecodeEntryKey(key, &decoded).ok());
    EXPECT_EQ(decoded, seq);
  }
  EXPECT_LT(codec::EntryKey(255), codec::EntryKey(256));
  for (const std::string& bad : ShortAndLong(codec::EntryKey(7))) {
    uint64_t seq = 0;
    EXPECT_EQ(codec::DecodeEntryKey(bad, &seq).code(), Code::kCorruption) << bad.size();
  }
  uint64_t seq = 0;
  EXPECT_EQ(codec::DecodeEntryKey(codec::TreeKey(0, 7).substr(1), &seq).code(), Code::kCorruption);
}

TEST(CodecTest, EntryValueRoundTripsAndAShortOneIsCorruption) {
  const Hash hash = SomeHash(3);
  const std::string value = codec::EncodeEntryValue(hash, "entry bytes");
  EXPECT_EQ(value.size(), codec::kHashSize + 11);
  Hash decoded{};
  std::string_view bytes;
  ASSERT_TRUE(codec::DecodeEntryValue(value, &decoded, &bytes).ok());
  EXPECT_EQ(decoded, hash);
  EXPECT_EQ(bytes, "entry bytes");
  // A hash with no bytes decodes (the bytes then fail to parse as an entry); less does not.
  for (size_t size = 0; size < codec::kHashSize; ++size) {
    const Status status = codec::DecodeEntryValue(value.substr(0, size), &decoded, &bytes);
    EXPECT_EQ(status.code(), Code::kCorruption) << size;
    EXPECT_NE(status.message().find("too short"), std::string::npos) << status.message();
  }
}

TEST(CodecTest, StoredEntryParsesItsBytesAndNamesTheEntryOnDamage) {
  pb::Entry entry;
  entry.mutable_command()->set_request_id("r1");
  entry.set_recorded_at_us(1711900000000000);
  std::string bytes;
  ASSERT_TRUE(entry.SerializeToString(&bytes));
  StoredEntry stored;
  ASSERT_TRUE(
      codec::DecodeStoredEntry(5, codec::EncodeEntryValue(SomeHash(1), bytes), &stored).ok());
  EXPECT_EQ(stored.seq, 5u);
  EXPECT_EQ(stored.hash, SomeHash(1));
  EXPECT_EQ(stored.bytes, bytes);
  EXPECT_EQ(stored.entry.command().request_id(), "r1");

  Status short_value = codec::DecodeStoredEntry(5, std::string(10, 'x'), &stored);
  EXPECT_EQ(short_value.code(), Code::kCorruption);
  EXPECT_EQ(short_value.message(), "entry 5 is short");
  // Garbled bytes: a truncated field (length 0x7f, nothing after it) and a bad wire type.
  for (const std::string& garbled : {std::string("\x0a\x7f", 2), std::string("\x0f\x01", 2)}) {
    Status status =
        codec::DecodeStoredEntry(6, codec::EncodeEntryValue(SomeHash(1), garbled), &stored);
    EXPECT_EQ(status.code(), Code::kCorruption);
    EXPECT_EQ(status.message(), "entry 6 does not parse");
  }
}

TEST(CodecTest, ChainHashIsTheFormatsWorkedExample) {
  // proto/FORMAT.md "Worked example": entry 1 of an empty ledger.
  const std::string hex =
      "0a2a0a027231120a636c65726b2e77616e671a0a323032342d30332d3035620c0a063330302e3030120242311"
      "18f8dd2b3e36006001a0a0a0462616e6b10e0d4031a0e0a0873757370656e736510dfd403";
  std::string bytes;
  for (size_t i = 0; i < hex.size(); i += 2) {
    bytes.push_back(static_cast<char>(std::stoi(hex.substr(i, 2), nullptr, 16)));
  }
  EXPECT_EQ(HexOf(codec::ChainHash(Hash{}, 1, bytes)),
            "e98fc76acbfc0a144a3e80d0771152a5c513189aa7ce0e9155e16bac6b4362ed");
}

TEST(CodecTest, TreeKeyAndValueRoundTripAndRefuseBadBytes) {
  const std::string key = codec::TreeKey(3, 5);
  EXPECT_EQ(key.size(), codec::kTreeKeySize);
  int level = -1;
  uint64_t index = 0;
  ASSERT_TRUE(codec::DecodeTreeKey(key, &level, &index).ok());
  EXPECT_EQ(level, 3);
  EXPECT_EQ(index, 5u);
  uint64_t seq = 0;
  ASSERT_TRUE(codec::TreeKeySeq(key, &seq).ok());
  EXPECT_EQ(seq, 48u);  // entries 41 ... 48
  for (const std::string& bad : ShortAndLong(key)) {
    EXPECT_EQ(codec::DecodeTreeKey(bad, &level, &index).code(), Code::kCorruption) << bad.size();
    EXPECT_EQ(codec::TreeKeySeq(bad, &seq).code(), Code::kCorruption) << bad.size();
  }
  // A level of 64 or more would shift past the integer: refused, never undefined behaviour.
  std::string deep = key;
  deep[1] = static_cast<char>(64);
  EXPECT_EQ(codec::DecodeTreeKey(deep, &level, &index).code(), Code::kCorruption);
  deep[1] = static_cast<char>(0xff);
  EXPECT_EQ(codec::TreeKeySeq(deep, &seq).code(), Code::kCorruption);
  // A subtree past 2^64 entries names no entry.
  EXPECT_EQ(codec::TreeKeySeq(codec::TreeKey(1, UINT64_MAX / 2), &seq).code(), Code::kCorruption);
  EXPECT_EQ(codec::TreeKeySeq(codec::TreeKey(0, UINT64_MAX), &seq).code(), Code::kCorruption);

  Hash node{};
  ASSERT_TRUE(codec::DecodeTreeValue(codec::EncodeTreeValue(SomeHash(9)), &node).ok());
  EXPECT_EQ(node, SomeHash(9));
  for (const std::string& bad : ShortAndLong(codec::EncodeTreeValue(SomeHash(9)))) {
    EXPECT_EQ(codec::DecodeTreeValue(bad, &node).code(), Code::kCorruption) << bad.size();
  }
}

TEST(CodecTest, VersionKeysSortNewestFirstAndDecode) {
  const std::string older = codec::StateKey(Table::kCase, "(2024)甘0102执1号", 5);
  const std::string newer = codec::StateKey(Table::kCase, "(2024)甘0102执1号", 9);
  EXPECT_LT(newer, older);
  EXPECT_TRUE(newer.starts_with(codec::VersionPrefix(Table::kCase, "(2024)甘0102执1号")));
  EXPECT_GT(codec::NextRecordKey(Table::kCase, "(2024)甘0102执1号"), older);
  std::string_view record, id;
  uint64_t seq = 0;
  ASSERT_TRUE(codec::DecodeVersionKey(newer, &record, &seq).ok());
  EXPECT_EQ(seq, 9u);
  EXPECT_EQ(record, codec::VersionPrefix(Table::kCase, "(2024)甘0102执1号"));
  ASSERT_TRUE(codec::DecodeVersionId(newer, &id).ok());
  EXPECT_EQ(id, "(2024)甘0102执1号");
  // The global record's id is empty.
  // `id` points into the key it is decoded from: keep each key alive while `id` is read.
  const std::string global = codec::StateKey(Table::kGlobal, "", 1);
  ASSERT_TRUE(codec::DecodeVersionId(global, &id).ok());
  EXPECT_EQ(id, "");
  // Too short for a separator and a seq, or no separator where it belongs.
  for (const std::string& bad :
       {std::string("c"), std::string("c\0", 2) + std::string(7, '\xff'), std::string(10, 'c')}) {
    EXPECT_EQ(codec::DecodeVersionKey(bad, &record, &seq).code(), Code::kCorruption);
    EXPECT_EQ(codec::DecodeVersionId(bad, &id).code(), Code::kCorruption);
  }
  EXPECT_TRUE(codec::IsVersionKey(newer));
  EXPECT_TRUE(codec::IsHistoryKey(newer));
  EXPECT_TRUE(codec::IsHistoryKey(codec::TreeKey(0, 1)));
  EXPECT_FALSE(codec::IsHistoryKey(codec::StateKey(Table::kRequest, "r1", 1)));
  EXPECT_FALSE(codec::IsHistoryKey(""));
  const std::string account = codec::StateKey(Table::kAccount, "8801", 0);
  ASSERT_TRUE(codec::DecodeCurrentKey(account, &id).ok());
  EXPECT_EQ(id, "8801");
  EXPECT_EQ(codec::DecodeCurrentKey("", &id).code(), Code::kCorruption);
}

TEST(CodecTest, SeqValueOfABankReferenceIsEightBytes) {
  uint64_t seq = 0;
  ASSERT_TRUE(codec::DecodeSeqValue(codec::EncodeSeqValue(0x0102030405060708), &seq).ok());
  EXPECT_EQ(seq, 0x0102030405060708u);
  EXPECT_EQ(codec::EncodeSeqValue(1), std::string("\0\0\0\0\0\0\0\1", 8));
  for (const std::string& bad : ShortAndLong(codec::EncodeSeqValue(42))) {
    const Status status = codec::DecodeSeqValue(bad, &seq);
    EXPECT_EQ(status.code(), Code::kCorruption) << bad.size();
    EXPECT_NE(status.message().find("not 8"), std::string::npos) << status.message();
  }
}

TEST(CodecTest, RecordsRoundTripAndGarbageIsCorruptionNamingTheType) {
  pb::CaseRecord record;
  record.set_case_no("(2024)甘0102执1号");
  record.set_received_fen(12345);
  std::string bytes;
  ASSERT_TRUE(record.SerializeToString(&bytes));
  pb::CaseRecord decoded;
  ASSERT_TRUE(codec::DecodeRecord(bytes, &decoded).ok());
  EXPECT_EQ(decoded.received_fen(), 12345);
  // Every proper prefix that cuts a field short, and bytes that are no protobuf.
  size_t refused = 0;
  for (const std::string& cut : ShortAndLong(bytes)) {
    const Status status = codec::DecodeRecord(cut, &decoded);
    if (status.ok()) continue;  // a prefix ending between fields is a valid, smaller record
    ++refused;
    EXPECT_EQ(status.code(), Code::kCorruption);
    EXPECT_NE(status.message().find("CaseRecord"), std::string::npos) << status.message();
  }
  EXPECT_GT(refused, 0u);
  for (const std::string& garbage : {std::string("\xff\xff\xff\xff\xff", 5), std::string("\x07")}) {
    EXPECT_EQ(codec::DecodeRecord(garbage, &decoded).code(), Code::kCorruption);
  }
}

TEST(CodecTest, FormatValueRoundTripsAndAnythingElseIsCorruption) {
  EXPECT_EQ(codec::EncodeFormatValue(1), "caseledger-format-1");
  EXPECT_EQ(codec::EncodeFormatValue(codec::kFormatVersion), "caseledger-format-3");
  int version = 0;
  ASSERT_TRUE(codec::DecodeFormatValue("caseledger-format-1", &version).ok());
  EXPECT_EQ(version, 1);
  ASSERT_TRUE(codec::DecodeFormatValue("caseledger-format-17", &version).ok());
  EXPECT_EQ(version, 17);
  for (const char* bad :
       {"", "caseledger-format-", "caseledger-format-0", "caseledger-format-01",
        "caseledger-format-2 ", "caseledger-format-x", "caseledger-format-9999999999",
        "leveldb-format-1", "caseledger-format-١"}) {
    const Status status = codec::DecodeFormatValue(bad, &version);
    EXPECT_EQ(status.code(), Code::kCorruption) << bad;
    EXPECT_NE(status.message().find("unknown format"), std::string::npos) << status.message();
  }
}

TEST(CodecTest, EntryMentionsReadsOperationsAndPostingsWithoutParsing) {
  pb::Entry entry;
  entry.mutable_command()->set_request_id("r1");
  entry.mutable_command()->mutable_receipt()->set_bank_ref("B1");
  auto* posting = entry.add_postings();
  posting->set_account("case:X");
  posting->set_amount_fen(-5);
  std::string bytes;
  ASSERT_TRUE(entry.SerializeToString(&bytes));
  const int receipt = pb::Command::kReceiptFieldNumber;
  const int refund = pb::Command::kRefundFieldNumber;
  Result<bool> yes = codec::EntryMentions(bytes, {refund, receipt}, "bank");
  ASSERT_TRUE(yes.ok());
  EXPECT_TRUE(*yes);
  Result<bool> no = codec::EntryMentions(bytes, {refund}, "bank");
  ASSERT_TRUE(no.ok());
  EXPECT_FALSE(*no);
  Result<bool> by_account = codec::EntryMentions(bytes, {refund}, "case:X");
  ASSERT_TRUE(by_account.ok());
  EXPECT_TRUE(*by_account);
  // Cut inside the command or a posting, or no wire format at all: CORRUPTION.
  for (const std::string& bad :
       {bytes.substr(0, 3), bytes.substr(0, bytes.size() - 2), std::string("\x00\x01", 2)}) {
    EXPECT_EQ(codec::EntryMentions(bad, {refund}, "bank").status().code(), Code::kCorruption);
  }
}

TEST(CodecTest, HeadFileKeepsTheNewerValidSlot) {
  const codec::HeadRecord older{7, SomeHash(1)}, newer{8, SomeHash(2)};
  std::string file = codec::EncodeHeadFile(older);
  ASSERT_EQ(file.size(), codec::kHeadFileBytes);
  file.replace(codec::HeadSlotOffset(1), codec::kHeadSlotBytes, codec::EncodeHeadSlot(newer));
  std::optional<codec::HeadRecord> latest = codec::DecodeHeadFile(file);
  ASSERT_TRUE(latest.has_value());
  EXPECT_EQ(latest->seq, 8u);
  EXPECT_EQ(latest->hash, SomeHash(2));
  // The newer slot torn: the older one holds.
  file[codec::HeadSlotOffset(1) + codec::kHeadHashOffset] ^= 1;
  latest = codec::DecodeHeadFile(file);
  ASSERT_TRUE(latest.has_value());
  EXPECT_EQ(latest->seq, 7u);
  // Cut short: only whole slots count; none at all is no record.
  EXPECT_TRUE(codec::DecodeHeadFile(file.substr(0, codec::kHeadSlotBytes)).has_value());
  EXPECT_FALSE(codec::DecodeHeadFile(file.substr(0, codec::kHeadSlotBytes - 1)).has_value());
  EXPECT_FALSE(codec::DecodeHeadFile("").has_value());
}

}  // namespace
}  // namespace caseledger

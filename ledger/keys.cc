#include "ledger/keys.h"

#include <cassert>

namespace caseledger::keys {

std::string BigEndian64(uint64_t value) { return caseledger::BigEndian64(value); }

uint64_t ReadBigEndian64(std::string_view bytes) {
  assert(bytes.size() >= 8);
  uint64_t value = 0;
  for (int i = 0; i < 8; ++i) value = (value << 8) | static_cast<uint8_t>(bytes[i]);
  return value;
}

std::string EntryKey(uint64_t seq) { return std::string(1, kEntryPrefix) + BigEndian64(seq); }

std::string TreeKey(int level, uint64_t index) {
  std::string key(1, kTreePrefix);
  key.push_back(static_cast<char>(level));
  return key + BigEndian64(index);
}

uint64_t TreeKeySeq(std::string_view key) {
  assert(key.size() == 10);
  const int level = static_cast<uint8_t>(key[1]);
  return (ReadBigEndian64(key.substr(2)) + 1) << level;
}

bool IsVersioned(Table table) {
  return table == Table::kCase || table == Table::kGlobal || table == Table::kRules ||
         table == Table::kDefaulter;
}

std::string VersionPrefix(Table table, std::string_view id) {
  // Case numbers never hold a 0x00 byte (they are validated text), so the separator is safe.
  std::string key(1, static_cast<char>(table));
  key.append(id);
  key.push_back('\0');
  return key;
}

std::string StateKey(Table table, std::string_view id, uint64_t seq) {
  if (!IsVersioned(table)) return std::string(1, static_cast<char>(table)) + std::string(id);
  // Inverted so that the newest version sorts first under its prefix.
  return VersionPrefix(table, id) + BigEndian64(~seq);
}

uint64_t VersionSeq(std::string_view key) { return ~ReadBigEndian64(key.substr(key.size() - 8)); }

void EncodeWrites(const Transaction::Writes& writes, uint64_t seq, Sink* sink) {
  for (const auto& [key, value] : writes) {
    const auto& [table, id] = key;
    if (IsVersioned(table)) {
      // A version is never erased: history keeps every one.
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
}

std::string EntryValue(const std::array<uint8_t, 32>& hash, std::string_view bytes) {
  std::string value(reinterpret_cast<const char*>(hash.data()), hash.size());
  value.append(bytes);
  return value;
}

}  // namespace caseledger::keys

#include <openssl/evp.h>

namespace caseledger::keys {

std::array<uint8_t, 32> ChainHash(const std::array<uint8_t, 32>& prev, uint64_t seq,
                                  std::string_view bytes) {
  std::array<uint8_t, 32> out{};
  const std::string seq_bytes = BigEndian64(seq);
  EVP_MD_CTX* context = EVP_MD_CTX_new();
  // A failure here is a broken libcrypto, not bad input: crash rather than chain garbage.
  bool ok = context != nullptr && EVP_DigestInit_ex(context, EVP_sha256(), nullptr) == 1 &&
            EVP_DigestUpdate(context, prev.data(), prev.size()) == 1 &&
            EVP_DigestUpdate(context, seq_bytes.data(), seq_bytes.size()) == 1 &&
            EVP_DigestUpdate(context, bytes.data(), bytes.size()) == 1 &&
            EVP_DigestFinal_ex(context, out.data(), nullptr) == 1;
  EVP_MD_CTX_free(context);
  if (!ok) std::abort();
  return out;
}

}  // namespace caseledger::keys

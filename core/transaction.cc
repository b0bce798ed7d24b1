#include "core/transaction.h"

namespace caseledger {

Status Transaction::Read(Table table, std::string_view id, std::string* value, bool* found) {
  auto it = writes_.find(Key(table, std::string(id)));
  if (it != writes_.end()) {
    *found = it->second.has_value();
    if (*found) *value = *it->second;
    return Status::Ok();
  }
  return parent_->Read(table, id, value, found);
}

std::string BigEndian64(uint64_t value) {
  std::string out(8, '\0');
  for (int i = 7; i >= 0; --i) {
    out[i] = static_cast<char>(value & 0xff);
    value >>= 8;
  }
  return out;
}

Status Transaction::ReadEntry(uint64_t seq, std::string* bytes, bool* found) {
  auto it = entries_.find(seq);
  if (it != entries_.end()) {
    *found = true;
    *bytes = it->second;
    return Status::Ok();
  }
  return parent_->ReadEntry(seq, bytes, found);
}

void Transaction::Put(Table table, std::string id, std::string value) {
  writes_[Key(table, std::move(id))] = std::move(value);
}

void Transaction::Erase(Table table, std::string id) {
  writes_[Key(table, std::move(id))] = std::nullopt;
}

void Transaction::PutMessage(Table table, std::string id,
                             const google::protobuf::Message& message) {
  std::string bytes;
  // Stored state must be byte-for-byte reproducible by replay: no maps in these messages,
  // and deterministic serialisation all the same.
  {
    google::protobuf::io::StringOutputStream stream(&bytes);
    google::protobuf::io::CodedOutputStream coded(&stream);
    coded.SetSerializationDeterministic(true);
    message.SerializeToCodedStream(&coded);
  }
  Put(table, std::move(id), std::move(bytes));
}

void Transaction::MergeInto(Transaction* other) {
  for (auto& [key, value] : writes_) other->writes_[key] = std::move(value);
  for (auto& [seq, bytes] : entries_) other->entries_[seq] = std::move(bytes);
  Clear();
}

}  // namespace caseledger

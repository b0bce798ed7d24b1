// Internals of Ledger shared by ledger/*.cc. Not a public header.
#ifndef CASELEDGER_LEDGER_IMPL_H_
#define CASELEDGER_LEDGER_IMPL_H_

#include <rocksdb/db.h>
#include <rocksdb/write_batch.h>

#include <memory>

#include "core/transaction.h"
#include "ledger/ledger.h"

namespace caseledger {

// Current state straight from RocksDB.
class DbReader : public StateReader {
 public:
  explicit DbReader(rocksdb::DB* db) : db_(db) {}
  Status Read(Table table, std::string_view id, std::string* value, bool* found) override;
  Status ReadEntry(uint64_t seq, std::string* bytes, bool* found) override;

 private:
  rocksdb::DB* db_;
};

class Ledger::Impl {
 public:
  rocksdb::DB* db = nullptr;
  bool read_only = false;
  std::unique_ptr<DbReader> reader;
  // The committed head of the log.
  uint64_t head_seq = 0;
  Hash head_hash{};
  // The staged group: its writes (read by later commands of the group) and its batch.
  std::unique_ptr<Transaction> group;
  rocksdb::WriteBatch batch;
  uint64_t staged_seq = 0;
  Hash staged_hash{};

  Status LoadHead();
  Status FindVersion(Table table, const std::string& id, const PointInTime& point,
                     std::string* value, bool* found);
};

}  // namespace caseledger

#endif  // CASELEDGER_LEDGER_IMPL_H_

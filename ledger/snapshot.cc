// Ledger::OpenSnapshot: caseledgerd's readers read the ledger its writer holds open, each on a
// RocksDB snapshot, never taking the writer's lock or waiting for its groups.
#include <rocksdb/utilities/stackable_db.h>

#include "ledger/impl.h"

namespace caseledger {
namespace {

// The writer's database seen at one sequence number: every read without a snapshot of its own
// gets this one. Closing it releases the snapshot and leaves the writer's database open.
class SnapshotDb : public rocksdb::StackableDB {
 public:
  explicit SnapshotDb(rocksdb::DB* base)
      : rocksdb::StackableDB(std::shared_ptr<rocksdb::DB>(base, [](rocksdb::DB*) {})),
        snapshot_(base->GetSnapshot()) {}
  ~SnapshotDb() override { Release(); }

  rocksdb::Status Close() override {
    Release();
    return rocksdb::Status::OK();
  }

  using rocksdb::StackableDB::Get;
  rocksdb::Status Get(const rocksdb::ReadOptions& options, rocksdb::ColumnFamilyHandle* family,
                      const rocksdb::Slice& key, rocksdb::PinnableSlice* value) override {
    return rocksdb::StackableDB::Get(At(options), family, key, value);
  }

  using rocksdb::StackableDB::NewIterator;
  rocksdb::Iterator* NewIterator(const rocksdb::ReadOptions& options,
                                 rocksdb::ColumnFamilyHandle* family) override {
    return rocksdb::StackableDB::NewIterator(At(options), family);
  }

 private:
  rocksdb::ReadOptions At(const rocksdb::ReadOptions& options) const {
    rocksdb::ReadOptions at = options;
    if (at.snapshot == nullptr) at.snapshot = snapshot_;
    return at;
  }
  void Release() {
    if (snapshot_ != nullptr) GetBaseDB()->ReleaseSnapshot(snapshot_);
    snapshot_ = nullptr;
  }
  const rocksdb::Snapshot* snapshot_;
};

}  // namespace

Result<std::unique_ptr<Ledger>> Ledger::OpenSnapshot() {
  if (impl_->read_only) {
    return Status::InvalidArgument("a snapshot is taken of a ledger open for writing");
  }
  auto impl = std::make_unique<Impl>();
  impl->read_only = true;
  impl->format_version = impl_->format_version;
  impl->directory = impl_->directory;
  impl->env = impl_->env;
  impl->db.reset(new SnapshotDb(impl_->db.get()));
  impl->reader = std::make_unique<DbReader>(impl->db.get());
  impl->group = std::make_unique<Transaction>(impl->reader.get());
  return Finish(std::move(impl));
}

}  // namespace caseledger

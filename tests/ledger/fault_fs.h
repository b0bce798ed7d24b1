// A RocksDB FileSystem for the fault tests (tests/ledger/fault_test.cc): it fails writes,
// fsyncs and reads on demand, runs out of space, and cuts the power. The model of a power cut
// is leveldb's db/fault_injection_test.cc: each file written through it remembers how much of
// it was synced, and the disk that comes back holds, of each file, what was synced (or, if
// asked, a random prefix of what was written after: pages written back before the cut), no
// file created since its directory was last synced, and no rename since then.
#ifndef CASELEDGER_TESTS_LEDGER_FAULT_FS_H_
#define CASELEDGER_TESTS_LEDGER_FAULT_FS_H_

#include <rocksdb/file_system.h>
#include <rocksdb/io_status.h>

#include <algorithm>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <random>
#include <string>
#include <utility>
#include <vector>

namespace caseledger::testutil {

// What a power cut keeps of the data written to a file after its last sync.
enum class CutKeeps { kNothing, kRandomPrefix };

class FaultFs : public rocksdb::FileSystemWrapper {
 public:
  FaultFs() : FileSystemWrapper(rocksdb::FileSystem::Default()) {}
  const char* Name() const override { return "CaseledgerFaultFs"; }

  // ---- The faults. Each is read at every operation it affects.
  // Sync and Fsync of write-ahead logs (*.log) fail with an I/O error; the data stays unsynced.
  void FailWalSyncs(bool on) { Set(&fail_wal_syncs_, on); }
  // Creating a file, appending or allocating fails with "no space"; free space reads 0.
  void FillDisk(bool on) { Set(&disk_full_, on); }
  // Reads of table files (*.sst) fail with an I/O error.
  void FailSstReads(bool on) { Set(&fail_sst_reads_, on); }
  // The power goes off at the writing operation `operations` from now (0: the next one):
  // that operation and every one after it fail, as if the process died there.
  void CutPowerAfter(uint64_t operations) {
    std::lock_guard lock(mutex_);
    cut_after_ = operations;
  }

  // Operations that failed because of a fault, since the file system was made.
  uint64_t faults() const {
    std::lock_guard lock(mutex_);
    return faults_;
  }
  // Writing operations done (appends, syncs, creations, renames, deletions, directory
  // syncs): a run's count is the range of its power cut points.
  uint64_t writes() const {
    std::lock_guard lock(mutex_);
    return writes_;
  }

  // The machine comes back after a power cut (or a crash of the OS) with the database closed:
  // renames since the directory's last sync are undone, files created since then are
  // deleted, and every other file written through this file system is cut to its synced size
  // (kNothing) or to a random size between that and what was written. Then the power is on,
  // every fault off, and the disk as it now is counts as synced. The first file operation that
  // fails is returned (std::filesystem's own: RocksDB's posix FileSystem cannot truncate).
  rocksdb::IOStatus LoseUnsyncedData(CutKeeps keeps, std::mt19937_64* random) {
    std::lock_guard lock(mutex_);
    std::error_code error;
    for (auto rename = renames_.rbegin(); rename != renames_.rend() && !error; ++rename) {
      std::filesystem::rename(rename->to, rename->from, error);
      if (!error && rename->replaced) {
        rocksdb::IOStatus status = WriteWhole(rename->to, *rename->replaced);
        if (!status.ok()) return status;
      }
      MoveState(rename->to, rename->from);
    }
    for (auto file = files_.begin(); file != files_.end() && !error; ++file) {
      const auto& [path, state] = *file;
      if (state.created_unsynced) {
        std::filesystem::remove(path, error);
        continue;
      }
      uint64_t keep = state.synced;
      if (keeps == CutKeeps::kRandomPrefix && state.size > state.synced) {
        keep += (*random)() % (state.size - state.synced + 1);
      }
      if (keep < state.size) std::filesystem::resize_file(path, keep, error);
    }
    // Unsynced overwrites, newest first: the old bytes come back, all of them or past a random
    // point (a torn write).
    for (auto overwrite = overwrites_.rbegin(); overwrite != overwrites_.rend(); ++overwrite) {
      size_t keep = 0;
      if (keeps == CutKeeps::kRandomPrefix) keep = (*random)() % (overwrite->old.size() + 1);
      std::fstream file(overwrite->path, std::ios::in | std::ios::out | std::ios::binary);
      file.seekp(static_cast<std::streamoff>(overwrite->offset + keep));
      file.write(overwrite->old.data() + keep,
                 static_cast<std::streamsize>(overwrite->old.size() - keep));
      if (!file)
        return rocksdb::IOStatus::IOError("cannot undo an overwrite of " + overwrite->path);
    }
    overwrites_.clear();
    files_.clear();
    renames_.clear();
    cut_after_.reset();
    powered_off_ = false;
    fail_wal_syncs_ = disk_full_ = fail_sst_reads_ = false;
    return error ? rocksdb::IOStatus::IOError(error.message()) : rocksdb::IOStatus::OK();
  }

  // ---- The file system.
  rocksdb::IOStatus NewWritableFile(const std::string& path, const rocksdb::FileOptions& options,
                                    std::unique_ptr<rocksdb::FSWritableFile>* result,
                                    rocksdb::IODebugContext* debug) override;
  rocksdb::IOStatus ReopenWritableFile(const std::string& path, const rocksdb::FileOptions& options,
                                       std::unique_ptr<rocksdb::FSWritableFile>* result,
                                       rocksdb::IODebugContext* debug) override;
  // Log recycling (recycle_log_file_num) is off in the ledger's options; a reused file would
  // escape the bookkeeping, so it is refused rather than half supported.
  rocksdb::IOStatus ReuseWritableFile(const std::string&, const std::string&,
                                      const rocksdb::FileOptions&,
                                      std::unique_ptr<rocksdb::FSWritableFile>*,
                                      rocksdb::IODebugContext*) override {
    return rocksdb::IOStatus::NotSupported("FaultFs does not reuse files");
  }
  // Overwrites in place (the ledger's head file): an overwrite not yet synced is undone, or
  // torn, by a power cut.
  rocksdb::IOStatus NewRandomRWFile(const std::string& path, const rocksdb::FileOptions& options,
                                    std::unique_ptr<rocksdb::FSRandomRWFile>* result,
                                    rocksdb::IODebugContext* debug) override;
  rocksdb::IOStatus NewRandomAccessFile(const std::string& path,
                                        const rocksdb::FileOptions& options,
                                        std::unique_ptr<rocksdb::FSRandomAccessFile>* result,
                                        rocksdb::IODebugContext* debug) override;
  rocksdb::IOStatus NewDirectory(const std::string& path, const rocksdb::IOOptions& options,
                                 std::unique_ptr<rocksdb::FSDirectory>* result,
                                 rocksdb::IODebugContext* debug) override;
  rocksdb::IOStatus RenameFile(const std::string& from, const std::string& to,
                               const rocksdb::IOOptions& options,
                               rocksdb::IODebugContext* debug) override {
    if (rocksdb::IOStatus fault = BeforeWrite(Op::kOther, from); !fault.ok()) return fault;
    std::string old_bytes;
    const bool replaces = ReadWhole(to, &old_bytes);
    rocksdb::IOStatus status = target()->RenameFile(from, to, options, debug);
    if (!status.ok()) return status;
    std::lock_guard lock(mutex_);
    MoveState(from, to);
    renames_.push_back({from, to, replaces ? std::optional(old_bytes) : std::nullopt});
    return status;
  }
  rocksdb::IOStatus DeleteFile(const std::string& path, const rocksdb::IOOptions& options,
                               rocksdb::IODebugContext* debug) override {
    // A deletion counts as done at once: undoing it would only bring back an obsolete file.
    if (rocksdb::IOStatus fault = BeforeWrite(Op::kOther, path); !fault.ok()) return fault;
    rocksdb::IOStatus status = target()->DeleteFile(path, options, debug);
    std::lock_guard lock(mutex_);
    if (status.ok()) files_.erase(path);
    return status;
  }
  rocksdb::IOStatus Truncate(const std::string& path, size_t size,
                             const rocksdb::IOOptions& options,
                             rocksdb::IODebugContext* debug) override {
    if (rocksdb::IOStatus fault = BeforeWrite(Op::kOther, path); !fault.ok()) return fault;
    rocksdb::IOStatus status = target()->Truncate(path, size, options, debug);
    if (status.ok()) Truncated(path, size);
    return status;
  }
  rocksdb::IOStatus GetFreeSpace(const std::string& path, const rocksdb::IOOptions& options,
                                 uint64_t* free, rocksdb::IODebugContext* debug) override {
    {
      std::lock_guard lock(mutex_);
      if (disk_full_) {
        *free = 0;
        return rocksdb::IOStatus::OK();
      }
    }
    return target()->GetFreeSpace(path, options, free, debug);
  }

  // ---- Called by the files.
  enum class Op { kCreate, kAppend, kSync, kOther };
  // Counts a writing operation and returns the fault it meets, if any.
  rocksdb::IOStatus BeforeWrite(Op op, const std::string& path) {
    std::lock_guard lock(mutex_);
    if (cut_after_ && *cut_after_ == 0) powered_off_ = true;
    if (powered_off_) return Fault(rocksdb::IOStatus::IOError("injected power cut"));
    if (cut_after_) --*cut_after_;
    ++writes_;
    if (disk_full_ && (op == Op::kCreate || op == Op::kAppend)) {
      return Fault(rocksdb::IOStatus::NoSpace("injected: no space left on device"));
    }
    if (fail_wal_syncs_ && op == Op::kSync && EndsWith(path, ".log")) {
      return Fault(rocksdb::IOStatus::IOError("injected fsync failure"));
    }
    return rocksdb::IOStatus::OK();
  }
  rocksdb::IOStatus BeforeRead(const std::string& path) {
    std::lock_guard lock(mutex_);
    if (fail_sst_reads_ && EndsWith(path, ".sst")) {
      return Fault(rocksdb::IOStatus::IOError("injected read error"));
    }
    return rocksdb::IOStatus::OK();
  }
  void Written(const std::string& path, uint64_t end) {
    std::lock_guard lock(mutex_);
    FileState& state = files_[path];
    if (end > state.size) state.size = end;
  }
  void Synced(const std::string& path) {
    std::lock_guard lock(mutex_);
    FileState& state = files_[path];
    state.synced = state.size;
  }
  void Truncated(const std::string& path, uint64_t size) {
    std::lock_guard lock(mutex_);
    if (auto it = files_.find(path); it != files_.end()) {
      it->second.size = size;
      if (it->second.synced > size) it->second.synced = size;
    }
  }
  // An overwrite in place of `old` at `offset`, undone by a power cut until the file is synced.
  void Overwritten(const std::string& path, uint64_t offset, std::string old) {
    std::lock_guard lock(mutex_);
    overwrites_.push_back({path, offset, std::move(old)});
  }
  void OverwritesSynced(const std::string& path) {
    std::lock_guard lock(mutex_);
    std::erase_if(overwrites_, [&](const Overwrite& o) { return o.path == path; });
  }
  // A directory's entries are durable: its new files and renames are kept by a power cut.
  void DirectorySynced(const std::string& directory) {
    std::lock_guard lock(mutex_);
    for (auto& [path, state] : files_) {
      if (ParentOf(path) == directory) state.created_unsynced = false;
    }
    std::erase_if(renames_, [&](const Rename& r) { return ParentOf(r.to) == directory; });
  }

 private:
  struct FileState {
    uint64_t size = 0;    // bytes written
    uint64_t synced = 0;  // bytes on the disk whatever happens
    bool created_unsynced = false;
  };
  struct Overwrite {
    std::string path;
    uint64_t offset;
    std::string old;
  };
  struct Rename {
    std::string from, to;
    std::optional<std::string> replaced;  // the bytes of the file `to` replaced, if any
  };

  static bool EndsWith(const std::string& text, const std::string& suffix) {
    return text.size() >= suffix.size() &&
           text.compare(text.size() - suffix.size(), suffix.size(), suffix) == 0;
  }
  static std::string ParentOf(const std::string& path) {
    const size_t slash = path.rfind('/');
    return slash == std::string::npos ? "." : path.substr(0, slash);
  }
  void Set(bool* flag, bool on) {
    std::lock_guard lock(mutex_);
    *flag = on;
  }
  rocksdb::IOStatus Fault(rocksdb::IOStatus status) {
    ++faults_;
    return status;
  }
  void MoveState(const std::string& from, const std::string& to) {
    auto it = files_.find(from);
    if (it == files_.end()) {
      files_.erase(to);
      return;
    }
    files_[to] = it->second;
    files_.erase(from);
  }
  bool ReadWhole(const std::string& path, std::string* bytes) {
    return rocksdb::ReadFileToString(target(), path, bytes).ok();
  }
  rocksdb::IOStatus WriteWhole(const std::string& path, const std::string& bytes) {
    return rocksdb::WriteStringToFile(target(), bytes, path, /*should_sync=*/true);
  }

  mutable std::mutex mutex_;
  std::map<std::string, FileState> files_;  // written through this file system, by path
  std::vector<Rename> renames_;             // since their directory's last sync
  std::vector<Overwrite> overwrites_;       // not yet synced, oldest first
  std::optional<uint64_t> cut_after_;
  bool powered_off_ = false;
  bool fail_wal_syncs_ = false;
  bool disk_full_ = false;
  bool fail_sst_reads_ = false;
  uint64_t faults_ = 0;
  uint64_t writes_ = 0;
};

// A file being written: every change goes through the FaultFs bookkeeping first.
class FaultWritableFile : public rocksdb::FSWritableFileOwnerWrapper {
 public:
  FaultWritableFile(FaultFs* fs, std::string path, std::unique_ptr<rocksdb::FSWritableFile> file,
                    uint64_t size)
      : FSWritableFileOwnerWrapper(std::move(file)), fs_(fs), path_(std::move(path)), size_(size) {}

  rocksdb::IOStatus Append(const rocksdb::Slice& data, const rocksdb::IOOptions& options,
                           rocksdb::IODebugContext* debug) override {
    return AppendAt(size_, data, [&] { return target()->Append(data, options, debug); });
  }
  rocksdb::IOStatus Append(const rocksdb::Slice& data, const rocksdb::IOOptions& options,
                           const rocksdb::DataVerificationInfo& info,
                           rocksdb::IODebugContext* debug) override {
    return AppendAt(size_, data, [&] { return target()->Append(data, options, info, debug); });
  }
  rocksdb::IOStatus PositionedAppend(const rocksdb::Slice& data, uint64_t offset,
                                     const rocksdb::IOOptions& options,
                                     rocksdb::IODebugContext* debug) override {
    return AppendAt(offset, data,
                    [&] { return target()->PositionedAppend(data, offset, options, debug); });
  }
  rocksdb::IOStatus PositionedAppend(const rocksdb::Slice& data, uint64_t offset,
                                     const rocksdb::IOOptions& options,
                                     const rocksdb::DataVerificationInfo& info,
                                     rocksdb::IODebugContext* debug) override {
    return AppendAt(offset, data,
                    [&] { return target()->PositionedAppend(data, offset, options, info, debug); });
  }
  rocksdb::IOStatus Truncate(uint64_t size, const rocksdb::IOOptions& options,
                             rocksdb::IODebugContext* debug) override {
    if (rocksdb::IOStatus fault = fs_->BeforeWrite(FaultFs::Op::kOther, path_); !fault.ok()) {
      return fault;
    }
    rocksdb::IOStatus status = target()->Truncate(size, options, debug);
    if (status.ok()) {
      size_ = size;
      fs_->Truncated(path_, size);
    }
    return status;
  }
  rocksdb::IOStatus Sync(const rocksdb::IOOptions& options,
                         rocksdb::IODebugContext* debug) override {
    return SyncWith([&] { return target()->Sync(options, debug); });
  }
  rocksdb::IOStatus Fsync(const rocksdb::IOOptions& options,
                          rocksdb::IODebugContext* debug) override {
    return SyncWith([&] { return target()->Fsync(options, debug); });
  }
  // sync_file_range starts write-back and promises nothing: the data stays unsynced.
  rocksdb::IOStatus RangeSync(uint64_t offset, uint64_t bytes, const rocksdb::IOOptions& options,
                              rocksdb::IODebugContext* debug) override {
    if (rocksdb::IOStatus fault = fs_->BeforeWrite(FaultFs::Op::kOther, path_); !fault.ok()) {
      return fault;
    }
    return target()->RangeSync(offset, bytes, options, debug);
  }
  rocksdb::IOStatus Allocate(uint64_t offset, uint64_t length, const rocksdb::IOOptions& options,
                             rocksdb::IODebugContext* debug) override {
    if (rocksdb::IOStatus fault = fs_->BeforeWrite(FaultFs::Op::kAppend, path_); !fault.ok()) {
      return fault;
    }
    return target()->Allocate(offset, length, options, debug);
  }

 private:
  template <typename Write>
  rocksdb::IOStatus AppendAt(uint64_t offset, const rocksdb::Slice& data, const Write& write) {
    if (rocksdb::IOStatus fault = fs_->BeforeWrite(FaultFs::Op::kAppend, path_); !fault.ok()) {
      return fault;
    }
    rocksdb::IOStatus status = write();
    if (status.ok()) {
      size_ = std::max<uint64_t>(size_, offset + data.size());
      fs_->Written(path_, size_);
    }
    return status;
  }
  template <typename DoSync>
  rocksdb::IOStatus SyncWith(const DoSync& sync) {
    if (rocksdb::IOStatus fault = fs_->BeforeWrite(FaultFs::Op::kSync, path_); !fault.ok()) {
      return fault;
    }
    rocksdb::IOStatus status = sync();
    if (status.ok()) fs_->Synced(path_);
    return status;
  }

  FaultFs* fs_;
  std::string path_;
  uint64_t size_;
};

// A file overwritten in place: each write counts as an operation and is remembered until synced.
class FaultRandomRWFile : public rocksdb::FSRandomRWFileOwnerWrapper {
 public:
  FaultRandomRWFile(std::unique_ptr<rocksdb::FSRandomRWFile> file, FaultFs* fs, std::string path)
      : FSRandomRWFileOwnerWrapper(std::move(file)), fs_(fs), path_(std::move(path)) {}
  rocksdb::IOStatus Write(uint64_t offset, const rocksdb::Slice& data,
                          const rocksdb::IOOptions& options,
                          rocksdb::IODebugContext* debug) override {
    if (rocksdb::IOStatus fault = fs_->BeforeWrite(FaultFs::Op::kAppend, path_); !fault.ok()) {
      return fault;
    }
    std::string old(data.size(), '\0');
    rocksdb::Slice read;
    rocksdb::IOStatus status =
        target()->Read(offset, data.size(), options, &read, old.data(), debug);
    if (!status.ok()) return status;
    old.assign(read.data(), read.size());
    status = target()->Write(offset, data, options, debug);
    if (status.ok()) fs_->Overwritten(path_, offset, std::move(old));
    return status;
  }
  rocksdb::IOStatus Sync(const rocksdb::IOOptions& options,
                         rocksdb::IODebugContext* debug) override {
    if (rocksdb::IOStatus fault = fs_->BeforeWrite(FaultFs::Op::kSync, path_); !fault.ok()) {
      return fault;
    }
    rocksdb::IOStatus status = target()->Sync(options, debug);
    if (status.ok()) fs_->OverwritesSynced(path_);
    return status;
  }
  rocksdb::IOStatus Fsync(const rocksdb::IOOptions& options,
                          rocksdb::IODebugContext* debug) override {
    return Sync(options, debug);
  }

 private:
  FaultFs* fs_;
  std::string path_;
};

// A table or log being read: reads of table files fail while FailSstReads is on.
class FaultRandomAccessFile : public rocksdb::FSRandomAccessFileOwnerWrapper {
 public:
  FaultRandomAccessFile(FaultFs* fs, std::string path,
                        std::unique_ptr<rocksdb::FSRandomAccessFile> file)
      : FSRandomAccessFileOwnerWrapper(std::move(file)), fs_(fs), path_(std::move(path)) {}

  rocksdb::IOStatus Read(uint64_t offset, size_t n, const rocksdb::IOOptions& options,
                         rocksdb::Slice* result, char* scratch,
                         rocksdb::IODebugContext* debug) const override {
    if (rocksdb::IOStatus fault = fs_->BeforeRead(path_); !fault.ok()) return fault;
    return target()->Read(offset, n, options, result, scratch, debug);
  }
  rocksdb::IOStatus MultiRead(rocksdb::FSReadRequest* requests, size_t count,
                              const rocksdb::IOOptions& options,
                              rocksdb::IODebugContext* debug) override {
    if (rocksdb::IOStatus fault = fs_->BeforeRead(path_); !fault.ok()) {
      for (size_t i = 0; i < count; ++i) requests[i].status = fault;
      return fault;
    }
    return target()->MultiRead(requests, count, options, debug);
  }
  // Asynchronous reads (ReadOptions::async_io) go through Read, so that they fail too.
  rocksdb::IOStatus ReadAsync(rocksdb::FSReadRequest&, const rocksdb::IOOptions&,
                              std::function<void(const rocksdb::FSReadRequest&, void*)>, void*,
                              void**, rocksdb::IOHandleDeleter*,
                              rocksdb::IODebugContext*) override {
    return rocksdb::IOStatus::NotSupported("FaultFs reads synchronously");
  }

 private:
  FaultFs* fs_;
  std::string path_;
};

// A directory: its fsync makes the creations and renames in it durable.
class FaultDirectory : public rocksdb::FSDirectoryWrapper {
 public:
  FaultDirectory(FaultFs* fs, std::string path, std::unique_ptr<rocksdb::FSDirectory> directory)
      : FSDirectoryWrapper(std::move(directory)), fs_(fs), path_(std::move(path)) {}

  rocksdb::IOStatus Fsync(const rocksdb::IOOptions& options,
                          rocksdb::IODebugContext* debug) override {
    return FsyncWith([&] { return FSDirectoryWrapper::Fsync(options, debug); });
  }
  rocksdb::IOStatus FsyncWithDirOptions(const rocksdb::IOOptions& options,
                                        rocksdb::IODebugContext* debug,
                                        const rocksdb::DirFsyncOptions& dir_options) override {
    return FsyncWith(
        [&] { return FSDirectoryWrapper::FsyncWithDirOptions(options, debug, dir_options); });
  }

 private:
  template <typename DoSync>
  rocksdb::IOStatus FsyncWith(const DoSync& sync) {
    if (rocksdb::IOStatus fault = fs_->BeforeWrite(FaultFs::Op::kOther, path_); !fault.ok()) {
      return fault;
    }
    rocksdb::IOStatus status = sync();
    if (status.ok()) fs_->DirectorySynced(path_);
    return status;
  }

  FaultFs* fs_;
  std::string path_;
};

inline rocksdb::IOStatus FaultFs::NewWritableFile(const std::string& path,
                                                  const rocksdb::FileOptions& options,
                                                  std::unique_ptr<rocksdb::FSWritableFile>* result,
                                                  rocksdb::IODebugContext* debug) {
  if (rocksdb::IOStatus fault = BeforeWrite(Op::kCreate, path); !fault.ok()) return fault;
  const bool existed = target()->FileExists(path, rocksdb::IOOptions(), nullptr).ok();
  std::unique_ptr<rocksdb::FSWritableFile> file;
  rocksdb::IOStatus status = target()->NewWritableFile(path, options, &file, debug);
  if (!status.ok()) return status;
  {
    std::lock_guard lock(mutex_);
    FileState& state = files_[path];
    state = FileState{};
    // Truncating a file that was there is durable enough; a new name needs its directory synced.
    state.created_unsynced = !existed;
  }
  *result = std::make_unique<FaultWritableFile>(this, path, std::move(file), 0);
  return status;
}

inline rocksdb::IOStatus FaultFs::ReopenWritableFile(
    const std::string& path, const rocksdb::FileOptions& options,
    std::unique_ptr<rocksdb::FSWritableFile>* result, rocksdb::IODebugContext* debug) {
  if (rocksdb::IOStatus fault = BeforeWrite(Op::kCreate, path); !fault.ok()) return fault;
  uint64_t size = 0;
  if (!target()->GetFileSize(path, rocksdb::IOOptions(), &size, nullptr).ok()) size = 0;
  std::unique_ptr<rocksdb::FSWritableFile> file;
  rocksdb::IOStatus status = target()->ReopenWritableFile(path, options, &file, debug);
  if (!status.ok()) return status;
  {
    std::lock_guard lock(mutex_);
    if (files_.find(path) == files_.end()) files_[path] = FileState{size, size, false};
  }
  *result = std::make_unique<FaultWritableFile>(this, path, std::move(file), size);
  return status;
}

inline rocksdb::IOStatus FaultFs::NewRandomAccessFile(
    const std::string& path, const rocksdb::FileOptions& options,
    std::unique_ptr<rocksdb::FSRandomAccessFile>* result, rocksdb::IODebugContext* debug) {
  std::unique_ptr<rocksdb::FSRandomAccessFile> file;
  rocksdb::IOStatus status = target()->NewRandomAccessFile(path, options, &file, debug);
  if (status.ok()) *result = std::make_unique<FaultRandomAccessFile>(this, path, std::move(file));
  return status;
}

inline rocksdb::IOStatus FaultFs::NewRandomRWFile(const std::string& path,
                                                  const rocksdb::FileOptions& options,
                                                  std::unique_ptr<rocksdb::FSRandomRWFile>* result,
                                                  rocksdb::IODebugContext* debug) {
  std::unique_ptr<rocksdb::FSRandomRWFile> file;
  rocksdb::IOStatus status = target()->NewRandomRWFile(path, options, &file, debug);
  if (status.ok()) *result = std::make_unique<FaultRandomRWFile>(std::move(file), this, path);
  return status;
}

inline rocksdb::IOStatus FaultFs::NewDirectory(const std::string& path,
                                               const rocksdb::IOOptions& options,
                                               std::unique_ptr<rocksdb::FSDirectory>* result,
                                               rocksdb::IODebugContext* debug) {
  std::unique_ptr<rocksdb::FSDirectory> directory;
  rocksdb::IOStatus status = target()->NewDirectory(path, options, &directory, debug);
  if (status.ok()) *result = std::make_unique<FaultDirectory>(this, path, std::move(directory));
  return status;
}

}  // namespace caseledger::testutil

#endif  // CASELEDGER_TESTS_LEDGER_FAULT_FS_H_

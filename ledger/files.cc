#include "ledger/files.h"

#include <algorithm>
#include <cstdarg>
#include <cstdio>
#include <mutex>

namespace caseledger::files {

namespace {

Status FromIo(const rocksdb::IOStatus& status, const std::string& what) {
  if (status.ok()) return Status::Ok();
  if (status.IsCorruption()) return Status::Corruption(what + ": " + status.ToString());
  return Status::IoError(what + ": " + status.ToString());
}

std::string HeadPath(const std::string& directory) { return directory + "/" + kHeadFileName; }

// RocksDB's files that hold data (db/filename.cc's names): tables and write-ahead logs.
bool IsDataFile(const std::string& name) {
  for (std::string_view suffix : {".sst", ".log", ".blob", ".ldb"}) {
    if (name.ends_with(suffix)) return true;
  }
  return false;
}

// RocksDB's files that describe a database: what a creation writes before any data.
bool IsDescriptionFile(const std::string& name) {
  return name == "CURRENT" || name == "IDENTITY" || name.starts_with("MANIFEST-") ||
         name.starts_with("OPTIONS-") || name.ends_with(".dbtmp");
}

// RocksDB's LOCK and info logs: left by any open, even a failed one; not a ledger by themselves.
bool IsOpenLeftover(const std::string& name) {
  return name == "LOCK" || name == "LOG" || name.starts_with("LOG.old.");
}

Status SyncDirectory(rocksdb::FileSystem* fs, const std::string& directory) {
  std::unique_ptr<rocksdb::FSDirectory> handle;
  rocksdb::IOStatus status =
      fs->NewDirectory(directory, rocksdb::IOOptions(), &handle, /*dbg=*/nullptr);
  if (status.ok()) status = handle->Fsync(rocksdb::IOOptions(), /*dbg=*/nullptr);
  return FromIo(status, "syncing the ledger directory");
}

// Appends to DIRECTORY/LOG with stdio; errors are dropped (see NewWriterLog).
class WriterLog : public rocksdb::Logger {
 public:
  explicit WriterLog(const std::string& directory)
      : rocksdb::Logger(rocksdb::InfoLogLevel::WARN_LEVEL),
        file_(std::fopen((directory + "/LOG").c_str(), "ae")) {}
  ~WriterLog() override {
    if (file_ != nullptr) std::fclose(file_);
  }
  using rocksdb::Logger::Logv;
  void Logv(const rocksdb::InfoLogLevel level, const char* format, va_list ap) override {
    // The header (every option, at each open) is left out: warnings and errors only.
    if (file_ == nullptr || level < GetInfoLogLevel() || level == rocksdb::HEADER_LEVEL) return;
    std::lock_guard<std::mutex> lock(mutex_);
    std::vfprintf(file_, format, ap);
    std::fputc('\n', file_);
    std::fflush(file_);
  }
  void LogHeader(const char*, va_list) override {}

 private:
  std::FILE* file_;
  std::mutex mutex_;
};

class SilentLog : public rocksdb::Logger {
 public:
  using rocksdb::Logger::Logv;
  void Logv(const rocksdb::InfoLogLevel, const char*, va_list) override {}
  void LogHeader(const char*, va_list) override {}
};

}  // namespace

Result<DirectoryScan> ScanDirectory(rocksdb::Env* env, const std::string& directory) {
  DirectoryScan scan;
  if (env->FileExists(directory).IsNotFound()) return scan;  // kMissing
  std::vector<std::string> children;
  rocksdb::Status listed = env->GetChildren(directory, &children);
  if (!listed.ok()) {
    return Status::IoError("cannot list the ledger directory " + directory + ": " +
                           listed.ToString());
  }
  std::sort(children.begin(), children.end());
  for (const std::string& name : children) {
    if (name == "." || name == ".." || IsOpenLeftover(name)) continue;
    if (name == kHeadFileName || name == std::string(kHeadFileName) + kHeadFileTemporarySuffix) {
      scan.has_head_file = scan.has_head_file || name == kHeadFileName;
      ++scan.data_files;  // made only after the database holds its first write
    } else if (IsDataFile(name)) {
      ++scan.data_files;
    } else if (IsDescriptionFile(name)) {
      scan.has_current = scan.has_current || name == "CURRENT";
    } else if (scan.first_foreign.empty()) {
      scan.first_foreign = name;
    }
  }
  // Description files alone, without CURRENT: a creation stopped before anything was written
  // (RocksDB writes CURRENT last); nothing of a ledger to lose.
  if (scan.has_current || scan.data_files > 0) {
    scan.state = DirectoryState::kLedger;
  } else if (!scan.first_foreign.empty()) {
    scan.state = DirectoryState::kForeign;
  } else {
    scan.state = DirectoryState::kEmpty;
  }
  return scan;
}

bool HeadFileExists(rocksdb::FileSystem* fs, const std::string& directory) {
  return fs->FileExists(HeadPath(directory), rocksdb::IOOptions(), nullptr).ok();
}

Result<std::optional<HeadRecord>> ReadHeadFile(rocksdb::FileSystem* fs,
                                               const std::string& directory) {
  const std::string path = HeadPath(directory);
  rocksdb::IOStatus exists = fs->FileExists(path, rocksdb::IOOptions(), nullptr);
  if (exists.IsNotFound()) return std::optional<HeadRecord>();
  std::string bytes;
  rocksdb::IOStatus status = rocksdb::ReadFileToString(fs, path, &bytes);
  CASELEDGER_RETURN_IF_ERROR(FromIo(status, std::string("reading ") + kHeadFileName));
  const std::optional<HeadRecord> latest = codec::DecodeHeadFile(bytes);
  if (!latest) {
    return Status::Corruption(std::string("the head file ") + kHeadFileName +
                              " is damaged (no valid copy of the last acknowledged entry)");
  }
  return latest;
}

Result<std::unique_ptr<HeadFile>> HeadFile::Create(rocksdb::FileSystem* fs,
                                                   const std::string& directory,
                                                   const HeadRecord& record) {
  // Written whole under another name, then renamed: a crash never leaves a half-made head file
  // (which would read as damage) under the real name.
  const std::string path = HeadPath(directory), temporary = path + kHeadFileTemporarySuffix;
  std::unique_ptr<rocksdb::FSWritableFile> file;
  rocksdb::IOStatus status = fs->NewWritableFile(temporary, rocksdb::FileOptions(), &file, nullptr);
  if (status.ok())
    status = file->Append(codec::EncodeHeadFile(record), rocksdb::IOOptions(), nullptr);
  if (status.ok()) status = file->Sync(rocksdb::IOOptions(), nullptr);
  if (status.ok()) status = file->Close(rocksdb::IOOptions(), nullptr);
  if (status.ok()) status = fs->RenameFile(temporary, path, rocksdb::IOOptions(), nullptr);
  CASELEDGER_RETURN_IF_ERROR(FromIo(status, std::string("creating ") + kHeadFileName));
  CASELEDGER_RETURN_IF_ERROR(SyncDirectory(fs, directory));
  return Open(fs, directory, record);
}

Result<std::unique_ptr<HeadFile>> HeadFile::Open(rocksdb::FileSystem* fs,
                                                 const std::string& directory,
                                                 const HeadRecord& latest) {
  std::unique_ptr<rocksdb::FSRandomRWFile> file;
  rocksdb::IOStatus status =
      fs->NewRandomRWFile(HeadPath(directory), rocksdb::FileOptions(), &file, nullptr);
  CASELEDGER_RETURN_IF_ERROR(FromIo(status, std::string("opening ") + kHeadFileName));
  // Which slot holds `latest` does not matter for safety: writing either one first leaves the
  // other valid. Start with slot 0 as the one to keep.
  return std::unique_ptr<HeadFile>(new HeadFile(std::move(file), latest, 0));
}

Status HeadFile::Write(const HeadRecord& record) {
  const size_t slot = 1 - latest_slot_;
  rocksdb::IOStatus status = file_->Write(
      codec::HeadSlotOffset(slot), codec::EncodeHeadSlot(record), rocksdb::IOOptions(), nullptr);
  if (status.ok()) status = file_->Sync(rocksdb::IOOptions(), nullptr);
  CASELEDGER_RETURN_IF_ERROR(FromIo(status, std::string("syncing ") + kHeadFileName));
  latest_ = record;
  latest_slot_ = slot;
  return Status::Ok();
}

std::shared_ptr<rocksdb::Logger> NewWriterLog(const std::string& directory) {
  return std::make_shared<WriterLog>(directory);
}

std::shared_ptr<rocksdb::Logger> NewSilentLog() { return std::make_shared<SilentLog>(); }

}  // namespace caseledger::files

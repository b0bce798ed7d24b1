// The files of a ledger directory beside RocksDB's own: what a directory holds (a ledger, nothing,
// or something else), the head file that witnesses the last acknowledged entry, and the info
// log. Internal to ledger/ (proto/FORMAT.md "The directory" documents the bytes).
#ifndef CASELEDGER_LEDGER_FILES_H_
#define CASELEDGER_LEDGER_FILES_H_

#include <rocksdb/env.h>
#include <rocksdb/file_system.h>

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/status.h"
#include "ledger/codec.h"
#include "ledger/ledger.h"

namespace caseledger::files {

inline constexpr char kHeadFileName[] = "CASELEDGER-HEAD";
inline constexpr char kHeadFileTemporarySuffix[] = ".tmp";  // while it is being created

// The head file: two copies ("slots") of the last acknowledged entry's seq and hash, each in its
// own 512-byte sector, written in turn, so that a write torn by a power cut damages at most the
// slot being written and the other still holds the previous head. The bytes: ledger/codec.h.
using codec::HeadRecord;

enum class DirectoryState {
  kMissing,  // no such directory
  // Nothing of a ledger: RocksDB's LOCK and LOG (left by a failed open) and a creation stopped
  // before CURRENT (description files, no data) don't count.
  kEmpty,
  kLedger,   // CURRENT, or a file holding data (a table, a write-ahead log, the head file)
  kForeign,  // no ledger file, but other files: never made into a ledger
};

struct DirectoryScan {
  DirectoryState state = DirectoryState::kMissing;
  bool has_current = false;
  bool has_head_file = false;
  // Files holding data: tables, write-ahead logs, the head file (made or being made).
  int data_files = 0;
  std::string first_foreign;  // the first other file's name, for the message
};

// What `directory` holds. IO_ERROR if it cannot be listed.
Result<DirectoryScan> ScanDirectory(rocksdb::Env* env, const std::string& directory);

// The head file's record: the newer valid slot. nullopt when the file does not exist;
// CORRUPTION when it exists but holds no valid slot.
Result<std::optional<HeadRecord>> ReadHeadFile(rocksdb::FileSystem* fs,
                                               const std::string& directory);

// Whether the head file exists now.
bool HeadFileExists(rocksdb::FileSystem* fs, const std::string& directory);

// The writer's handle on the head file.
class HeadFile {
 public:
  // Creates (or replaces) the file with `record` in both slots, synced, and syncs the directory.
  static Result<std::unique_ptr<HeadFile>> Create(rocksdb::FileSystem* fs,
                                                  const std::string& directory,
                                                  const HeadRecord& record);
  // Opens the existing file for updates; `latest` is what ReadHeadFile returned.
  static Result<std::unique_ptr<HeadFile>> Open(rocksdb::FileSystem* fs,
                                                const std::string& directory,
                                                const HeadRecord& latest);
  // Writes `record` into the slot not holding the latest record, then syncs: after it returns
  // OK, a reopened ledger must reach at least record.seq with that hash.
  [[nodiscard]] Status Write(const HeadRecord& record);
  uint64_t seq() const { return latest_.seq; }

 private:
  HeadFile(std::unique_ptr<rocksdb::FSRandomRWFile> file, const HeadRecord& latest, size_t slot)
      : file_(std::move(file)), latest_(latest), latest_slot_(slot) {}
  std::unique_ptr<rocksdb::FSRandomRWFile> file_;
  HeadRecord latest_;
  size_t latest_slot_;
};

// RocksDB's info log for a writer: warnings and errors appended to DIRECTORY/LOG. A failed write
// to it is ignored: a full disk must reach the ledger's writes as IO_ERROR, never abort in the
// logger (Debian's RocksDB keeps its assertions, and its own logger asserts after a failed
// append). Readers log nothing: they never write into the directory.
std::shared_ptr<rocksdb::Logger> NewWriterLog(const std::string& directory);
std::shared_ptr<rocksdb::Logger> NewSilentLog();

}  // namespace caseledger::files

#endif  // CASELEDGER_LEDGER_FILES_H_

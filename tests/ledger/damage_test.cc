// Proves that a ledger whose files were deleted, cut or lost after commands were acknowledged is
// reported as damage (CORRUPTION, exit 3) by every command and never opened as a shorter healthy
// ledger; that writers create a ledger only where there is none; that a killed import leaves no
// ledger; and that a full disk is IO_ERROR with nothing partial, usable again once space returns.
#include <rocksdb/db.h>
#include <signal.h>
#include <sys/mount.h>
#include <sys/wait.h>

#include <chrono>
#include <fstream>
#include <map>
#include <thread>

#include "ledger/codec.h"
#include "ledger/files.h"
#include "tests/cli/cli_util.h"

namespace caseledger::cli_test {
namespace {

constexpr char kCase[] = "(2024)甘0102执7号";

std::string OpenCase() {
  return Cmd("open-1", "2024-03-01",
             R"("open_case":{"case_no":")" + std::string(kCase) +
                 R"(","claim":"100000.00","creditors":[{"party_id":"c1",)"
                 R"("name":"张三"}],"debtors":[{"party_id":"d1",)"
                 R"("name":"李四"}]})");
}

std::string Receipt(int i) {
  return Cmd("r-" + std::to_string(i), "2024-03-02",
             R"("receipt":{"case_no":")" + std::string(kCase) + R"(","amount":"10.00",)" +
                 R"("bank_ref":"B)" + std::to_string(i) + R"(","source":"debtor_payment"})");
}

// Every file of a directory with its size: what "nothing was changed" compares.
std::map<std::string, uintmax_t> Files(const fs::path& dir) {
  std::map<std::string, uintmax_t> files;
  for (const auto& entry : fs::directory_iterator(dir)) {
    files[entry.path().filename().string()] = entry.is_regular_file() ? entry.file_size() : 0;
  }
  return files;
}

std::vector<fs::path> Logs(const fs::path& dir) {
  std::vector<fs::path> logs;
  for (const auto& entry : fs::directory_iterator(dir)) {
    if (entry.path().extension() == ".log") logs.push_back(entry.path());
  }
  std::sort(logs.begin(), logs.end());
  return logs;
}

class DamageTest : public CliFixture {
 protected:
  // `apply` fed through a pipe, group by group: each group's results are read (so each is
  // acknowledged), then the process is killed with SIGKILL while it waits for more input. It
  // never closes the ledger, so every acknowledged entry is in the write-ahead log only.
  void ApplyAndKill(const std::vector<std::vector<std::string>>& groups) {
    const PipedChild child =
        StartPiped({CASELEDGER_BINARY, "--db", db_, "apply"}, EnvFor({}), /*pipe_stdout=*/true);
    ASSERT_GT(child.pid, 0);
    const pid_t pid = child.pid;
    FILE* results = fdopen(child.from_child, "r");
    size_t acknowledged = 0;
    for (const auto& group : groups) {
      std::string text;
      for (const auto& line : group) text += line + "\n";
      ASSERT_EQ(write(child.to_child, text.data(), text.size()), static_cast<ssize_t>(text.size()));
      for (size_t i = 0; i < group.size(); ++i) {
        char buffer[4096];
        ASSERT_NE(std::fgets(buffer, sizeof buffer, results), nullptr);
        ASSERT_NE(std::string(buffer).find("\"ok\":true"), std::string::npos) << buffer;
        ++acknowledged;
      }
    }
    kill(pid, SIGKILL);
    int status = 0;
    waitpid(pid, &status, 0);
    close(child.to_child);
    std::fclose(results);
    ASSERT_TRUE(WIFSIGNALED(status));
    acknowledged_ = acknowledged;
  }

  // A ledger of 31 acknowledged entries in three groups, its process killed.
  void KilledLedger() {
    std::vector<std::vector<std::string>> groups = {{OpenCase()}, {}, {}};
    for (int i = 1; i <= 30; ++i) groups[i <= 10 ? 1 : 2].push_back(Receipt(i));
    ASSERT_NO_FATAL_FAILURE(ApplyAndKill(groups));
    ASSERT_EQ(acknowledged_, 31u);
  }

  // Every reading command and a writer: exit 3, CORRUPTION; nothing in the directory changed.
  void ExpectDamageEverywhere(const std::string& what) {
    SCOPED_TRACE(what);
    const auto before = Files(db_);
    for (const std::vector<std::string>& args :
         {std::vector<std::string>{"--json", "--db", db_, "verify"},
          std::vector<std::string>{"--json", "--db", db_, "balance"},
          std::vector<std::string>{"--json", "--db", db_, "case", kCase},
          std::vector<std::string>{"--json", "--db", db_, "digest"}}) {
      const CliRun run = Run(args);
      EXPECT_EQ(run.exit_code, 3) << args.back() << ": " << run.out << run.err;
      EXPECT_NE(run.out.find("CORRUPTION"), std::string::npos) << args.back() << ": " << run.out;
    }
    const CliRun apply = Run({"--db", db_, "apply"}, Receipt(99) + "\n");
    EXPECT_EQ(apply.exit_code, 3) << apply.out << apply.err;
    EXPECT_NE(apply.out.find("CORRUPTION"), std::string::npos) << apply.out;
    EXPECT_EQ(Files(db_), before) << "a command changed the damaged ledger's files";
  }

  size_t acknowledged_ = 0;
};

// The control: killed after acknowledging, the ledger opens with every entry.
TEST_F(DamageTest, KilledWriterLosesNothing) {
  ASSERT_NO_FATAL_FAILURE(KilledLedger());
  const CliRun run = Run({"--json", "--db", db_, "verify"});
  EXPECT_EQ(run.exit_code, 0) << run.out << run.err;
  EXPECT_NE(run.out.find("\"entries\":31"), std::string::npos) << run.out;
}

TEST_F(DamageTest, DeletedNewestLogIsDamage) {
  ASSERT_NO_FATAL_FAILURE(KilledLedger());
  const std::vector<fs::path> logs = Logs(db_);
  ASSERT_FALSE(logs.empty());
  fs::remove(logs.back());
  ExpectDamageEverywhere("newest log deleted");
  const CliRun run = Run({"--json", "--db", db_, "verify"});
  EXPECT_NE(run.out.find("were acknowledged but are missing"), std::string::npos) << run.out;
}

// Cut anywhere inside the acknowledged groups: the last byte, a record, half, all.
TEST_F(DamageTest, NewestLogCutShortIsDamage) {
  ASSERT_NO_FATAL_FAILURE(KilledLedger());
  const fs::path pristine = dir_ / "pristine";
  fs::copy(db_, pristine);
  const uintmax_t size = fs::file_size(Logs(db_).back());
  for (uintmax_t cut : {uintmax_t{1}, uintmax_t{7}, uintmax_t{300}, size / 2, size}) {
    fs::remove_all(db_);
    fs::copy(pristine, db_);
    fs::resize_file(Logs(db_).back(), size - cut);
    ExpectDamageEverywhere("cut by " + std::to_string(cut) + " of " + std::to_string(size));
  }
}

// After a clean close the newest log is empty: deleting it loses nothing and is not damage.
TEST_F(DamageTest, DeletedEmptyLogAfterACleanCloseIsNotDamage) {
  ASSERT_EQ(Apply({OpenCase(), Receipt(1)}).exit_code, 0);
  for (const fs::path& log : Logs(db_)) {
    ASSERT_EQ(fs::file_size(log), 0u);
    fs::remove(log);
  }
  const CliRun run = Run({"--json", "--db", db_, "verify"});
  EXPECT_EQ(run.exit_code, 0) << run.out << run.err;
  EXPECT_NE(run.out.find("\"entries\":2"), std::string::npos) << run.out;
}

// Without CURRENT or MANIFEST no command creates a new ledger over the old one (RocksDB would
// delete its table files): damage, and the files stay.
TEST_F(DamageTest, MissingCurrentOrManifestIsDamageAndNothingIsDeleted) {
  ASSERT_EQ(Apply({OpenCase(), Receipt(1), Receipt(2)}).exit_code, 0);
  const fs::path pristine = dir_ / "pristine";
  fs::copy(db_, pristine);
  for (const std::string prefix : {"CURRENT", "MANIFEST-"}) {
    fs::remove_all(db_);
    fs::copy(pristine, db_);
    for (const auto& [name, size] : Files(db_)) {
      if (name.starts_with(prefix)) fs::remove(fs::path(db_) / name);
    }
    ExpectDamageEverywhere(prefix + " deleted");
  }
}

TEST_F(DamageTest, MissingOrDestroyedHeadFileIsDamage) {
  ASSERT_NO_FATAL_FAILURE(KilledLedger());
  const fs::path head = fs::path(db_) / files::kHeadFileName;
  const std::string bytes = ReadFile(head);
  ASSERT_EQ(bytes.size(), codec::kHeadFileBytes);
  fs::remove(head);
  ExpectDamageEverywhere("head file deleted");
  WriteFile(head, std::string(codec::kHeadFileBytes, '\0'));
  ExpectDamageEverywhere("both copies in the head file destroyed");
}

// A power cut tears at most the slot being written: the other copy still holds a head the log
// reaches, so the ledger opens.
TEST_F(DamageTest, OneTornCopyInTheHeadFileIsNotDamage) {
  ASSERT_NO_FATAL_FAILURE(KilledLedger());
  const fs::path head = fs::path(db_) / files::kHeadFileName;
  const std::string bytes = ReadFile(head);
  for (size_t slot = 0; slot < codec::kHeadSlots; ++slot) {
    std::string torn = bytes;
    for (size_t i = 20; i < 40; ++i) torn[slot * codec::kHeadSlotBytes + i] ^= 0x5a;
    WriteFile(head, torn);
    const CliRun run = Run({"--json", "--db", db_, "verify"});
    EXPECT_EQ(run.exit_code, 0) << "slot " << slot << ": " << run.out << run.err;
  }
}

// The decoder of a slot: a round trip, and any changed byte of the record refused.
TEST(HeadSlotTest, RoundTripAndEveryChangedByteRefused) {
  codec::HeadRecord record;
  record.seq = 0x0102030405060708;
  for (size_t i = 0; i < record.hash.size(); ++i) record.hash[i] = static_cast<uint8_t>(i * 7);
  const std::string slot = codec::EncodeHeadSlot(record);
  ASSERT_EQ(slot.size(), codec::kHeadSlotBytes);
  const auto decoded = codec::DecodeHeadSlot(slot);
  ASSERT_TRUE(decoded.has_value());
  EXPECT_EQ(decoded->seq, record.seq);
  EXPECT_EQ(decoded->hash, record.hash);
  for (size_t i = 0; i < codec::kHeadRecordBytes; ++i) {
    std::string changed = slot;
    changed[i] ^= 0x01;
    EXPECT_FALSE(codec::DecodeHeadSlot(changed).has_value()) << "byte " << i;
  }
  EXPECT_FALSE(codec::DecodeHeadSlot(slot.substr(0, 100)).has_value());
  EXPECT_FALSE(codec::DecodeHeadSlot(std::string(codec::kHeadSlotBytes, '\0')).has_value());
}

// A ledger written before head files existed has neither the file nor the mark: readers open it
// as it is, the next writer adds both, and from then on a missing head file is damage.
TEST_F(DamageTest, ALedgerWithoutHeadFileGetsOneFromItsNextWriter) {
  ASSERT_EQ(Apply({OpenCase(), Receipt(1)}).exit_code, 0);
  {
    rocksdb::DB* raw = nullptr;
    ASSERT_TRUE(rocksdb::DB::Open(rocksdb::Options(), db_, &raw).ok());
    ASSERT_TRUE(raw->Delete(rocksdb::WriteOptions(), std::string(codec::kHeadFileKey)).ok());
    ASSERT_TRUE(raw->Close().ok());
    delete raw;
  }
  fs::remove(fs::path(db_) / files::kHeadFileName);
  EXPECT_EQ(Run({"--json", "--db", db_, "verify"}).exit_code, 0);
  EXPECT_FALSE(fs::exists(fs::path(db_) / files::kHeadFileName)) << "a reader wrote a file";
  EXPECT_EQ(Apply({Receipt(2)}).exit_code, 0);
  EXPECT_TRUE(fs::exists(fs::path(db_) / files::kHeadFileName));
  fs::remove(fs::path(db_) / files::kHeadFileName);
  ExpectDamageEverywhere("head file deleted after the writer added it");
}

// Writers create a ledger only in a new or empty directory; readers say NO_LEDGER only where
// there is no ledger file at all.
TEST_F(DamageTest, LedgersAreCreatedOnlyInEmptyOrNewDirectories) {
  fs::create_directories(db_);
  WriteFile(fs::path(db_) / "notes.txt", "月报草稿");
  const CliRun refused = Run({"--db", db_, "apply"}, OpenCase() + "\n");
  EXPECT_EQ(refused.exit_code, 1) << refused.out << refused.err;
  EXPECT_NE(refused.out.find("INVALID_ARGUMENT"), std::string::npos) << refused.out;
  EXPECT_NE(refused.out.find("empty or new directory"), std::string::npos) << refused.out;
  EXPECT_EQ(Files(db_).size(), 1u) << "files were created beside notes.txt";
  EXPECT_EQ(Run({"--db", db_, "verify"}).exit_code, 2);  // NO_LEDGER

  // What a failed open leaves (RocksDB's LOCK and LOG) is not a ledger: created over.
  fs::remove(fs::path(db_) / "notes.txt");
  WriteFile(fs::path(db_) / "LOCK", "");
  WriteFile(fs::path(db_) / "LOG", "");
  EXPECT_EQ(Run({"--db", db_, "verify"}).exit_code, 2);
  EXPECT_EQ(Apply({OpenCase()}).exit_code, 0);

  // A lone table file is a ledger that lost its other files.
  const fs::path other = dir_ / "other";
  fs::create_directories(other);
  WriteFile(other / "000009.sst", "x");
  const CliRun reader = Run({"--json", "--db", other.string(), "verify"});
  EXPECT_EQ(reader.exit_code, 3) << reader.out;
  const CliRun writer = Run({"--db", other.string(), "apply"}, OpenCase() + "\n");
  EXPECT_EQ(writer.exit_code, 3) << writer.out;
  EXPECT_EQ(Files(other).size(), 1u);
}

// A creation stopped before RocksDB wrote CURRENT (the crash harness met it) leaves only the
// files that describe a database, no data: no ledger for readers, and a writer creates over it.
TEST_F(DamageTest, ACreationStoppedBeforeCurrentIsNoLedger) {
  ASSERT_EQ(Apply({OpenCase()}).exit_code, 0);
  for (const auto& [name, size] : Files(db_)) {
    const bool describes = name == "IDENTITY" || name.starts_with("MANIFEST-") ||
                           name.starts_with("OPTIONS-") || name == "LOCK" || name == "LOG";
    if (!describes) fs::remove(fs::path(db_) / name);
  }
  const CliRun reader = Run({"--json", "--db", db_, "verify"});
  EXPECT_EQ(reader.exit_code, 2) << reader.out;
  EXPECT_NE(reader.out.find("NO_LEDGER"), std::string::npos) << reader.out;
  EXPECT_EQ(Apply({OpenCase(), Receipt(1)}).exit_code, 0);
  const CliRun verified = Run({"--json", "--db", db_, "verify"});
  EXPECT_NE(verified.out.find("\"entries\":2,"), std::string::npos) << verified.out;
}

// An import killed before its end leaves no ledger at the target.
TEST_F(DamageTest, KilledImportLeavesNoLedger) {
  std::vector<std::string> lines = {OpenCase()};
  for (int i = 1; i <= 40; ++i) lines.push_back(Receipt(i));
  ASSERT_EQ(Apply(lines).exit_code, 0);
  const CliRun exported = Run({"--db", db_, "export", "--format", "jsonl"});
  ASSERT_EQ(exported.exit_code, 0);
  const std::vector<std::string> entries = exported.Lines();
  ASSERT_EQ(entries.size(), 41u);
  const std::string target = (dir_ / "imported").string();
  const PipedChild child =
      StartPiped({CASELEDGER_BINARY, "--db", target, "import", "-"}, EnvFor({}), false);
  ASSERT_GT(child.pid, 0);
  const pid_t pid = child.pid;
  std::string half;
  for (size_t i = 0; i < entries.size() / 2; ++i) half += entries[i] + "\n";
  ASSERT_EQ(write(child.to_child, half.data(), half.size()), static_cast<ssize_t>(half.size()));
  // Until the import has opened its ledger and read what it was given.
  for (int i = 0; i < 200 && !fs::exists(dir_ / (".imported.import-" + std::to_string(pid))); ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  std::this_thread::sleep_for(std::chrono::milliseconds(200));
  kill(pid, SIGKILL);
  int status = 0;
  waitpid(pid, &status, 0);
  close(child.to_child);
  EXPECT_TRUE(WIFSIGNALED(status));
  EXPECT_FALSE(fs::exists(target)) << "a killed import left a ledger at the target";
  EXPECT_EQ(Run({"--db", target, "verify"}).exit_code, 2);  // NO_LEDGER
  // The whole export imports into the same target afterwards.
  const CliRun again = Run({"--db", target, "import", "-"}, exported.out);
  EXPECT_EQ(again.exit_code, 0) << again.out << again.err;
  const CliRun verified = Run({"--json", "--db", target, "verify"});
  EXPECT_NE(verified.out.find("\"entries\":41"), std::string::npos) << verified.out;
}

// A real full disk: a 1 MiB tmpfs in a mount namespace of the child's own. `apply` answers
// IO_ERROR (not an abort in RocksDB's logger), writes nothing partial, and once the file system
// has room again the ledger opens, verifies and takes the same commands.
TEST_F(DamageTest, FullDiskIsAnIoErrorAndTheLedgerRecovers) {
  const fs::path mount_point = dir_ / "small";
  fs::create_directories(mount_point);
  std::vector<std::string> lines = {OpenCase()};
  // Payers of 300 characters make each entry large enough to fill 1 MiB in a few hundred.
  for (int i = 1; i <= 400; ++i) {
    lines.push_back(Cmd("r-" + std::to_string(i), "2024-03-02",
                        R"("receipt":{"case_no":")" + std::string(kCase) +
                            R"(","amount":"1.00","bank_ref":"F)" + std::to_string(i) +
                            R"(","source":"debtor_payment","payer":")" + std::string(300, 'x') +
                            R"("})"));
  }
  std::string input;
  for (const auto& line : lines) input += line + "\n";
  WriteFile(dir_ / "input.jsonl", input);
  // The same commands exported from a ledger elsewhere, for `import` onto the full disk.
  ASSERT_EQ(Run({"--db", db_, "apply", "input.jsonl"}).exit_code, 0);
  const CliRun exported = Run({"--db", db_, "export", "--format", "jsonl"});
  ASSERT_EQ(exported.exit_code, 0);
  WriteFile(dir_ / "export.jsonl", exported.out);
  const std::string binary = CASELEDGER_BINARY;
  const std::string db = (mount_point / "db").string();
  const std::string script =
      "'" + binary + "' --db '" + db + "' apply input.jsonl > full.out; echo $? > full.rc; '" +
      binary + "' --db '" + mount_point.string() +
      "/imported' import export.jsonl > import.out 2>&1; echo $? > import.rc; " + "ls -a '" +
      mount_point.string() + "' > after-import.ls; " + "mount -o remount,size=64m '" +
      mount_point.string() + "' || exit 124; '" + binary + "' --json --db '" + db +
      "' verify > verify1.out; '" + binary + "' --db '" + db +
      "' apply input.jsonl > again.out; echo $? > again.rc; '" + binary + "' --json --db '" + db +
      "' verify > verify2.out";
  const CliRun run = RunProgram({"/bin/sh", "-c", script}, EnvFor({}), dir_, "", [&] {
    return unshare(CLONE_NEWNS) == 0 &&
           mount(nullptr, "/", nullptr, MS_REC | MS_PRIVATE, nullptr) == 0 &&
           mount("tmpfs", mount_point.c_str(), "tmpfs", 0, "size=1m") == 0;
  });
  if (run.exit_code == 125) GTEST_SKIP() << "cannot mount a tmpfs here (needs CAP_SYS_ADMIN)";
  ASSERT_EQ(run.exit_code, 0) << run.err;
  EXPECT_EQ(ReadFile(dir_ / "full.rc"), "1\n") << "apply on a full disk: " << run.err;
  const std::string full = ReadFile(dir_ / "full.out");
  EXPECT_NE(full.find("\"code\":\"IO_ERROR\""), std::string::npos) << full.substr(0, 2000);
  EXPECT_NE(full.find("No space left on device"), std::string::npos);
  // Every result printed as ok is in the ledger afterwards; the failed ones are not, wholly.
  size_t ok_lines = 0;
  for (std::istringstream in(full); std::getline(in, input);) {
    ok_lines += input.find("\"ok\":true") != std::string::npos;
  }
  const std::string verify1 = ReadFile(dir_ / "verify1.out");
  EXPECT_NE(verify1.find("\"ok\":true"), std::string::npos) << verify1;
  EXPECT_NE(verify1.find("\"entries\":" + std::to_string(ok_lines) + ","), std::string::npos)
      << verify1 << " after " << ok_lines << " acknowledged";
  // An import that meets the full disk: IO_ERROR, and neither the target nor its building
  // directory is left behind.
  EXPECT_EQ(ReadFile(dir_ / "import.rc"), "1\n") << ReadFile(dir_ / "import.out");
  EXPECT_NE(ReadFile(dir_ / "import.out").find("IO_ERROR"), std::string::npos)
      << ReadFile(dir_ / "import.out");
  EXPECT_EQ(ReadFile(dir_ / "after-import.ls"), ".\n..\ndb\n");
  EXPECT_EQ(ReadFile(dir_ / "again.rc"), "0\n") << ReadFile(dir_ / "again.out").substr(0, 2000);
  const std::string verify2 = ReadFile(dir_ / "verify2.out");
  EXPECT_NE(verify2.find("\"entries\":401,"), std::string::npos) << verify2;
}

}  // namespace
}  // namespace caseledger::cli_test

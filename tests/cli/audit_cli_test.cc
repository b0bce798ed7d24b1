// Proves, through the real caseledger binary, the auditing commands of SPEC §5: an export
// imports back to the same ledger and digest; verify --file checks published heads; a forged
// and re-hashed export passes alone but not against the published head; inclusion and
// consistency proofs verify and every altered part of one fails; state --at-seq sums the
// postings to hand-computed balances; digest is the RFC 6962 tree head computed here by hand.
#include <gtest/gtest.h>
#include <openssl/evp.h>

#include <algorithm>
#include <cctype>
#include <cstdint>
#include <filesystem>
#include <random>
#include <string>
#include <utility>
#include <vector>

#include "core/json.h"
#include "tests/cli/cli_util.h"

namespace caseledger {
namespace {

namespace fs = std::filesystem;
using cli_test::CliFixture;
using cli_test::CliRun;
using cli_test::Cmd;
using cli_test::ErrorCode;
using cli_test::ErrorMessage;
using cli_test::IsOk;
using cli_test::ParseJson;
using cli_test::ReadFile;
using cli_test::Str;
using cli_test::WriteFile;

constexpr char kCaseA[] = "(2024)甘0102执1号";
constexpr char kCaseB[] = "(2024)甘0102执2号";

// ---- Hashing by hand, independent of the program's own code (OpenSSL only).

std::string Sha256(const std::string& bytes) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int size = 0;
  const int done = EVP_Digest(bytes.data(), bytes.size(), digest, &size, EVP_sha256(), nullptr);
  EXPECT_EQ(done, 1);
  EXPECT_EQ(size, 32u);
  return std::string(reinterpret_cast<const char*>(digest), size);
}

std::string Hex(const std::string& bytes) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out;
  for (unsigned char c : bytes) {
    out += kDigits[c >> 4];
    out += kDigits[c & 15];
  }
  return out;
}

std::string Unhex(const std::string& hex) {
  EXPECT_EQ(hex.size() % 2, 0u) << hex;
  std::string out;
  for (size_t i = 0; i + 1 < hex.size(); i += 2) {
    out += static_cast<char>(std::stoi(hex.substr(i, 2), nullptr, 16));
  }
  return out;
}

std::string Unbase64(const std::string& text) {
  std::string out(text.size() / 4 * 3, '\0');
  const int n = EVP_DecodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                                reinterpret_cast<const unsigned char*>(text.data()),
                                static_cast<int>(text.size()));
  EXPECT_GE(n, 0) << text.substr(0, 80);
  size_t padding = 0;
  if (text.ends_with("==")) {
    padding = 2;
  } else if (text.ends_with("=")) {
    padding = 1;
  }
  out.resize(n < 0 ? 0 : static_cast<size_t>(n) - padding);
  return out;
}

// SPEC §5: SHA-256(prev hash ‖ seq as 8 bytes big-endian ‖ stored bytes), all raw bytes.
std::string ChainHash(const std::string& prev, uint64_t seq, const std::string& bytes) {
  std::string input = prev;
  for (int shift = 56; shift >= 0; shift -= 8) input += static_cast<char>((seq >> shift) & 0xff);
  return Sha256(input + bytes);
}

std::string Leaf(const std::string& entry_hash) {
  return Sha256(std::string(1, '\0') + entry_hash);
}
std::string Node(const std::string& left, const std::string& right) {
  return Sha256(std::string(1, '\1') + left + right);
}

// The hex digit at `index` of `hex` changed to another one.
std::string FlipHexDigit(std::string hex, size_t index) {
  hex[index] = hex[index] == '0' ? '1' : '0';
  return hex;
}

// `text` with the first `from` replaced by `to`; fails the test when `from` is not there.
std::string ReplaceFirst(std::string text, const std::string& from, const std::string& to) {
  const size_t at = text.find(from);
  EXPECT_NE(at, std::string::npos) << "no " << from << " in " << text.substr(0, 200);
  if (at != std::string::npos) text.replace(at, from.size(), to);
  return text;
}

std::vector<std::string> SplitLines(const std::string& text) {
  std::vector<std::string> lines;
  size_t start = 0;
  while (start < text.size()) {
    size_t end = text.find('\n', start);
    if (end == std::string::npos) end = text.size();
    lines.push_back(text.substr(start, end - start));
    start = end + 1;
  }
  return lines;
}

std::string JoinLines(const std::vector<std::string>& lines) {
  std::string text;
  for (const std::string& line : lines) text += line + "\n";
  return text;
}

// The parts of one export line, taken from its text as written (not re-serialised).
struct ExportParts {
  uint64_t seq = 0;
  std::string prev_hash, hash, bytes_base64, entry_text;
};

ExportParts PartsOf(const std::string& line) {
  const json::Value value = ParseJson(line);
  ExportParts parts;
  parts.seq = std::stoull(Str(value, "seq"));
  parts.prev_hash = Str(value, "prev_hash");
  parts.hash = Str(value, "hash");
  parts.bytes_base64 = Str(value, "bytes");
  const size_t entry = line.find(",\"entry\":");
  EXPECT_NE(entry, std::string::npos);
  EXPECT_TRUE(line.ends_with("}"));
  parts.entry_text = line.substr(entry + 9, line.size() - entry - 10);
  return parts;
}

// An export line as export writes it (ledger/export.h: seq, prev_hash, hash, bytes, entry).
std::string LineOf(const ExportParts& parts) {
  return R"({"seq":)" + std::to_string(parts.seq) + R"(,"prev_hash":")" + parts.prev_hash +
         R"(","hash":")" + parts.hash + R"(","bytes":")" + parts.bytes_base64 + R"(","entry":)" +
         parts.entry_text + "}";
}

// Whether `key` is the bool `expected`.
bool BoolIs(const json::Value& object, std::string_view key, bool expected) {
  const json::Value* v = object.Find(key);
  return v != nullptr && v->is_bool() && v->boolean == expected;
}

// ---- Commands of the small hand-written ledgers.

std::string OpenCase(const std::string& id, const std::string& case_no, const std::string& claim) {
  return Cmd(
      id, "2024-03-01",
      R"("open_case":{"case_no":")" + case_no + R"(","claim":")" + claim +
          R"(","creditors":[{"party_id":"c1","name":"某公司","account":"6228480010000000001"}],)"
          R"("debtors":[{"party_id":"d1","name":"张某"}]})");
}

std::string Receipt(const std::string& id, const std::string& on, const std::string& case_no,
                    const std::string& amount, const std::string& ref) {
  return Cmd(id, on,
             R"("receipt":{"case_no":")" + case_no + R"(","amount":")" + amount +
                 R"(","bank_ref":")" + ref + R"(","source":"debtor_payment"})");
}

// The ledger of the state test: seq 1..9.
std::vector<std::string> SmallLedger() {
  return {
      OpenCase("open-a", kCaseA, "100000"),                       // 1
      OpenCase("open-b", kCaseB, "20000"),                        // 2
      Receipt("rcpt-a", "2024-03-04", kCaseA, "50000.00", "B1"),  // 3
      Receipt("rcpt-b", "2024-03-05", kCaseB, "8000.00", "B2"),   // 4
      Cmd("fee-a", "2024-03-06",
          R"("charge_fee":{"case_no":")" + std::string(kCaseA) + R"(","amount":"500.00"})"),  // 5
      Cmd("req-a", "2024-03-07",
          R"("request_disbursement":{"disbursement_id":"d1","case_no":")" + std::string(kCaseA) +
              R"(","payee":"c1","amount":"30000.00"})"),  // 6
      Cmd("appr-a", "2024-03-07", R"("approve_disbursement":{"disbursement_id":"d1"})",
          "director.li"),  // 7
      Cmd("conf-a", "2024-03-08",
          R"("confirm_disbursement":{"disbursement_id":"d1","bank_ref":"P1"})"),  // 8
      Cmd("unid-1", "2024-03-09",
          R"("unidentified_receipt":{"amount":"1234.56","bank_ref":"U1","payer":"李某"})"),  // 9
  };
}

class AuditTest : public CliFixture {
 protected:
  // Applies `lines` to `db` and expects every one accepted.
  void ApplyAll(const std::string& db, const std::vector<std::string>& lines) {
    std::string input;
    for (const std::string& line : lines) input += line + "\n";
    const CliRun applied = Run({"--db", db, "apply"}, input);
    ASSERT_EQ(applied.exit_code, 0) << applied.out << applied.err;
    const auto results = Results(applied);
    ASSERT_EQ(results.size(), lines.size());
    for (const json::Value& result : results) {
      ASSERT_TRUE(IsOk(result)) << Str(result, "request_id") << ": " << ErrorMessage(result);
    }
  }

  // The export of `db` as text.
  std::string Export(const std::string& db) {
    const CliRun exported = Run({"--db", db, "export", "--format", "jsonl"});
    EXPECT_EQ(exported.exit_code, 0) << exported.err;
    return exported.out;
  }

  // `digest --at-seq size --json`'s hash.
  std::string Digest(const std::string& db, uint64_t size) {
    const CliRun run = Run({"--db", db, "digest", "--at-seq", std::to_string(size), "--json"});
    EXPECT_EQ(run.exit_code, 0) << run.out << run.err;
    const json::Value digest = ParseJson(run.out);
    EXPECT_EQ(Str(digest, "seq"), std::to_string(size));
    return Str(digest, "hash");
  }

  // verify --file `file` with the given --digest values, --json.
  CliRun VerifyFile(const fs::path& file, const std::vector<std::string>& digests = {}) {
    std::vector<std::string> args = {"verify", "--file", file.string()};
    for (const std::string& digest : digests) {
      args.push_back("--digest");
      args.push_back(digest);
    }
    args.push_back("--json");
    return Run(args);
  }

  CliRun CheckProof(const std::string& proof_text, const std::vector<std::string>& digests) {
    const fs::path file = dir_ / "proof-checked.json";
    WriteFile(file, proof_text);
    std::vector<std::string> args = {"check-proof", file.string()};
    for (const std::string& digest : digests) {
      args.push_back("--digest");
      args.push_back(digest);
    }
    args.push_back("--json");
    return Run(args);
  }

  // The demo month (demo/month.jsonl, as run.sh demo applies it), applied once for the suite
  // and shared read-only by its tests; its export beside it.
  void UseDemo() {
    if (demo_root_.empty()) {
      const fs::path root = dir_.parent_path() / (dir_.filename().string() + "-demo");
      fs::create_directories(root);
      demo_root_ = root;  // removed by TearDownTestSuite even if what follows fails
      const std::string db = (root / "db").string();
      const CliRun applied =
          Run({"--db", db, "apply", std::string(CASELEDGER_SOURCE_DIR) + "/demo/month.jsonl"});
      ASSERT_LE(applied.exit_code, 1) << applied.err;
      ASSERT_EQ(applied.Lines().size(), 211u);
      const CliRun exported =
          Run({"--db", db, "export", "--format", "jsonl", "-o", (root / "export.jsonl").string()});
      ASSERT_EQ(exported.exit_code, 0) << exported.err;
    }
    demo_db_ = (demo_root_ / "db").string();
    demo_export_ = demo_root_ / "export.jsonl";
    demo_lines_ = SplitLines(ReadFile(demo_export_));
    ASSERT_GT(demo_lines_.size(), 150u);
  }

  static void TearDownTestSuite() {
    if (demo_root_.empty()) return;
    std::error_code ignored;
    fs::remove_all(demo_root_, ignored);
    demo_root_.clear();
  }

  static inline fs::path demo_root_;
  std::string demo_db_;
  fs::path demo_export_;
  std::vector<std::string> demo_lines_;
};

// ---- 1. import reproduces the ledger; refuses a non-empty directory and a damaged export.

TEST_F(AuditTest, ImportReproducesTheLedgerAndRefusesWhatItMust) {
  ASSERT_NO_FATAL_FAILURE(UseDemo());
  const uint64_t entries = demo_lines_.size();
  const std::string copy = (dir_ / "copy").string();
  const CliRun imported = Run({"--db", copy, "import", demo_export_.string(), "--json"});
  ASSERT_EQ(imported.exit_code, 0) << imported.out << imported.err;
  const json::Value import_result = ParseJson(imported.out);
  EXPECT_TRUE(IsOk(import_result));
  EXPECT_EQ(Str(import_result, "entries"), std::to_string(entries));

  const CliRun digest_original = Run({"--db", demo_db_, "digest", "--json"});
  const CliRun digest_copy = Run({"--db", copy, "digest", "--json"});
  ASSERT_EQ(digest_original.exit_code, 0);
  EXPECT_EQ(digest_copy.out, digest_original.out);
  const json::Value digest = ParseJson(digest_original.out);
  EXPECT_EQ(Str(digest, "seq"), std::to_string(entries));
  EXPECT_EQ(Str(*import_result.Find("digest"), "hash"), Str(digest, "hash"));

  const CliRun verify_original = Run({"--db", demo_db_, "verify", "--json"});
  const CliRun verify_copy = Run({"--db", copy, "verify", "--json"});
  EXPECT_EQ(verify_copy.exit_code, 0) << verify_copy.out;
  const json::Value original_report = ParseJson(verify_original.out);
  const json::Value copy_report = ParseJson(verify_copy.out);
  EXPECT_TRUE(IsOk(copy_report));
  EXPECT_EQ(Str(copy_report, "entries"), std::to_string(entries));
  EXPECT_EQ(Str(copy_report, "head_hash"), Str(original_report, "head_hash"));
  EXPECT_EQ(Str(import_result, "head_hash"), Str(original_report, "head_hash"));
  EXPECT_EQ(Str(copy_report, "head_hash"), PartsOf(demo_lines_.back()).hash);

  const CliRun cases = Run({"--db", demo_db_, "cases", "--json"});
  ASSERT_EQ(cases.exit_code, 0);
  EXPECT_EQ(Run({"--db", copy, "cases", "--json"}).out, cases.out);
  const json::Value case_list = ParseJson(cases.out);
  ASSERT_TRUE(case_list.is_array());
  EXPECT_EQ(case_list.items.size(), 39u);
  for (const json::Value& row : case_list.items) {
    const std::string case_no = Str(row, "case_no");
    const CliRun original = Run({"--db", demo_db_, "case", case_no, "--json"});
    ASSERT_EQ(original.exit_code, 0) << case_no;
    EXPECT_EQ(Run({"--db", copy, "case", case_no, "--json"}).out, original.out) << case_no;
  }
  const CliRun balance = Run({"--db", demo_db_, "balance", "--json"});
  EXPECT_TRUE(BoolIs(ParseJson(balance.out), "agree", true));
  EXPECT_EQ(Run({"--db", copy, "balance", "--json"}).out, balance.out);

  // The copy is no longer empty: a second import is refused before reading anything.
  const CliRun again = Run({"--db", copy, "import", demo_export_.string()});
  EXPECT_EQ(again.exit_code, 2) << again.out << again.err;
  EXPECT_EQ(Run({"--db", copy, "digest", "--json"}).out, digest_original.out);

  const CliRun missing =
      Run({"--db", (dir_ / "other").string(), "import", (dir_ / "no-such-export.jsonl").string()});
  EXPECT_EQ(missing.exit_code, 2);
  EXPECT_FALSE(fs::exists(dir_ / "other"));  // refused before anything was created
}

TEST_F(AuditTest, ImportOfADamagedExportNamesTheEntryAndLeavesNoLedger) {
  ASSERT_NO_FATAL_FAILURE(UseDemo());
  std::vector<std::string> lines = demo_lines_;
  ExportParts parts = PartsOf(lines[56]);
  ASSERT_EQ(parts.seq, 57u);
  parts.hash = FlipHexDigit(parts.hash, 10);
  lines[56] = LineOf(parts);
  const fs::path damaged = dir_ / "damaged.jsonl";
  WriteFile(damaged, JoinLines(lines));

  // Into a directory that does not exist: it is not left behind.
  const std::string fresh = (dir_ / "fresh").string();
  const CliRun refused = Run({"--db", fresh, "import", damaged.string(), "--json"});
  EXPECT_EQ(refused.exit_code, 3) << refused.out << refused.err;
  EXPECT_EQ(ErrorCode(ParseJson(refused.out)), "CORRUPTION");
  EXPECT_NE(ErrorMessage(ParseJson(refused.out)).find("damaged at entry 57"), std::string::npos)
      << refused.out;
  EXPECT_FALSE(fs::exists(fresh));
  const CliRun after = Run({"--db", fresh, "balance", "--json"});
  EXPECT_EQ(after.exit_code, 2);
  EXPECT_EQ(ErrorCode(ParseJson(after.out)), "NO_LEDGER");

  // Into an empty directory: it is empty again.
  const fs::path empty = dir_ / "empty";
  fs::create_directories(empty);
  const CliRun refused_too = Run({"--db", empty.string(), "import", damaged.string()});
  EXPECT_EQ(refused_too.exit_code, 3);
  EXPECT_NE(refused_too.err.find("damaged at entry 57"), std::string::npos) << refused_too.err;
  EXPECT_TRUE(fs::exists(empty) && fs::is_empty(empty));
  const CliRun digest_after = Run({"--db", empty.string(), "digest", "--json"});
  EXPECT_EQ(digest_after.exit_code, 2);
  EXPECT_EQ(ErrorCode(ParseJson(digest_after.out)), "NO_LEDGER");

  // verify --file agrees on where the damage is.
  const CliRun verified = VerifyFile(damaged);
  EXPECT_EQ(verified.exit_code, 3);
  const json::Value report = ParseJson(verified.out);
  EXPECT_EQ(Str(report, "first_bad_seq"), "57");
  EXPECT_EQ(Str(report, "head_seq"), "56");
}

// ---- 2. verify --file with published heads.

TEST_F(AuditTest, VerifyFileChecksPublishedHeads) {
  ASSERT_NO_FATAL_FAILURE(UseDemo());
  const uint64_t entries = demo_lines_.size();
  const std::string head_100 = Digest(demo_db_, 100);
  const std::string head_all = Digest(demo_db_, entries);
  ASSERT_EQ(head_100.size(), 64u);
  ASSERT_NE(head_100, head_all);

  const CliRun plain = VerifyFile(demo_export_);
  EXPECT_EQ(plain.exit_code, 0) << plain.out;
  json::Value report = ParseJson(plain.out);
  EXPECT_TRUE(IsOk(report));
  EXPECT_EQ(Str(report, "entries"), std::to_string(entries));
  EXPECT_EQ(Str(report, "first_bad_seq"), "<null>");
  EXPECT_EQ(Str(report, "head_hash"), PartsOf(demo_lines_.back()).hash);
  EXPECT_EQ(Str(*report.Find("digest"), "hash"), head_all);

  const CliRun published = VerifyFile(demo_export_, {"100:" + head_100});
  EXPECT_EQ(published.exit_code, 0) << published.out;
  EXPECT_TRUE(IsOk(ParseJson(published.out)));
  const CliRun both =
      VerifyFile(demo_export_, {"100:" + head_100, std::to_string(entries) + ":" + head_all});
  EXPECT_EQ(both.exit_code, 0) << both.out;

  const CliRun wrong = VerifyFile(demo_export_, {"100:" + FlipHexDigit(head_100, 63)});
  EXPECT_EQ(wrong.exit_code, 3) << wrong.out;
  report = ParseJson(wrong.out);
  EXPECT_FALSE(IsOk(report));
  EXPECT_EQ(Str(report, "first_bad_seq"), "<null>");
  EXPECT_NE(Str(report, "problem").find(head_100.substr(0, 63)), std::string::npos);

  // The head at 100 given as the head of 101 entries.
  EXPECT_EQ(VerifyFile(demo_export_, {"101:" + head_100}).exit_code, 3);

  const CliRun beyond = VerifyFile(demo_export_, {std::to_string(entries + 1) + ":" + head_all});
  EXPECT_EQ(beyond.exit_code, 3) << beyond.out;
  report = ParseJson(beyond.out);
  EXPECT_FALSE(IsOk(report));
  EXPECT_EQ(Str(report, "first_bad_seq"), "<null>");
  EXPECT_EQ(Str(report, "entries"), std::to_string(entries));

  for (const std::string& malformed :
       {std::string("100"), std::string("100:XYZ"), "abc:" + head_100, "100:" + head_100 + "0",
        ":" + head_100, "100:" + head_100.substr(1)}) {
    const CliRun run = VerifyFile(demo_export_, {malformed});
    EXPECT_EQ(run.exit_code, 2) << malformed << ": " << run.out << run.err;
  }
  std::string upper = head_100;
  std::transform(upper.begin(), upper.end(), upper.begin(), ::toupper);
  ASSERT_NE(upper, head_100);  // a head of 64 digits 0-9 only does not happen
  EXPECT_EQ(VerifyFile(demo_export_, {"100:" + upper}).exit_code, 2);
  EXPECT_EQ(VerifyFile(dir_ / "no-such.jsonl").exit_code, 2);
}

// ---- 3. A forgery re-hashed after the fact passes alone, not against the published head.

// A ledger with the receipt at kForged recorded, in the forgery, as a smaller amount; the
// entries after it are of another case, so they replay alike on either.
constexpr uint64_t kForged = 3;
std::vector<std::string> ForgeryLedger(const std::string& amount) {
  return {
      OpenCase("open-a", kCaseA, "100000"),
      OpenCase("open-b", kCaseB, "20000"),
      Receipt("rcpt-a", "2024-03-04", kCaseA, amount, "B1"),
      Receipt("rcpt-b", "2024-03-05", kCaseB, "8000.00", "B2"),
      Receipt("rcpt-b2", "2024-03-06", kCaseB, "2000.00", "B3"),
      Cmd("unid-1", "2024-03-07", R"("unidentified_receipt":{"amount":"300.00","bank_ref":"U1"})"),
  };
}

TEST_F(AuditTest, ForgedExportFailsAgainstThePublishedHead) {
  ASSERT_NO_FATAL_FAILURE(ApplyAll(db_, ForgeryLedger("50000.00")));
  const std::string text = Export(db_);
  const std::vector<std::string> lines = SplitLines(text);
  ASSERT_EQ(lines.size(), 6u);
  const std::string published = "6:" + Digest(db_, 6);
  const fs::path original = dir_ / "original.jsonl";
  WriteFile(original, text);
  EXPECT_EQ(VerifyFile(original, {published}).exit_code, 0);

  // Only the readable rendering changed: the bytes still say 50000.00.
  {
    std::vector<std::string> edited = lines;
    ASSERT_NE(edited[kForged - 1].find(R"("amount":"50000.00")"), std::string::npos);
    edited[kForged - 1] =
        ReplaceFirst(edited[kForged - 1], R"("amount":"50000.00")", R"("amount":"5000.00")");
    const fs::path file = dir_ / "rendering.jsonl";
    WriteFile(file, JoinLines(edited));
    const CliRun run = VerifyFile(file);
    EXPECT_EQ(run.exit_code, 3) << run.out;
    const json::Value report = ParseJson(run.out);
    EXPECT_EQ(Str(report, "first_bad_seq"), std::to_string(kForged));
    EXPECT_EQ(Str(report, "head_seq"), std::to_string(kForged - 1));
    EXPECT_NE(Str(report, "problem").find("readable entry differs"), std::string::npos)
        << Str(report, "problem");
  }

  // The forger records the receipt as 5000.00 in a ledger of their own, takes its entry (bytes
  // and rendering), and re-hashes that line and every later one: the chain holds again.
  const std::string other_db = (dir_ / "other").string();
  ASSERT_NO_FATAL_FAILURE(ApplyAll(other_db, ForgeryLedger("5000.00")));
  const ExportParts substitute = PartsOf(SplitLines(Export(other_db))[kForged - 1]);
  std::vector<std::string> forged_lines;
  std::string prev(32, '\0');
  for (const std::string& line : lines) {
    ExportParts parts = PartsOf(line);
    if (parts.seq == kForged) {
      parts.bytes_base64 = substitute.bytes_base64;
      parts.entry_text = substitute.entry_text;
    }
    parts.prev_hash = Hex(prev);
    const std::string hash = ChainHash(prev, parts.seq, Unbase64(parts.bytes_base64));
    // Before the forged entry the chain is the original; from it on, every hash is new.
    EXPECT_EQ(Hex(hash) == parts.hash, parts.seq < kForged) << "entry " << parts.seq;
    parts.hash = Hex(hash);
    forged_lines.push_back(LineOf(parts));
    prev = hash;
  }
  const fs::path forged = dir_ / "forged.jsonl";
  WriteFile(forged, JoinLines(forged_lines));

  const CliRun alone = VerifyFile(forged);
  EXPECT_EQ(alone.exit_code, 0) << alone.out;
  json::Value report = ParseJson(alone.out);
  EXPECT_TRUE(IsOk(report)) << alone.out;
  EXPECT_EQ(Str(report, "entries"), "6");
  EXPECT_EQ(Str(report, "head_hash"), Hex(prev));
  EXPECT_NE("6:" + Str(*report.Find("digest"), "hash"), published);
  // The heads published before the forged entry still match; the later ones do not.
  EXPECT_EQ(VerifyFile(forged, {"2:" + Digest(db_, 2)}).exit_code, 0);
  const CliRun against = VerifyFile(forged, {published});
  EXPECT_EQ(against.exit_code, 3) << against.out;
  report = ParseJson(against.out);
  EXPECT_FALSE(IsOk(report));
  EXPECT_EQ(Str(report, "first_bad_seq"), "<null>");
  EXPECT_EQ(VerifyFile(forged, {"3:" + Digest(db_, 3)}).exit_code, 3);

  // The forgery is a ledger that says 45,000.00 less came in.
  const std::string rebuilt = (dir_ / "rebuilt").string();
  ASSERT_EQ(Run({"--db", rebuilt, "import", forged.string()}).exit_code, 0);
  const json::Value balance = ParseJson(Run({"--db", rebuilt, "balance", "--json"}).out);
  EXPECT_EQ(Str(balance, "bank"), "15300.00");  // 5000 + 8000 + 2000 + 300
  EXPECT_EQ(Str(ParseJson(Run({"--db", db_, "balance", "--json"}).out), "bank"), "60300.00");
}

// ---- 4. Inclusion and consistency proofs.

TEST_F(AuditTest, InclusionProofsVerifyAndEveryAlteredPartFails) {
  ASSERT_NO_FATAL_FAILURE(UseDemo());
  const uint64_t head = demo_lines_.size();
  std::mt19937_64 random(20240331);
  std::vector<std::pair<uint64_t, uint64_t>> pairs = {{1, 1}, {head, head}, {1, head}};
  for (int i = 0; i < 3; ++i) {
    const uint64_t size = std::uniform_int_distribution<uint64_t>(1, head)(random);
    pairs.emplace_back(std::uniform_int_distribution<uint64_t>(1, size)(random), size);
  }
  for (const auto& [seq, size] : pairs) {
    SCOPED_TRACE("seq " + std::to_string(seq) + " of " + std::to_string(size));
    const std::string root = Digest(demo_db_, size);
    const std::string digest = std::to_string(size) + ":" + root;
    const fs::path file = dir_ / "proof.json";
    const CliRun proved = Run({"--db", demo_db_, "prove", std::to_string(seq), "--digest",
                               std::to_string(size), "-o", file.string()});
    ASSERT_EQ(proved.exit_code, 0) << proved.out << proved.err;
    const std::string proof_text = ReadFile(file);
    const json::Value proof = ParseJson(proof_text);
    EXPECT_EQ(Str(proof, "type"), "inclusion");
    EXPECT_EQ(Str(proof, "seq"), std::to_string(seq));
    EXPECT_EQ(Str(proof, "tree_size"), std::to_string(size));
    EXPECT_EQ(Str(proof, "root"), root);
    const std::string entry_hash = Str(proof, "entry_hash");
    EXPECT_EQ(entry_hash, PartsOf(demo_lines_[seq - 1]).hash);
    const json::Value* path = proof.Find("path");
    ASSERT_TRUE(path != nullptr && path->is_array());
    // The audit path of a leaf in a tree of n > 1 has between 1 and ceil(log2 n) nodes.
    EXPECT_EQ(path->items.empty(), size == 1);
    EXPECT_LE(path->items.size(), 8u);
    const json::Value* entry = proof.Find("entry");
    ASSERT_TRUE(entry != nullptr && entry->is_object());
    EXPECT_EQ(Str(*entry, "hash"), entry_hash);
    EXPECT_EQ(Str(*entry, "bytes"), PartsOf(demo_lines_[seq - 1]).bytes_base64);

    const CliRun good = CheckProof(proof_text, {digest});
    EXPECT_EQ(good.exit_code, 0) << good.out << good.err;
    EXPECT_TRUE(IsOk(ParseJson(good.out)));
    const CliRun people = Run({"check-proof", file.string(), "--digest", digest, "--lang", "en"});
    EXPECT_EQ(people.exit_code, 0);
    EXPECT_NE(people.out.find("proof OK"), std::string::npos) << people.out;

    // Each altered part: exit 1, {"ok": false} with the reason.
    auto expect_refused = [&](const std::string& altered, const std::vector<std::string>& heads,
                              const std::string& why, const std::string& problem) {
      const CliRun run = CheckProof(altered, heads);
      EXPECT_EQ(run.exit_code, 1) << why << ": " << run.out << run.err;
      const json::Value result = ParseJson(run.out);
      EXPECT_FALSE(IsOk(result)) << why;
      EXPECT_NE(Str(result, "problem").find(problem), std::string::npos) << why << ": " << run.out;
    };
    for (size_t i = 0; i < path->items.size(); ++i) {
      const std::string node = path->items[i].text;
      expect_refused(ReplaceFirst(proof_text, node, FlipHexDigit(node, i % 64)), {digest},
                     "path node " + std::to_string(i), "is not in the published tree");
    }
    const std::string hash_key = R"("entry_hash":")";
    expect_refused(
        ReplaceFirst(proof_text, hash_key + entry_hash, hash_key + FlipHexDigit(entry_hash, 5)),
        {digest}, "entry_hash", "is not in the published tree");
    // Another seq, with the entry left out so that only the tree can tell.
    const std::string no_entry =
        proof_text.substr(0, proof_text.find(R"(,"entry":)")) + R"(,"entry":null})";
    EXPECT_EQ(CheckProof(no_entry, {digest}).exit_code, 0) << no_entry;
    const uint64_t other_seq = seq < size ? seq + 1 : (seq > 1 ? seq - 1 : 2);
    expect_refused(ReplaceFirst(no_entry, R"("seq":)" + std::to_string(seq) + ",",
                                R"("seq":)" + std::to_string(other_seq) + ","),
                   {digest}, "seq", "is not in the published tree");
    // The head of another tree size given as this one's.
    const uint64_t other_size = size < head ? size + 1 : size - 1;
    expect_refused(proof_text, {std::to_string(size) + ":" + Digest(demo_db_, other_size)},
                   "another head", "is not in the published tree");
    // The head of this size not given at all: a usage error.
    EXPECT_EQ(CheckProof(proof_text, {std::to_string(other_size) + ":" + root}).exit_code, 2);
    // Another entry in the proof: a well-formed export line, not the entry proved.
    const std::string other_line = demo_lines_[seq < head ? seq : seq - 2];
    expect_refused(no_entry.substr(0, no_entry.size() - 5) + other_line + "}", {digest},
                   "another entry", "not the entry proved");

    // One changed byte in the embedded entry's rendering or base64: the proof file is refused
    // as malformed (check-proof reads the entry strictly: INVALID_ARGUMENT, exit 1).
    const size_t entry_at = proof_text.find(R"(,"entry":)");
    const size_t recorded = proof_text.find(R"("recorded_at":"2)", entry_at);
    ASSERT_NE(recorded, std::string::npos);
    std::string rendering = proof_text;
    rendering[recorded + 15] = '3';  // the year's first digit: 2xxx becomes 3xxx
    const CliRun bad_rendering = CheckProof(rendering, {digest});
    EXPECT_EQ(bad_rendering.exit_code, 1) << bad_rendering.out;
    EXPECT_EQ(ErrorCode(ParseJson(bad_rendering.out)), "INVALID_ARGUMENT") << bad_rendering.out;
    EXPECT_NE(ErrorMessage(ParseJson(bad_rendering.out)).find("differs"), std::string::npos)
        << bad_rendering.out;
    const size_t bytes_at = proof_text.find(R"("bytes":")", entry_at) + 9;
    std::string base64 = proof_text;
    base64[bytes_at + 12] = base64[bytes_at + 12] == 'A' ? 'B' : 'A';
    const CliRun bad_bytes = CheckProof(base64, {digest});
    EXPECT_EQ(bad_bytes.exit_code, 1) << bad_bytes.out;
    const json::Value bad_bytes_result = ParseJson(bad_bytes.out);
    EXPECT_FALSE(IsOk(bad_bytes_result));
    EXPECT_TRUE(ErrorCode(bad_bytes_result) == "INVALID_ARGUMENT" ||
                Str(bad_bytes_result, "problem").find("does not hash") != std::string::npos)
        << bad_bytes.out;
  }
}

TEST_F(AuditTest, ConsistencyProofsVerifyAndAlteredOnesFail) {
  ASSERT_NO_FATAL_FAILURE(UseDemo());
  const uint64_t head = demo_lines_.size();
  std::mt19937_64 random(7);
  std::vector<std::pair<uint64_t, uint64_t>> pairs = {{1, head}, {head, head}, {64, 100}};
  for (int i = 0; i < 3; ++i) {
    const uint64_t new_size = std::uniform_int_distribution<uint64_t>(1, head)(random);
    pairs.emplace_back(std::uniform_int_distribution<uint64_t>(1, new_size)(random), new_size);
  }
  for (const auto& [old_size, new_size] : pairs) {
    SCOPED_TRACE(std::to_string(old_size) + " -> " + std::to_string(new_size));
    const std::string old_root = Digest(demo_db_, old_size);
    const std::string new_root = Digest(demo_db_, new_size);
    const std::string old_head = std::to_string(old_size) + ":" + old_root;
    const std::string new_head = std::to_string(new_size) + ":" + new_root;
    const CliRun proved = Run({"--db", demo_db_, "prove", "--consistency", std::to_string(old_size),
                               std::to_string(new_size)});
    ASSERT_EQ(proved.exit_code, 0) << proved.out << proved.err;
    const json::Value proof = ParseJson(proved.out);
    EXPECT_EQ(Str(proof, "type"), "consistency");
    EXPECT_EQ(Str(proof, "old_size"), std::to_string(old_size));
    EXPECT_EQ(Str(proof, "new_size"), std::to_string(new_size));
    EXPECT_EQ(Str(proof, "old_root"), old_root);
    EXPECT_EQ(Str(proof, "new_root"), new_root);
    const json::Value* path = proof.Find("path");
    ASSERT_TRUE(path != nullptr && path->is_array());
    // RFC 6962 §2.1.2: empty exactly when the sizes are equal.
    EXPECT_EQ(path->items.empty(), old_size == new_size);

    const CliRun good = CheckProof(proved.out, {old_head, new_head});
    EXPECT_EQ(good.exit_code, 0) << good.out << good.err;
    EXPECT_TRUE(IsOk(ParseJson(good.out)));
    if (old_size == new_size) {
      // Equal sizes: one head stands for both, so the proof holds of whatever head is given
      // (a tree extends itself); two different heads for one size are a usage error, and a
      // path where none is due fails.
      EXPECT_EQ(CheckProof(proved.out, {old_head, old_head}).exit_code, 0);
      EXPECT_EQ(CheckProof(proved.out,
                           {old_head, std::to_string(old_size) + ":" + FlipHexDigit(old_root, 0)})
                    .exit_code,
                2);
      const CliRun padded =
          CheckProof(ReplaceFirst(proved.out, R"("path":[])", R"("path":[")" + old_root + R"("])"),
                     {old_head});
      EXPECT_EQ(padded.exit_code, 1) << padded.out;
      EXPECT_FALSE(IsOk(ParseJson(padded.out)));
      continue;
    }
    for (size_t i = 0; i < path->items.size(); ++i) {
      const std::string node = path->items[i].text;
      const CliRun run = CheckProof(ReplaceFirst(proved.out, node, FlipHexDigit(node, 63 - i)),
                                    {old_head, new_head});
      EXPECT_EQ(run.exit_code, 1) << "node " << i << ": " << run.out;
      EXPECT_FALSE(IsOk(ParseJson(run.out)));
    }
    // One node too many: the path must end at the new tree's root.
    const std::string last = path->items.back().text;
    const CliRun longer = CheckProof(
        ReplaceFirst(proved.out, '"' + last + "\"]", '"' + last + R"(",")" + last + "\"]"),
        {old_head, new_head});
    EXPECT_EQ(longer.exit_code, 1) << longer.out;
    const CliRun swapped = CheckProof(proved.out, {std::to_string(old_size) + ":" + new_root,
                                                   std::to_string(new_size) + ":" + old_root});
    EXPECT_EQ(swapped.exit_code, 1) << swapped.out;
    EXPECT_NE(Str(ParseJson(swapped.out), "problem").find("does not extend"), std::string::npos);
    EXPECT_EQ(CheckProof(proved.out, {new_head}).exit_code, 2);  // the old head not given
  }
}

TEST_F(AuditTest, ProveRefusesSizesOutsideTheLedger) {
  ASSERT_NO_FATAL_FAILURE(UseDemo());
  const uint64_t head = demo_lines_.size();
  auto expect_unknown = [&](const std::vector<std::string>& args, const std::string& says) {
    std::vector<std::string> full = {"--db", demo_db_, "prove"};
    full.insert(full.end(), args.begin(), args.end());
    full.push_back("--json");
    const CliRun run = Run(full);
    EXPECT_EQ(run.exit_code, 1) << run.out << run.err;
    const json::Value result = ParseJson(run.out);
    EXPECT_EQ(ErrorCode(result), "UNKNOWN_REFERENCE") << run.out;
    EXPECT_NE(ErrorMessage(result).find(says), std::string::npos) << run.out;
  };
  expect_unknown({"0"}, "entry 0 is not in a tree of " + std::to_string(head));
  expect_unknown({std::to_string(head + 1)}, "the ledger has " + std::to_string(head));
  expect_unknown({"5", "--digest", std::to_string(head + 1)},
                 "the ledger has " + std::to_string(head));
  expect_unknown({"5", "--digest", "4"}, "entry 5 is not in a tree of 4");
  expect_unknown({"--consistency", "5", "3"}, "1 <= OLD <= NEW");
  expect_unknown({"--consistency", "0", "3"}, "1 <= OLD <= NEW");
  expect_unknown({"--consistency", "3", std::to_string(head + 1)}, "1 <= OLD <= NEW");
  // Neither SEQ nor --consistency: a usage error; and a ledger that is not there.
  EXPECT_EQ(Run({"--db", demo_db_, "prove"}).exit_code, 2);
  const CliRun nothing = Run({"--db", (dir_ / "none").string(), "prove", "1", "--json"});
  EXPECT_EQ(nothing.exit_code, 2);
  EXPECT_EQ(ErrorCode(ParseJson(nothing.out)), "NO_LEDGER");
}

// ---- 5. state --at-seq: the postings summed by hand.

TEST_F(AuditTest, StateAtSeqSumsThePostings) {
  ASSERT_NO_FATAL_FAILURE(ApplyAll(db_, SmallLedger()));
  struct Expected {
    uint64_t seq;
    std::string bank, cases, suspense, fees, a, b;  // "" for a case with no posting yet
  };
  const std::vector<Expected> expected = {
      // Two cases opened, nothing received.
      {2, "0.00", "0.00", "0.00", "0.00", "", ""},
      // Receipts 50,000 to A and 8,000 to B: bank 58,000.
      {4, "58000.00", "58000.00", "0.00", "0.00", "50000.00", "8000.00"},
      // Fee 500 from A to the fee account: A 49,500, cases 57,500, fees 500; bank unchanged.
      {5, "58000.00", "57500.00", "0.00", "500.00", "49500.00", "8000.00"},
      // Request and approval move no money.
      {7, "58000.00", "57500.00", "0.00", "500.00", "49500.00", "8000.00"},
      // 30,000 paid out of A: bank 28,000, A 19,500, cases 27,500.
      {8, "28000.00", "27500.00", "0.00", "500.00", "19500.00", "8000.00"},
      // 1,234.56 unidentified: bank 29,234.56 = 27,500 + 1,234.56 + 500.
      {9, "29234.56", "27500.00", "1234.56", "500.00", "19500.00", "8000.00"},
  };
  for (const Expected& e : expected) {
    SCOPED_TRACE("after seq " + std::to_string(e.seq));
    const CliRun run = Run({"--db", db_, "state", "--at-seq", std::to_string(e.seq), "--json"});
    ASSERT_EQ(run.exit_code, 0) << run.out << run.err;
    const json::Value state = ParseJson(run.out);
    EXPECT_EQ(Str(state, "seq"), std::to_string(e.seq));
    EXPECT_EQ(Str(state, "bank"), e.bank);
    EXPECT_EQ(Str(state, "cases"), e.cases);
    EXPECT_EQ(Str(state, "suspense"), e.suspense);
    EXPECT_EQ(Str(state, "fees"), e.fees);
    EXPECT_EQ(Str(state, "lodged"), "0.00");
    EXPECT_TRUE(BoolIs(state, "agree", true));
    std::vector<std::pair<std::string, std::string>> balances;
    if (!e.a.empty()) balances.emplace_back(kCaseA, e.a);
    if (!e.b.empty()) balances.emplace_back(kCaseB, e.b);
    const json::Value* listed = state.Find("case_balances");
    ASSERT_TRUE(listed != nullptr && listed->is_array());
    std::vector<std::pair<std::string, std::string>> got;
    for (const json::Value& row : listed->items) {
      got.emplace_back(Str(row, "case_no"), Str(row, "balance"));
    }
    EXPECT_EQ(got, balances);
  }
  // The hash after seq 4 is entry 4's, as exported.
  const std::vector<std::string> lines = SplitLines(Export(db_));
  ASSERT_EQ(lines.size(), 9u);
  EXPECT_EQ(Str(ParseJson(Run({"--db", db_, "state", "--at-seq", "4", "--json"}).out), "hash"),
            PartsOf(lines[3]).hash);
  EXPECT_EQ(Str(ParseJson(Run({"--db", db_, "state", "--at-seq", "4", "--json"}).out), "on"),
            "2024-03-05");

  // At the head, state (from postings) and balance (from stored state) agree.
  const json::Value head_state = ParseJson(Run({"--db", db_, "state", "--json"}).out);
  const json::Value balance = ParseJson(Run({"--db", db_, "balance", "--json"}).out);
  EXPECT_EQ(Str(head_state, "seq"), "9");
  EXPECT_EQ(Str(head_state, "hash"), PartsOf(lines[8]).hash);
  for (const char* key : {"bank", "cases", "suspense", "fees", "lodged"}) {
    EXPECT_EQ(Str(head_state, key), Str(balance, key)) << key;
  }
  EXPECT_EQ(Str(balance, "bank"), "29234.56");

  const CliRun beyond = Run({"--db", db_, "state", "--at-seq", "10", "--json"});
  EXPECT_EQ(beyond.exit_code, 1);
  EXPECT_EQ(ErrorCode(ParseJson(beyond.out)), "UNKNOWN_REFERENCE");
  fs::create_directories(dir_ / "empty");
  const CliRun empty = Run({"--db", (dir_ / "empty").string(), "state", "--json"});
  EXPECT_EQ(empty.exit_code, 2);
  EXPECT_EQ(ErrorCode(ParseJson(empty.out)), "NO_LEDGER");

  const CliRun chinese = Run({"--db", db_, "state", "--at-seq", "8"});
  EXPECT_EQ(chinese.exit_code, 0);
  EXPECT_NE(chinese.out.find("专户银行余额"), std::string::npos) << chinese.out;
  EXPECT_NE(chinese.out.find("28,000.00"), std::string::npos) << chinese.out;
  EXPECT_NE(chinese.out.find("19,500.00"), std::string::npos) << chinese.out;
  const CliRun english = Run({"--db", db_, "--lang", "en", "state", "--at-seq", "8"});
  EXPECT_EQ(english.exit_code, 0);
  EXPECT_NE(english.out.find("bank"), std::string::npos) << english.out;
  EXPECT_EQ(english.out.find("专户银行余额"), std::string::npos) << english.out;
  EXPECT_NE(english.out.find("28,000.00"), std::string::npos) << english.out;
}

// ---- 6. digest is the RFC 6962 tree head, recomputed here from the export.

TEST_F(AuditTest, DigestIsTheTreeHeadComputedByHand) {
  ASSERT_NO_FATAL_FAILURE(
      ApplyAll(db_, {OpenCase("open-a", kCaseA, "100000"),
                     Receipt("rcpt-1", "2024-03-04", kCaseA, "1000.00", "B1"),
                     Receipt("rcpt-2", "2024-03-05", kCaseA, "2000.00", "B2")}));
  const std::vector<std::string> lines = SplitLines(Export(db_));
  ASSERT_EQ(lines.size(), 3u);
  std::vector<std::string> hashes;
  std::string prev(32, '\0');
  for (const std::string& line : lines) {
    const ExportParts parts = PartsOf(line);
    EXPECT_EQ(parts.seq, hashes.size() + 1);
    EXPECT_EQ(parts.prev_hash, Hex(prev));
    // The chain by hand (SPEC §5): prev ‖ seq (8 bytes, big-endian) ‖ bytes.
    const std::string hash = ChainHash(prev, parts.seq, Unbase64(parts.bytes_base64));
    EXPECT_EQ(Hex(hash), parts.hash) << "entry " << parts.seq;
    hashes.push_back(Unhex(parts.hash));
    prev = hash;
  }
  ASSERT_EQ(hashes.size(), 3u);
  const std::string l1 = Leaf(hashes[0]), l2 = Leaf(hashes[1]), l3 = Leaf(hashes[2]);
  // RFC 6962: for 3 leaves the split is at 2 (the largest power of two below 3).
  const std::string root = Node(Node(l1, l2), l3);

  const json::Value digest = ParseJson(Run({"--db", db_, "digest", "--json"}).out);
  EXPECT_EQ(Str(digest, "seq"), "3");
  EXPECT_EQ(Str(digest, "hash"), Hex(root));
  EXPECT_EQ(Digest(db_, 2), Hex(Node(l1, l2)));
  EXPECT_EQ(Digest(db_, 1), Hex(l1));
  // Not the other split, nor the plain hashes.
  EXPECT_NE(Str(digest, "hash"), Hex(Node(l1, Node(l2, l3))));
  EXPECT_NE(Digest(db_, 1), PartsOf(lines[0]).hash);

  // verify reports the same head, and digest --at-seq beyond the head is refused.
  const json::Value report = ParseJson(Run({"--db", db_, "verify", "--json"}).out);
  EXPECT_EQ(Str(*report.Find("digest"), "hash"), Hex(root));
  const CliRun beyond = Run({"--db", db_, "digest", "--at-seq", "4", "--json"});
  EXPECT_EQ(beyond.exit_code, 1);
  EXPECT_EQ(ErrorCode(ParseJson(beyond.out)), "UNKNOWN_REFERENCE");

  // An inclusion proof of entry 3 in the tree of 3 is the one node node(L1, L2).
  const json::Value proof = ParseJson(Run({"--db", db_, "prove", "3"}).out);
  const json::Value* path = proof.Find("path");
  ASSERT_TRUE(path != nullptr && path->is_array());
  ASSERT_EQ(path->items.size(), 1u);
  EXPECT_EQ(path->items[0].text, Hex(Node(l1, l2)));

  // The empty tree's head is SHA-256 of nothing (RFC 6962 §2.1).
  EXPECT_EQ(Digest(db_, 0), Hex(Sha256("")));
}

// A published head of zero entries is a head like any other: verify --file compares it.
TEST_F(AuditTest, VerifyFileChecksAHeadOfZeroEntries) {
  ASSERT_NO_FATAL_FAILURE(ApplyAll(db_, {OpenCase("open-a", kCaseA, "100000")}));
  const fs::path file = dir_ / "export.jsonl";
  WriteFile(file, Export(db_));
  const std::string empty_root = Hex(Sha256(""));
  EXPECT_EQ(VerifyFile(file, {"0:" + empty_root}).exit_code, 0);
  const CliRun wrong = VerifyFile(file, {"0:" + FlipHexDigit(empty_root, 0)});
  EXPECT_EQ(wrong.exit_code, 3) << wrong.out;
  EXPECT_FALSE(IsOk(ParseJson(wrong.out))) << wrong.out;
}

// The readable rendering escapes some characters (protobuf's JSON printer writes '<' and '>'
// as \u003c and \u003e); a proof of such an entry is still the entry as exported, and verifies.
TEST_F(AuditTest, ProofOfAnEntryWithEscapedCharactersVerifies) {
  ASSERT_NO_FATAL_FAILURE(
      ApplyAll(db_, {OpenCase("open-a", kCaseA, "100000"),
                     Cmd("unid-1", "2024-03-04",
                         R"("unidentified_receipt":{"amount":"300.00","bank_ref":"U1",)"
                         R"("payer":"兰州<某>公司","memo":"<待查>"})")}));
  const std::vector<std::string> lines = SplitLines(Export(db_));
  ASSERT_EQ(lines.size(), 2u);
  EXPECT_NE(lines[1].find("\\u003c"), std::string::npos) << lines[1];
  const fs::path file = dir_ / "export.jsonl";
  WriteFile(file, JoinLines(lines));
  EXPECT_EQ(VerifyFile(file).exit_code, 0);
  const std::string digest = "2:" + Digest(db_, 2);
  for (const char* seq : {"1", "2"}) {
    const CliRun proved = Run({"--db", db_, "prove", seq});
    ASSERT_EQ(proved.exit_code, 0) << proved.err;
    const CliRun checked = CheckProof(proved.out, {digest});
    EXPECT_EQ(checked.exit_code, 0) << "entry " << seq << ": " << checked.out;
    EXPECT_TRUE(IsOk(ParseJson(checked.out))) << checked.out;
  }
}

TEST_F(AuditTest, AFailedWriteIsAnIoErrorAndLeavesNoHalfFile) {
  ASSERT_NO_FATAL_FAILURE(UseDemo());
  // A full disk: /dev/full refuses every write. The device itself must survive the clean-up.
  if (!fs::is_character_file("/dev/full")) GTEST_SKIP() << "no /dev/full here";
  for (const std::vector<std::string>& args :
       {std::vector<std::string>{"export", "--format", "jsonl", "-o", "/dev/full"},
        std::vector<std::string>{"export", "--format", "journal", "-o", "/dev/full"},
        std::vector<std::string>{"prove", "3", "-o", "/dev/full"}}) {
    std::vector<std::string> full = {"--db", demo_db_};
    full.insert(full.end(), args.begin(), args.end());
    full.push_back("--lang=en");
    const CliRun run = Run(full);
    EXPECT_EQ(run.exit_code, 1) << args[0] << ": " << run.err;
    EXPECT_NE(run.err.find("IO_ERROR"), std::string::npos) << run.err;
    EXPECT_TRUE(fs::is_character_file("/dev/full")) << args[0] << " removed /dev/full";
  }
  // A directory that does not exist: a usage error, and nothing created.
  const fs::path missing = dir_ / "no-such-dir" / "export.jsonl";
  const CliRun run = Run({"--db", demo_db_, "export", "-o", missing.string()});
  EXPECT_EQ(run.exit_code, 2) << run.err;
  EXPECT_FALSE(fs::exists(missing.parent_path()));
}

}  // namespace
}  // namespace caseledger

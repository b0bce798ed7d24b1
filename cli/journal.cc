// caseledger export --format journal (SPEC §5): the ledger as a plain-text accounting journal
// that hledger (1.25) and ledger-cli (3.3) read, also in their strict modes (hledger -s,
// ledger --pedantic): every account, commodity and tag is declared before use.
//
// One transaction per entry that has postings, in seq order, dated by the command's `on`:
//
//   2024-03-05 receipt (2024)甘0102执1234号
//       ; seq: 17
//       ; hash: 3f5a...
//       ; request_id: receipt-20240305-001
//       assets:bank                              50000.00 CNY
//       liabilities:cases:(2024)甘0102执1234号  -50000.00 CNY
//
// A posting's amount is the entry's amount_fen as is (debit +, credit −), so assets:bank shows
// the bank balance and every liability shows minus what the court owes. The request_id stays
// out of the description (it may hold '|', which hledger reads as payee|note, or ';'); in a
// comment it is harmless, though hledger ends a tag value at a ',' and ledger-cli does not.
// Entries without postings (open_case, hold, ...) are written as one comment line each, so that
// the journal accounts for every seq from 1 to the head.
//
// hledger reads the file in the locale's encoding: without a UTF-8 locale (LANG=C, or none, as
// under cron) it stops at the first case number with "hGetContents: invalid byte sequence";
// run it with LC_ALL=C.UTF-8. ledger-cli reads bytes and needs nothing.
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "cli/commands.h"
#include "cli/output.h"
#include "core/command_json.h"
#include "core/engine.h"
#include "core/identifiers.h"
#include "core/money.h"
#include "fmt/format.h"
#include "ledger/ledger.h"

namespace caseledger::cli {
namespace {

constexpr char kJournalCasePrefix[] = "liabilities:cases:";
// Progress on a terminal every this many entries: often enough to show a large export moving,
// rarely enough to cost nothing.
constexpr uint64_t kProgressEveryEntries = 100000;

// What the header explains after saying where the journal comes from.
constexpr char kHeaderNotes[] =
    "; accounts: bank = assets:bank, case:CASE_NO = liabilities:cases:CASE_NO,\n"
    ";   suspense = liabilities:suspense, fees = liabilities:fees,\n"
    ";   lodgment = liabilities:lodgment, interest = liabilities:interest,\n"
    ";   charges = assets:charges (bank charges the court's budget owes back)\n"
    "; liabilities show negative balances: what the court owes. Amounts are exact, in yuan.\n"
    "; one transaction per entry that moved money, in seq order; an entry that moved none is\n"
    "; a comment line.\n\n";
// What hledger -s and ledger-cli --pedantic need declared. `commodity CNY` with a `format`
// line, because ledger-cli reads hledger's one-line `commodity 0.00 CNY` as a commodity named
// "0.00 CNY" (and --pedantic then calls CNY unknown).
constexpr char kDeclarations[] =
    "commodity CNY\n    format 1000.00 CNY\n\n"
    "tag seq\ntag hash\ntag request_id\n\n"
    "account assets:bank\naccount liabilities:suspense\naccount liabilities:fees\n"
    "account liabilities:lodgment\naccount liabilities:interest\naccount assets:charges\n";

// Text that must stay on one comment line: control characters (a line break in a directory
// name) become '?'.
std::string OneLine(std::string_view text) {
  std::string line(text);
  for (char& c : line) {
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) c = '?';
  }
  return line;
}

// A case number inside an account name: hledger and ledger-cli end an account name at a tab or
// two spaces and a posting at ';', so none of those may occur. Case numbers are checked when a
// case is opened; this pairs that check on the way out of the store.
// `where` says where it was found, for the error.
Status CheckCaseForAccount(std::string_view case_no, const std::string& where) {
  const std::optional<std::u32string> code_points = DecodeUtf8(case_no);
  bool fits = code_points.has_value() && !code_points->empty();
  for (char32_t c : code_points.value_or(U"")) {
    if (IsWhitespaceCodePoint(c) || c < 0x20 || c == 0x7f || c == U';') fits = false;
  }
  if (fits) return Status::Ok();
  return Status::Corruption(
      fmt::format("{}: case number {} cannot be a journal account", where, OneLine(case_no)));
}

// The journal account of a ledger account (the mapping the header states).
Result<std::string> JournalAccount(const std::string& account, uint64_t seq) {
  if (account == "bank") return std::string("assets:bank");
  if (account == "suspense") return std::string("liabilities:suspense");
  if (account == "fees") return std::string("liabilities:fees");
  if (account == "lodgment") return std::string("liabilities:lodgment");
  if (account == "interest") return std::string("liabilities:interest");
  if (account == "charges") return std::string("assets:charges");
  if (const std::optional<std::string_view> case_no = CaseOfPostingAccount(account)) {
    CASELEDGER_RETURN_IF_ERROR(CheckCaseForAccount(*case_no, fmt::format("entry {}", seq)));
    return kJournalCasePrefix + std::string(*case_no);
  }
  return Status::Corruption(
      fmt::format("entry {}: posting to unknown account {}", seq, OneLine(account)));
}

// The case an entry is about: the operation's own case_no, else the one case its postings
// touch (confirm_disbursement names a disbursement, not a case); "" for none or several.
std::string CaseOf(const pb::Entry& entry) {
  const pb::Command& command = entry.command();
  if (command.op_case() != pb::Command::OP_NOT_SET) {
    const google::protobuf::Message& op = OperationMessage(command);
    const auto* field = op.GetDescriptor()->FindFieldByName("case_no");
    if (field != nullptr && !field->is_repeated() &&
        field->type() == google::protobuf::FieldDescriptor::TYPE_STRING) {
      const std::string case_no = op.GetReflection()->GetString(op, field);
      // The command keeps the number as typed, （2024） perhaps; the accounts use the stored
      // form, (2024), and so does the description, so that one search finds both.
      Result<CaseNumber> number = ParseCaseNumber(case_no, "case_no");
      if (number.ok()) return number->text;
      if (!case_no.empty()) return case_no;
    }
  }
  std::set<std::string_view> cases;
  for (const pb::Posting& posting : entry.postings()) {
    std::string_view account = posting.account();
    if (auto case_no = CaseOfPostingAccount(account)) cases.insert(std::string(*case_no));
  }
  return cases.size() == 1 ? std::string(*cases.begin()) : "";
}

// "receipt (2024)甘0102执1234号", or the operation alone. Neither part holds ';' or '|' (case
// numbers are validated), and the operation comes first so ledger-cli never reads "(2024)" as
// a transaction code.
std::string Description(const pb::Entry& entry) {
  const std::string operation = OperationName(entry.command());
  const std::string case_no = CaseOf(entry);
  return case_no.empty() ? operation : operation + " " + OneLine(case_no);
}

// One transaction: postings aligned for people (accounts padded by display width, amounts to
// the right), at least two spaces between account and amount as both tools require. Checks
// again that the postings sum to zero, which hledger and ledger-cli would otherwise refuse.
Result<std::string> Transaction(const StoredEntry& stored) {
  const pb::Entry& entry = stored.entry;
  std::vector<std::pair<std::string, std::string>> lines;  // account, amount
  size_t account_width = 0, amount_width = 0;
  Fen sum = 0;
  for (const pb::Posting& posting : entry.postings()) {
    CASELEDGER_ASSIGN_OR_RETURN(std::string account, JournalAccount(posting.account(), stored.seq));
    std::string amount = FormatAmount(Fen(posting.amount_fen())) + " CNY";
    sum += posting.amount_fen();
    account_width = std::max(account_width, DisplayWidth(account));
    amount_width = std::max(amount_width, amount.size());
    lines.emplace_back(std::move(account), std::move(amount));
  }
  if (sum != 0) {
    return Status::Corruption(
        fmt::format("entry {}: postings sum to {}, not zero", stored.seq, FormatAmount(sum)));
  }
  std::string text = fmt::format("\n{} {}\n    ; seq: {}\n    ; hash: {}\n    ; request_id: {}\n",
                                 OneLine(entry.command().on()), Description(entry), stored.seq,
                                 HexOf(stored.hash), OneLine(entry.command().request_id()));
  for (const auto& [account, amount] : lines) {
    const size_t padding = account_width - DisplayWidth(account) + 2 + amount_width - amount.size();
    text += "    " + account + std::string(padding, ' ') + amount + "\n";
  }
  return text;
}

// An entry that moved no money, as one top-level comment line.
std::string NoMoneyComment(const StoredEntry& stored) {
  const pb::Entry& entry = stored.entry;
  return fmt::format("\n; seq {}, {} {}: no money moved (hash: {}, request_id: {})\n", stored.seq,
                     OneLine(entry.command().on()), Description(entry), HexOf(stored.hash),
                     OneLine(entry.command().request_id()));
}

// Through the stdio buffer, so a large ledger is never one string in memory; a failed write
// sets the stream's error flag, checked once at the end.
// Null: the command's standard output (cli/sink.h).
void Write(std::FILE* out, std::string_view text) {
  if (out == nullptr) {
    WriteOut(text);
  } else {
    std::fwrite(text.data(), 1, text.size(), out);
  }
}

// The header: where the journal comes from, the mapping, and the declarations strict modes need
// (every case account, from the same read-only view as the entries).
Status WriteHeader(Ledger* ledger, const std::string& db, std::FILE* out) {
  Write(out, fmt::format("; caseledger journal (caseledger export --format journal, SPEC §5)\n"
                         "; ledger: {}\n; head seq: {}\n; head hash: {}\n",
                         OneLine(db), ledger->head_seq(), HexOf(ledger->head_hash())));
  Write(out, kHeaderNotes);
  Write(out, kDeclarations);
  Status bad_case;
  Status status = ledger->ForEachCase([&](const pb::CaseRecord& record) {
    Status fits = CheckCaseForAccount(record.case_no(), "case record");
    if (!fits.ok()) {
      if (bad_case.ok()) bad_case = fits;
      return;
    }
    Write(out, fmt::format("account {}{}\n", kJournalCasePrefix, record.case_no()));
  });
  return status.ok() ? bad_case : status;
}

Status WriteJournal(Ledger* ledger, const std::string& db, std::FILE* out) {
  CASELEDGER_RETURN_IF_ERROR(WriteHeader(ledger, db, out));
  const uint64_t head = ledger->head_seq();
  const bool progress = OutIsStdout() && isatty(STDERR_FILENO) == 1;
  for (uint64_t seq = 1; seq <= head; ++seq) {
    CASELEDGER_ASSIGN_OR_RETURN(StoredEntry stored, ledger->GetEntry(seq));
    if (stored.entry.postings().empty()) {
      Write(out, NoMoneyComment(stored));
    } else {
      CASELEDGER_ASSIGN_OR_RETURN(std::string transaction, Transaction(stored));
      Write(out, transaction);
    }
    if (progress && seq % kProgressEveryEntries == 0) {
      WriteErr(fmt::format("export: {} / {} entries\r", seq, head));
    }
  }
  if (progress && head >= kProgressEveryEntries) WriteErr("\n");
  // A truncated file would still read as a valid journal: the last line says it is whole.
  Write(out, fmt::format("\n; end of journal: seq 1 to {}\n", head));
  return Status::Ok();
}

}  // namespace

int RunExportJournal(const Globals& globals, const ExportOptions& options) {
  // The journal is plain text by definition, and on stdout a JSON error would land inside it;
  // --json is refused rather than silently ignored so a script learns it gets no JSON.
  if (globals.json) {
    return Usage(
        "--json does not apply to export --format journal (plain text); "
        "use --format jsonl for JSON");
  }
  auto ledger = OpenReading(globals);
  if (!ledger.ok()) return ReportError(ledger.status(), globals.json);
  const bool to_stdout = options.output.empty() || options.output == "-";
  std::FILE* file = to_stdout ? nullptr : std::fopen(options.output.c_str(), "wb");
  if (!to_stdout && file == nullptr) {
    return Usage("cannot write " + options.output + ": " + std::strerror(errno));
  }
  Status status = WriteJournal(ledger->get(), globals.db, file);
  errno = 0;
  const bool write_failed =
      to_stdout ? !FlushOut() : std::fflush(file) != 0 || std::ferror(file) != 0;
  const int write_errno = errno;
  const bool close_failed = !to_stdout && std::fclose(file) != 0;
  if (status.ok() && (write_failed || close_failed)) {
    status = Status::IoError(fmt::format("writing the journal to {}: {}",
                                         to_stdout ? "stdout" : options.output,
                                         std::strerror(write_errno != 0 ? write_errno : EIO)));
  }
  if (!status.ok()) {
    // Half a journal must not pass for the whole ledger.
    std::error_code ignored;
    // Only a regular file we wrote: never a device such as /dev/stdout.
    if (!to_stdout && std::filesystem::is_regular_file(options.output, ignored)) {
      std::filesystem::remove(options.output, ignored);
    }
    return ReportError(status, globals.json);
  }
  return kExitOk;
}

}  // namespace caseledger::cli

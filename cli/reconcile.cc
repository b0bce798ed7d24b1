// caseledger reconcile: the bank statement against the ledger (SPEC §4), printed as a
// reconciliation statement (余额调节表), JSON (SPEC §8) or CSV; --record books bank-only
// receipts (ReconcileStatement, ledger/reconciling.h, gathers, matches and books).
#include "core/reconcile.h"

#include <fcntl.h>
#include <fmt/core.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <map>

#include "cli/commands.h"
#include "cli/report_labels.h"
#include "core/csv.h"
#include "core/identifiers.h"
#include "core/json.h"
#include "core/limits.h"
#include "core/money.h"
#include "core/statement.h"
#include "ledger/ledger.h"
#include "ledger/reconciling.h"

namespace caseledger::cli {
std::string_view MatchedByName(MatchedBy by) {
  switch (by) {
    case MatchedBy::kBankRef:
      return "bank_ref";
    case MatchedBy::kVirtualAccount:
      return "virtual_account";
    case MatchedBy::kBatchRef:
      return "batch_ref";
  }
  return "";
}

std::string MatchedByLabel(Lang lang, MatchedBy by) {
  switch (by) {
    case MatchedBy::kBankRef:
      return L(lang, "按流水号", "by bank_ref");
    case MatchedBy::kVirtualAccount:
      return L(lang, "按虚拟账号、金额、日期", "by virtual account, amount and date");
    case MatchedBy::kBatchRef:
      return L(lang, "按批量流水号", "by batch_ref");
  }
  return "";
}

namespace {

// Everything a reconcile run prints.
struct Report {
  std::string file;
  const std::vector<StatementLine>* lines = nullptr;
  const BankActivity* activity = nullptr;
  const Reconciliation* rec = nullptr;
  int window_days = 0;
  bool recording = false;
  std::vector<RecordOutcome> outcomes;

  const StatementLine& Line(size_t i) const { return (*lines)[i]; }
  const BankMovement& Movement(size_t i) const { return activity->movements[i]; }
  size_t Count(RecordOutcome::Kind kind) const {
    size_t n = 0;
    for (const auto& o : outcomes) n += o.kind == kind ? 1 : 0;
    return n;
  }
};

// ---- Input.

bool ParsePeriod(const std::string& text, std::optional<std::pair<Date, Date>>* period) {
  if (text.empty()) return true;
  const size_t colon = text.find(':');
  if (colon == std::string::npos) {
    WriteErr("caseledger: --period: give FROM:TO, e.g. 2024-03-01:2024-03-31\n");
    return false;
  }
  Result<Date> from = Date::Parse(text.substr(0, colon), "--period FROM");
  Result<Date> to = Date::Parse(text.substr(colon + 1), "--period TO");
  for (const Status& status : {from.status(), to.status()}) {
    if (!status.ok()) {
      WriteErr("caseledger: " + status.message() + "\n");
      return false;
    }
  }
  if (*to < *from) {
    WriteErr("caseledger: --period: TO is before FROM\n");
    return false;
  }
  *period = std::pair(*from, *to);
  return true;
}

Status TooLarge(const std::string& path) {
  return Status::InvalidArgument(
      fmt::format("{}: the statement is larger than {} bytes; reconcile it by period", path,
                  kStatementBytesMax));
}

// The whole file into *bytes, or *too_large; false (after saying why) when it cannot be read,
// a usage error.
bool ReadStatementFile(const std::string& path, std::string* bytes, Status* too_large) {
  const int fd = open(path.c_str(), O_RDONLY | O_CLOEXEC);
  struct stat info {};
  int error = 0;
  if (fd < 0 || fstat(fd, &info) != 0) {
    error = errno;
  } else if (S_ISDIR(info.st_mode)) {
    error = EISDIR;
  } else if (static_cast<uint64_t>(info.st_size) > kStatementBytesMax) {
    *too_large = TooLarge(path);
  } else {
    bytes->reserve(static_cast<size_t>(info.st_size));
  }
  char chunk[1 << 16];
  while (error == 0 && too_large->ok()) {
    const ssize_t n = read(fd, chunk, sizeof chunk);
    if (n == 0) break;
    if (n < 0) {
      if (errno != EINTR) error = errno;
      continue;
    }
    // The file may grow while it is read: the limit holds for what is read.
    if (bytes->size() + static_cast<size_t>(n) > kStatementBytesMax) *too_large = TooLarge(path);
    bytes->append(chunk, static_cast<size_t>(n));
  }
  if (fd >= 0) close(fd);
  if (error != 0) {
    WriteErr("caseledger: cannot read " + path + ": " + std::strerror(error) + "\n");
    return false;
  }
  return true;
}

// ---- JSON (SPEC §8).

void LineJson(json::Writer& w, const StatementLine& line) {
  w.Key("bank_ref").String(line.bank_ref).Key("amount").String(FormatAmount(line.amount_fen));
  w.Key("direction").String(DirectionName(line.direction));
  w.Key("value_date").String(line.value_date.ToString()).Key("row").Int(int64_t(line.row));
}

void MovementJson(json::Writer& w, const BankMovement& m) {
  w.Key("bank_ref").String(m.bank_ref).Key("amount").String(FormatAmount(m.amount_fen));
  w.Key("direction").String(DirectionName(m.direction));
  w.Key("value_date").String(m.date.ToString()).Key("on").String(m.on.ToString());
  w.Key("seq").Int(int64_t(m.seq)).Key("request_id").String(m.request_id);
  w.Key("op").String(WireName(m.op));
  w.Key("case_no").OptionalString(m.case_no.empty() ? std::nullopt : std::optional(m.case_no));
}

// Output that goes to stdout in pieces: the JSON or CSV of a million lines is hundreds of
// megabytes, never held whole.
class Stream {
 public:
  Stream() = default;
  Stream(const Stream&) = delete;
  Stream& operator=(const Stream&) = delete;
  ~Stream() { Flush(); }
  void Append(std::string_view text) {
    buffer_.append(text);
    if (buffer_.size() >= kFlushBytes) Flush();
  }
  void Flush() {
    Out(buffer_);
    buffer_.clear();
  }

 private:
  static constexpr size_t kFlushBytes = size_t{1} << 20;
  std::string buffer_;
};

// `,"key":[...]`: one object per item, each filled by `fill(writer, item)`.
template <typename Items, typename Fill>
void JsonArray(Stream& out, std::string_view key, const Items& items, Fill fill) {
  out.Append(",");
  out.Append(json::Quote(key));
  out.Append(":[");
  bool first = true;
  for (const auto& item : items) {
    json::Writer w;
    w.BeginObject();
    fill(w, item);
    w.EndObject();
    if (!first) out.Append(",");
    first = false;
    out.Append(w.str());
  }
  out.Append("]");
}

// A batch line's items: the seqs of the outflows it paid (SPEC §4).
void ItemsJson(json::Writer& w, const Report& r, const std::vector<size_t>& batch) {
  if (batch.empty()) return;
  w.Key("items").BeginArray();
  for (size_t m : batch) w.Int(int64_t(r.Movement(m).seq));
  w.EndArray();
}

void MatchedJson(json::Writer& w, const Report& r, const MatchedPair& pair) {
  const BankMovement& m = r.Movement(pair.movement);
  LineJson(w, r.Line(pair.line));
  w.Key("seq").Int(int64_t(m.seq)).Key("op").String(WireName(m.op));
  w.Key("matched_by").String(MatchedByName(pair.by));
  ItemsJson(w, r, pair.batch);
  w.Key("ledger_bank_ref").String(m.bank_ref).Key("ledger_date").String(m.date.ToString());
  w.Key("ledger_on").String(m.on.ToString());
}

void MismatchedJson(json::Writer& w, const Report& r, const MismatchedPair& pair) {
  const StatementLine& line = r.Line(pair.line);
  const BankMovement& m = r.Movement(pair.movement);
  LineJson(w, line);
  w.Key("bank_amount").String(FormatAmount(line.amount_fen));
  w.Key("bank_direction").String(DirectionName(line.direction));
  w.Key("bank_value_date").String(line.value_date.ToString());
  const Fen ledger = LedgerSide(r.activity->movements, pair.movement, pair.batch);
  w.Key("ledger_amount").String(FormatAmount(ledger < 0 ? -ledger : ledger));
  w.Key("ledger_direction").String(DirectionName(ledger < 0 ? Direction::kOut : Direction::kIn));
  w.Key("ledger_date").String(m.date.ToString()).Key("seq").Int(int64_t(m.seq));
  w.Key("op").String(WireName(m.op));
  ItemsJson(w, r, pair.batch);
}

void BankOnlyJson(json::Writer& w, const StatementLine& line) {
  LineJson(w, line);
  w.Key("counterparty").String(line.counterparty);
  w.Key("counterparty_account").String(line.counterparty_account);
  w.Key("virtual_account").String(line.virtual_account).Key("memo").String(line.memo);
}

void OutcomeJson(json::Writer& w, const Report& r, const RecordOutcome& o) {
  using Kind = RecordOutcome::Kind;
  LineJson(w, r.Line(o.line));
  w.Key("request_id").String(o.request_id);
  if (o.kind == Kind::kRecorded) {
    w.Key("seq").Int(int64_t(o.seq)).Key("op").String(WireName(o.op));
    w.Key("case_no").OptionalString(o.case_no.empty() ? std::nullopt : std::optional(o.case_no));
  } else if (o.kind == Kind::kNotRecorded) {
    w.Key("op").String(WireName(o.op)).Key("error").BeginObject();
    w.Key("code").String(CodeName(o.status.code()));
    w.Key("message").String(o.status.message()).EndObject();
  } else if (o.seq != 0) {
    w.Key("seq").Int(int64_t(o.seq)).Key("ledger_date").String(o.ledger_date);
  }
}

// `,"key":value` for a scalar.
void JsonScalar(Stream& out, std::string_view key, const std::string& json_value) {
  out.Append(",");
  out.Append(json::Quote(key));
  out.Append(":");
  out.Append(json_value);
}

void ReportJson(const Report& r, Stream& out) {
  const Reconciliation& rec = *r.rec;
  out.Append("{\"period\":{\"from\":" + json::Quote(rec.from.ToString()) +
             ",\"to\":" + json::Quote(rec.to.ToString()) + "}");
  JsonArray(out, "matched", rec.matched,
            [&](json::Writer& w, const MatchedPair& pair) { MatchedJson(w, r, pair); });
  JsonArray(out, "mismatched", rec.mismatched,
            [&](json::Writer& w, const MismatchedPair& pair) { MismatchedJson(w, r, pair); });
  JsonArray(out, "bank_only", rec.bank_only,
            [&](json::Writer& w, size_t i) { BankOnlyJson(w, r.Line(i)); });
  JsonArray(out, "ledger_only", rec.ledger_only,
            [&](json::Writer& w, size_t i) { MovementJson(w, r.Movement(i)); });
  const std::pair<const char*, const Fen*> balances[] = {
      {"ledger_balance", &rec.ledger_balance_fen},
      {"statement_balance", &rec.statement_balance_fen},
      {"adjusted_ledger_balance", &rec.adjusted_ledger_balance_fen},
      {"adjusted_statement_balance", &rec.adjusted_statement_balance_fen}};
  for (const auto& [key, fen] : balances) JsonScalar(out, key, json::Quote(FormatAmount(*fen)));
  JsonScalar(out, "agree", rec.agree ? "true" : "false");
  using Kind = RecordOutcome::Kind;
  for (const auto& [key, kind] :
       {std::pair("recorded", Kind::kRecorded), std::pair("not_recorded", Kind::kNotRecorded),
        std::pair("skipped", Kind::kSkipped)}) {
    std::vector<const RecordOutcome*> of_kind;
    for (const RecordOutcome& o : r.outcomes) {
      if (o.kind == kind) of_kind.push_back(&o);
    }
    JsonArray(out, key, of_kind,
              [&](json::Writer& w, const RecordOutcome* o) { OutcomeJson(w, r, *o); });
  }
  JsonScalar(out, "lines", std::to_string(r.lines->size()));
  JsonScalar(out, "lines_in_period", std::to_string(rec.lines_in_period));
  JsonScalar(out, "ledger_seq", std::to_string(r.activity->as_of_seq));
  JsonScalar(out, "window_days", std::to_string(r.window_days));
  out.Append("}\n");
}

// ---- CSV for spreadsheets: one row per statement line or ledger entry, with its status.

const char* kCsvHeader[] = {"status",
                            "row",
                            "bank_ref",
                            "direction",
                            "amount",
                            "value_date",
                            "seq",
                            "op",
                            "case_no",
                            "ledger_bank_ref",
                            "ledger_amount",
                            "ledger_direction",
                            "ledger_date",
                            "matched_by",
                            "counterparty",
                            "counterparty_account",
                            "virtual_account",
                            "memo",
                            "record",
                            "record_seq",
                            "record_error",
                            "ledger_on"};

std::vector<std::string> LineFields(const char* status, const StatementLine& line) {
  std::vector<std::string> f(std::size(kCsvHeader));
  f[0] = status, f[1] = std::to_string(line.row), f[2] = line.bank_ref;
  f[3] = DirectionName(line.direction), f[4] = FormatAmount(line.amount_fen);
  f[5] = line.value_date.ToString(), f[14] = line.counterparty;
  f[15] = line.counterparty_account, f[16] = line.virtual_account, f[17] = line.memo;
  return f;
}

void CsvLedger(const BankMovement& m, std::vector<std::string>* f) {
  (*f)[6] = std::to_string(m.seq), (*f)[7] = WireName(m.op), (*f)[8] = m.case_no;
  (*f)[9] = m.bank_ref, (*f)[10] = FormatAmount(m.amount_fen);
  (*f)[11] = DirectionName(m.direction), (*f)[12] = m.date.ToString();
  (*f)[21] = m.on.ToString();
}

void ReportCsv(const Report& r, Stream& out) {
  out.Append(CsvLine(std::vector<std::string>(std::begin(kCsvHeader), std::end(kCsvHeader)),
                     kSpreadsheetCsv));
  for (const MatchedPair& pair : r.rec->matched) {
    std::vector<std::string> f = LineFields("matched", r.Line(pair.line));
    CsvLedger(r.Movement(pair.movement), &f);
    f[13] = pair.by == MatchedBy::kBankRef ? "bank_ref" : "virtual_account";
    out.Append(CsvLine(f, kSpreadsheetCsv));
  }
  for (const MismatchedPair& pair : r.rec->mismatched) {
    std::vector<std::string> f = LineFields("mismatched", r.Line(pair.line));
    CsvLedger(r.Movement(pair.movement), &f);
    out.Append(CsvLine(f, kSpreadsheetCsv));
  }
  std::map<size_t, const RecordOutcome*> outcome_of;
  for (const RecordOutcome& o : r.outcomes) outcome_of[o.line] = &o;
  for (size_t i : r.rec->bank_only) {
    std::vector<std::string> f = LineFields("bank_only", r.Line(i));
    if (const auto it = outcome_of.find(i); it != outcome_of.end()) {
      const RecordOutcome& o = *it->second;
      using Kind = RecordOutcome::Kind;
      f[18] = o.kind == Kind::kRecorded      ? "recorded"
              : o.kind == Kind::kNotRecorded ? "not_recorded"
                                             : "skipped";
      if (o.kind == Kind::kRecorded) f[19] = std::to_string(o.seq), f[8] = o.case_no;
      if (o.kind == Kind::kSkipped && o.seq != 0) f[19] = std::to_string(o.seq);
      if (o.kind == Kind::kNotRecorded) f[20] = std::string(CodeName(o.status.code()));
    }
    out.Append(CsvLine(f, kSpreadsheetCsv));
  }
  for (size_t i : r.rec->ledger_only) {
    std::vector<std::string> f(std::size(kCsvHeader));
    const BankMovement& m = r.Movement(i);
    f[0] = "ledger_only", f[2] = m.bank_ref, f[3] = DirectionName(m.direction);
    f[4] = FormatAmount(m.amount_fen), f[5] = m.date.ToString();
    CsvLedger(m, &f);
    out.Append(CsvLine(f, kSpreadsheetCsv));
  }
}

// ---- The reconciliation statement (余额调节表) for people.

std::string Signed(const Fen& fen) { return (fen > 0 ? "+" : "") + FormatAmountGrouped(fen); }

// The operation in the table's language; among the bank's movements a reverse is always a
// bank return of an outflow.
std::string OpLabel(Lang lang, pb::Operation op) {
  if (op == pb::OPERATION_REVERSE && lang == Lang::kZh) return "银行退回";
  return Label(lang, op);
}

// A side's balance at the period's end, then what the other side holds and it does not: the
// lines in and their sum, the lines out and theirs.
void AddBalanceAndMissing(TextTable* table, const std::string& balance_label, const Fen& balance,
                          const std::pair<std::string, std::string>& labels,
                          const std::pair<size_t, size_t>& lines,
                          const std::pair<Fen, Fen>& amounts) {
  table->AddRow({balance_label, "", FormatAmountGrouped(balance)});
  table->AddRow({labels.first, std::to_string(lines.first), FormatAmountGrouped(amounts.first)});
  table->AddRow({labels.second, std::to_string(lines.second), FormatAmountGrouped(amounts.second)});
}

std::string SummaryText(const Report& r, Lang lang) {
  const Reconciliation& rec = *r.rec;
  size_t in = 0, out = 0, ledger_in = 0, ledger_out = 0;
  for (size_t i : rec.bank_only) (r.Line(i).direction == Direction::kIn ? in : out) += 1;
  for (size_t i : rec.ledger_only) {
    (r.Movement(i).direction == Direction::kIn ? ledger_in : ledger_out) += 1;
  }
  const std::string to = rec.to.ToString();
  TextTable table({L(lang, "项目", "item"), L(lang, "笔数", "lines"), L(lang, "金额", "amount")},
                  {false, true, true});
  AddBalanceAndMissing(
      &table,
      L(lang, "账面银行存款余额（截至 ", "Ledger bank balance (at ") + to + L(lang, "）", ")"),
      rec.ledger_balance_fen,
      {L(lang, "加：银行已收、账面未收", "Add: received by the bank, not in the ledger"),
       L(lang, "减：银行已付、账面未付", "Less: paid by the bank, not in the ledger")},
      {in, out}, {rec.bank_only_in_fen, rec.bank_only_out_fen});
  table.AddRow({L(lang, "加：金额或方向不符之差（银行−账面）",
                  "Add: differences of mismatched items (bank - ledger)"),
                std::to_string(rec.mismatched.size()), Signed(rec.mismatched_difference_fen)});
  table.AddRow({L(lang, "调节后账面余额", "Adjusted ledger balance"), "",
                FormatAmountGrouped(rec.adjusted_ledger_balance_fen)});
  table.AddRow({"", "", ""});
  AddBalanceAndMissing(
      &table, L(lang, "银行对账单余额（截至 ", "Statement balance (at ") + to + L(lang, "）", ")"),
      rec.statement_balance_fen,
      {L(lang, "加：账面已收、银行未收", "Add: received in the ledger, not by the bank"),
       L(lang, "减：账面已付、银行未付", "Less: paid in the ledger, not by the bank")},
      {ledger_in, ledger_out}, {rec.ledger_only_in_fen, rec.ledger_only_out_fen});
  table.AddRow({L(lang, "调节后银行对账单余额", "Adjusted statement balance"), "",
                FormatAmountGrouped(rec.adjusted_statement_balance_fen)});
  return table.Render();
}

std::string HeaderText(const Report& r, Lang lang) {
  const Reconciliation& rec = *r.rec;
  size_t by_account = 0;
  for (const MatchedPair& pair : rec.matched) by_account += pair.by == MatchedBy::kVirtualAccount;
  const std::string title = L(lang, "银行存款余额调节表（执行款专户）",
                              "Bank reconciliation statement (special account)");
  return title + "\n\n" +
         RenderPairs({
             {L(lang, "期间", "period"),
              rec.from.ToString() + L(lang, " 至 ", " to ") + rec.to.ToString()},
             {L(lang, "对账单", "statement"), r.file},
             {L(lang, "对账单行数", "statement lines"),
              fmt::format("{}{}{}{}", r.lines->size(), L(lang, "（期间内 ", " ("),
                          rec.lines_in_period, L(lang, "）", " in the period)"))},
             {L(lang, "账面截至序号", "ledger up to entry"), std::to_string(r.activity->as_of_seq)},
             {L(lang, "账面日期口径", "ledger dates"),
              L(lang, "按银行日期：收款按起息日，付款按记账日",
                "bank dates: money in by value date, money out by the day booked")},
             {L(lang, "已核对", "matched"),
              fmt::format(
                  "{}{}{}{}{}{}", rec.matched.size(), L(lang, "（按流水号 ", " (by bank_ref "),
                  rec.matched.size() - by_account,
                  L(lang, "，按虚拟账号、金额、日期 ", ", by virtual account, amount and date "),
                  by_account, L(lang, "）", ")"))},
             {L(lang, "日期窗口", "date window"),
              fmt::format("{} {}", r.window_days, L(lang, "天", "days"))},
         });
}

std::string ConclusionText(const Report& r, Lang lang) {
  const Reconciliation& rec = *r.rec;
  std::string out;
  if (rec.agree) {
    out = L(lang, "结论：调节后余额相符", "Conclusion: the adjusted balances agree");
  } else {
    out = fmt::format("{}{}",
                      L(lang, "结论：调节后余额不符，差额（账面−对账单）",
                        "Conclusion: the adjusted balances do not agree; difference "
                        "(ledger - statement) "),
                      Signed(rec.adjusted_ledger_balance_fen - rec.adjusted_statement_balance_fen));
  }
  if (!rec.mismatched.empty()) {
    out += fmt::format("{}{}{}", L(lang, "；", "; "), rec.mismatched.size(),
                       L(lang, " 笔金额或方向不符，须查明", " mismatched item(s) to be explained"));
  }
  return out + "\n";
}

std::string UnmatchedText(const Report& r, Lang lang) {
  std::string out;
  const Reconciliation& rec = *r.rec;
  if (!rec.bank_only.empty()) {
    TextTable t({L(lang, "行号", "row"), L(lang, "日期", "value date"), L(lang, "收付", "dir"),
                 L(lang, "金额", "amount"), L(lang, "银行流水号", "bank_ref"),
                 L(lang, "对方户名", "counterparty"), L(lang, "虚拟账号", "virtual account"),
                 L(lang, "摘要", "memo")},
                {true, false, false, true, false, false, false, false});
    for (size_t i : rec.bank_only) {
      const StatementLine& x = r.Line(i);
      t.AddRow({std::to_string(x.row), x.value_date.ToString(), DirectionLabel(lang, x.direction),
                FormatAmountGrouped(x.amount_fen), x.bank_ref, x.counterparty, x.virtual_account,
                x.memo});
    }
    out += "\n" + L(lang, "银行已记、账面未记", "In the statement, not in the ledger") + "\n" +
           t.Render();
  }
  if (!rec.ledger_only.empty()) {
    TextTable t({L(lang, "序号", "seq"), L(lang, "日期", "date"), L(lang, "收付", "dir"),
                 L(lang, "金额", "amount"), L(lang, "银行流水号", "bank_ref"),
                 L(lang, "业务", "op"), L(lang, "案号", "case_no")},
                {true, false, false, true, false, false, false});
    for (size_t i : rec.ledger_only) {
      const BankMovement& m = r.Movement(i);
      t.AddRow({std::to_string(m.seq), m.date.ToString(), DirectionLabel(lang, m.direction),
                FormatAmountGrouped(m.amount_fen), m.bank_ref, OpLabel(lang, m.op), m.case_no});
    }
    out += "\n" + L(lang, "账面已记、银行未记", "In the ledger, not in the statement") + "\n" +
           t.Render();
  }
  return out;
}

std::string PairsText(const Report& r, Lang lang) {
  std::string out;
  const Reconciliation& rec = *r.rec;
  if (!rec.mismatched.empty()) {
    TextTable t({L(lang, "银行流水号", "bank_ref"), L(lang, "行号", "row"),
                 L(lang, "银行日期", "bank date"), L(lang, "银行收付", "bank dir"),
                 L(lang, "银行金额", "bank amount"), L(lang, "序号", "seq"),
                 L(lang, "账面日期", "ledger date"), L(lang, "账面收付", "ledger dir"),
                 L(lang, "账面金额", "ledger amount")},
                {false, true, false, false, true, true, false, false, true});
    for (const MismatchedPair& pair : rec.mismatched) {
      const StatementLine& x = r.Line(pair.line);
      const BankMovement& m = r.Movement(pair.movement);
      // A batch line's ledger side is the sum of the outflows sharing its batch_ref.
      const Fen ledger = LedgerSide(r.activity->movements, pair.movement, pair.batch);
      t.AddRow({x.bank_ref, std::to_string(x.row), x.value_date.ToString(),
                DirectionLabel(lang, x.direction), FormatAmountGrouped(x.amount_fen),
                std::to_string(m.seq), m.date.ToString(),
                DirectionLabel(lang, ledger < 0 ? Direction::kOut : Direction::kIn),
                FormatAmountGrouped(ledger < 0 ? -ledger : ledger)});
    }
    out += "\n" +
           L(lang, "流水号相同、金额或方向不符", "Same bank_ref, other amount or direction") +
           "\n" + t.Render();
  }
  TextTable t(
      {L(lang, "行号", "row"), L(lang, "银行流水号", "bank_ref"), L(lang, "银行日期", "bank date"),
       L(lang, "金额", "amount"), L(lang, "序号", "seq"), L(lang, "账面流水号", "ledger bank_ref"),
       L(lang, "账面日期", "ledger date"), L(lang, "案号", "case_no")},
      {true, false, false, true, true, false, false, false});
  for (const MatchedPair& pair : rec.matched) {
    if (pair.by != MatchedBy::kVirtualAccount) continue;
    const StatementLine& x = r.Line(pair.line);
    const BankMovement& m = r.Movement(pair.movement);
    t.AddRow({std::to_string(x.row), x.bank_ref, x.value_date.ToString(),
              FormatAmountGrouped(x.amount_fen), std::to_string(m.seq), m.bank_ref,
              m.date.ToString(), m.case_no});
  }
  if (t.rows() > 0) {
    out += "\n" +
           L(lang, "按虚拟账号、金额、日期核对（流水号不同，请复核）",
             "Matched by virtual account, amount and date (bank_refs differ: review)") +
           "\n" + t.Render();
  }
  return out;
}

std::string OutcomesText(const Report& r, Lang lang) {
  if (!r.recording) return "";
  using Kind = RecordOutcome::Kind;
  TextTable t({L(lang, "行号", "row"), L(lang, "银行流水号", "bank_ref"), L(lang, "金额", "amount"),
               L(lang, "结果", "result"), L(lang, "记为", "recorded as"), L(lang, "序号", "seq"),
               L(lang, "案号或原因", "case_no or reason")},
              {true, false, true, false, false, true, false});
  for (const RecordOutcome& o : r.outcomes) {
    const StatementLine& x = r.Line(o.line);
    // What it was booked as: a receipt, an unidentified receipt, bank interest or a charge.
    const std::string as = o.op == pb::OPERATION_UNSPECIFIED ? "" : OpLabel(lang, o.op);
    if (o.kind == Kind::kRecorded) {
      t.AddRow({std::to_string(x.row), x.bank_ref, FormatAmountGrouped(x.amount_fen),
                L(lang, "已补记", "recorded"), as, std::to_string(o.seq), o.case_no});
    } else if (o.kind == Kind::kNotRecorded) {
      t.AddRow({std::to_string(x.row), x.bank_ref, FormatAmountGrouped(x.amount_fen),
                L(lang, "未能补记", "not recorded"), as, "",
                std::string(CodeName(o.status.code())) + ": " + o.status.message()});
    } else {
      t.AddRow({std::to_string(x.row), x.bank_ref, FormatAmountGrouped(x.amount_fen),
                L(lang, "已在账面，跳过", "already in the ledger, skipped"), "",
                o.seq != 0 ? std::to_string(o.seq) : "",
                o.seq != 0 ? L(lang, "账面日期 ", "ledger date ") + o.ledger_date : ""});
    }
  }
  return "\n" +
         L(lang, "补记银行已收、账面未收的款项（--record）",
           "Recording what the bank received and the ledger did not (--record)") +
         "\n" + (t.rows() > 0 ? t.Render() : L(lang, "（无）\n", "(none)\n"));
}

std::string ReportText(const Report& r, Lang lang) {
  std::string out = HeaderText(r, lang) + "\n" + SummaryText(r, lang) + "\n" +
                    ConclusionText(r, lang) + PairsText(r, lang) + UnmatchedText(r, lang) +
                    OutcomesText(r, lang);
  out += "\n" +
         L(lang,
           "编制人：__________    复核人：__________    财务负责人：__________    日期：__________",
           "Prepared by: __________  Checked by: __________  Head of finance: __________  "
           "Date: __________") +
         "\n";
  return out;
}

int ExitCode(const Report& r) {
  const bool rejected = r.Count(RecordOutcome::Kind::kNotRecorded) > 0;
  return r.rec->agree && r.rec->mismatched.empty() && !rejected ? kExitOk : kExitRejected;
}

// Checks the flags; false (after saying why) on a usage error.
bool CheckFlags(const ReconcileOptions& options, const Globals& globals,
                std::optional<std::pair<Date, Date>>* period) {
  if (!ParsePeriod(options.period, period)) return false;
  if (options.csv && globals.json) {
    WriteErr("caseledger: --csv and --json exclude each other\n");
    return false;
  }
  Status status = CheckIdentifier(options.operator_name, "--operator", IdKind::kOperator);
  if (status.ok() && !options.on.empty()) status = Date::Parse(options.on, "--on").status();
  if (!status.ok()) WriteErr("caseledger: " + status.message() + "\n");
  return status.ok();
}

// In caseledgerd, on its snapshot; --record writes through the server's writer, as the client's
// operator (a --operator naming another is NOT_PERMITTED, as a command's body would be).
Result<ReconcileReading> Reconcile(const Globals& globals, const std::vector<StatementLine>& lines,
                                   ReconcileRequest request) {
  if (!globals.open_snapshot) return ReconcileStatement(globals.db, lines, request);
  if (request.record) {
    if (request.operator_name != kReconcileOperator &&
        request.operator_name != globals.served_operator) {
      return Status(Code::kNotPermitted, "--operator names " + request.operator_name +
                                             ", but this client is " + globals.served_operator +
                                             " (its certificate's): leave --operator out");
    }
    request.operator_name = globals.served_operator;
    request.record_through = globals.record_commands;
  }
  CASELEDGER_ASSIGN_OR_RETURN(std::unique_ptr<Ledger> ledger, globals.open_snapshot());
  return ReconcileStatement(ledger.get(), lines, request);
}

}  // namespace

int ReadStatement(const std::string& path, bool json, std::vector<StatementLine>* lines) {
  std::string bytes;
  Status too_large;
  if (!ReadStatementFile(path, &bytes, &too_large)) return kExitUsage;
  if (!too_large.ok()) return ReportError(too_large, json);
  Result<std::vector<StatementLine>> parsed = ParseStatement(bytes);
  if (!parsed.ok()) return ReportError(parsed.status(), json);
  *lines = std::move(*parsed);
  return kExitOk;
}

int RunReconcile(const Globals& globals, const ReconcileOptions& options) {
  std::optional<std::pair<Date, Date>> period_flag;
  if (!CheckFlags(options, globals, &period_flag)) return kExitUsage;
  if (globals.open_snapshot && options.statement != globals.served_input) {
    return Usage("caseledgerd reads no statement of its own disk: the client sends it");
  }
  std::vector<StatementLine> lines;
  if (const int code = ReadStatement(options.statement, globals.json, &lines); code != kExitOk) {
    return code;
  }
  ReconcileRequest request{period_flag, options.record, options.operator_name, options.on, {}};
  Result<ReconcileReading> reading = Reconcile(globals, lines, request);
  if (!reading.ok()) return ReportError(reading.status(), globals.json);
  const Report report{
      options.statement,    &lines,         &reading->activity,          &reading->rec,
      reading->window_days, options.record, std::move(reading->outcomes)};
  if (globals.json) {
    Stream out;
    ReportJson(report, out);
  } else if (options.csv) {
    Stream out;
    ReportCsv(report, out);
  } else {
    Out(ReportText(report, globals.language()));
  }
  return ExitCode(report);
}

}  // namespace caseledger::cli

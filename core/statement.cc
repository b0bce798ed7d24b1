#include "core/statement.h"

#include <fmt/format.h>

#include <algorithm>

#include "core/identifiers.h"
#include "core/limits.h"

namespace caseledger {
namespace {

constexpr std::string_view kBom = "\xEF\xBB\xBF";
constexpr size_t kColumnCount = kStatementColumns.size();

// Why the bytes are not UTF-8, naming the first line that is not: a GBK export is the usual
// cause, and the fix is to convert the file, never to guess its encoding.
Status NotUtf8(std::string_view bytes) {
  if (bytes.starts_with("\xFF\xFE") || bytes.starts_with("\xFE\xFF")) {
    return Status::InvalidArgument(
        "the statement is UTF-16, not UTF-8: save it as UTF-8 (CSV UTF-8) and run again");
  }
  size_t line = 1, start = 0;
  while (start < bytes.size()) {
    size_t end = bytes.find('\n', start);
    if (end == std::string_view::npos) end = bytes.size();
    if (!IsValidUtf8(bytes.substr(start, end - start))) break;
    ++line;
    start = end + 1;
  }
  return Status::InvalidArgument(fmt::format(
      "line {}: the statement is not UTF-8 (a GBK export from the bank?): convert it, e.g. "
      "`iconv -f GBK -t UTF-8 statement.csv > statement-utf8.csv`, and run again",
      line));
}

// RFC 4180 records, one at a time. A quoted field may hold commas, doubled quotes and line
// breaks; an unquoted one may not hold a quote. Rows are records, as a spreadsheet numbers
// them: a line break inside quotes does not start a new row.
class CsvReader {
 public:
  explicit CsvReader(std::string_view bytes) : bytes_(bytes) {}

  bool AtEnd() const { return pos_ >= bytes_.size(); }
  size_t row() const { return row_; }

  // The next record's fields into *fields; its row number is row().
  Status Next(std::vector<std::string>* fields) {
    fields->clear();
    ++row_;
    while (true) {
      std::string& field = fields->emplace_back();
      CASELEDGER_RETURN_IF_ERROR(ReadField(&field, fields->size()));
      if (AtEnd()) return Status::Ok();
      const char c = bytes_[pos_];
      if (c == ',') {
        ++pos_;
        continue;
      }
      // The field ended at a line end: '\n' or "\r\n".
      pos_ += c == '\r' ? 2 : 1;
      return Status::Ok();
    }
  }

 private:
  // A field over the limit is refused before it is copied out of the statement: a hostile row
  // of a hundred megabytes must not take twice the memory the statement already takes.
  Status FieldTooLong(size_t column) const {
    return Status::InvalidArgument(fmt::format("row {}: field {} is longer than {} bytes", row_,
                                               column, kStatementFieldBytesMax));
  }

  // Reads field number `column` (from 1), leaving pos_ at the ',' or line end after it (or at
  // the end).
  Status ReadField(std::string* field, size_t column) {
    if (!AtEnd() && bytes_[pos_] == '"') return ReadQuoted(field, column);
    const size_t start = pos_;
    while (!AtEnd()) {
      const char c = bytes_[pos_];
      if (c == ',' || c == '\n') break;
      if (c == '\r') {
        if (pos_ + 1 < bytes_.size() && bytes_[pos_ + 1] == '\n') break;
        return Status::InvalidArgument(fmt::format(
            "row {}: a carriage return outside quotes (line ends are LF or CRLF)", row_));
      }
      if (c == '"') {
        return Status::InvalidArgument(fmt::format(
            "row {}: a quote inside an unquoted field (put the whole field in quotes and write "
            "each quote inside it twice)",
            row_));
      }
      ++pos_;
    }
    if (pos_ - start > kStatementFieldBytesMax) return FieldTooLong(column);
    field->assign(bytes_.substr(start, pos_ - start));
    return Status::Ok();
  }

  Status ReadQuoted(std::string* field, size_t column) {
    ++pos_;  // the opening quote
    while (true) {
      const size_t quote = bytes_.find('"', pos_);
      if (quote == std::string_view::npos) {
        return Status::InvalidArgument(fmt::format("row {}: a quoted field is not closed", row_));
      }
      if (field->size() + (quote - pos_) > kStatementFieldBytesMax) return FieldTooLong(column);
      field->append(bytes_.substr(pos_, quote - pos_));
      pos_ = quote + 1;
      if (!AtEnd() && bytes_[pos_] == '"') {  // a doubled quote stands for one
        field->push_back('"');
        ++pos_;
        continue;
      }
      break;
    }
    if (AtEnd()) return Status::Ok();
    const char c = bytes_[pos_];
    const bool crlf = c == '\r' && pos_ + 1 < bytes_.size() && bytes_[pos_ + 1] == '\n';
    if (c == ',' || c == '\n' || crlf) return Status::Ok();
    return Status::InvalidArgument(
        fmt::format("row {}: text after the closing quote of a field", row_));
  }

  std::string_view bytes_;
  size_t pos_ = 0;
  size_t row_ = 0;
};

// For each of kStatementColumns, its place in the header; the optional `kind`'s, if named; and
// how many columns the header names.
struct ColumnPlaces {
  std::array<size_t, kColumnCount> required{};
  std::optional<size_t> kind;
  size_t count = 0;
};

Status ParseHeader(const std::vector<std::string>& header, ColumnPlaces* places) {
  const std::string expected = fmt::format("{}", fmt::join(kStatementColumns, ","));
  std::array<bool, kColumnCount> seen{};
  places->count = header.size();
  for (size_t i = 0; i < header.size(); ++i) {
    if (header[i] == kStatementKindColumn) {
      if (places->kind) {
        return Status::InvalidArgument("row 1: column kind is named twice in the header");
      }
      places->kind = i;
      continue;
    }
    const auto* found = std::find(kStatementColumns.begin(), kStatementColumns.end(), header[i]);
    if (found == kStatementColumns.end()) {
      return Status::InvalidArgument(
          fmt::format("row 1: unknown column {} in the header; the columns are {} (any order; "
                      "kind optional)",
                      QuoteForMessage(header[i]), expected));
    }
    const size_t column = static_cast<size_t>(found - kStatementColumns.begin());
    if (seen[column]) {
      return Status::InvalidArgument(
          fmt::format("row 1: column {} is named twice in the header", header[i]));
    }
    seen[column] = true;
    places->required[column] = i;
  }
  for (size_t column = 0; column < kColumnCount; ++column) {
    if (!seen[column]) {
      return Status::InvalidArgument(
          fmt::format("row 1: the header has no column {}; the columns are {} (any order)",
                      kStatementColumns[column], expected));
    }
  }
  return Status::Ok();
}

// An error of one field, named by its row: "row 7: amount: ...". The row is added only on
// failure, so that a good row costs no formatting.
Status AtRow(size_t row, const Status& status) {
  return Status(status.code(), fmt::format("row {}: {}", row, status.message()));
}

Status ParseKind(const std::string& text, size_t row, StatementLine* line) {
  if (text.empty()) {
    line->kind = LineKind::kNone;
  } else if (text == "interest") {
    line->kind = LineKind::kInterest;
  } else if (text == "charge") {
    line->kind = LineKind::kCharge;
  } else {
    return Status::InvalidArgument(fmt::format("row {}: kind: {} must be interest, charge or empty",
                                               row, QuoteForMessage(text)));
  }
  return Status::Ok();
}

// One data row into *line, its fields already split (the text fields are moved out of them).
Status ParseLine(std::vector<std::string>* fields, const ColumnPlaces& places, size_t row,
                 StatementLine* line) {
  if (fields->size() != places.count) {
    return Status::InvalidArgument(
        fmt::format("row {}: {} fields; the header has {} (quote a field that holds a comma)", row,
                    fields->size(), places.count));
  }
  auto field = [&](size_t column) -> std::string& { return (*fields)[places.required[column]]; };
  line->row = row;
  Result<Date> date = Date::Parse(field(0), "value_date");
  if (!date.ok()) return AtRow(row, date.status());
  line->value_date = *date;
  if (field(1) == "in") {
    line->direction = Direction::kIn;
  } else if (field(1) == "out") {
    line->direction = Direction::kOut;
  } else {
    return Status::InvalidArgument(
        fmt::format("row {}: direction: {} must be in or out", row, QuoteForMessage(field(1))));
  }
  Result<Fen> amount = ParseAmount(field(2), "amount", AmountKind::kPositive);
  if (!amount.ok()) return AtRow(row, amount.status());
  line->amount_fen = *amount;
  if (field(3).empty()) {
    return Status::InvalidArgument(
        fmt::format("row {}: bank_ref: missing (every line needs the bank's reference)", row));
  }
  Status ref = CheckIdentifier(field(3), "bank_ref", IdKind::kBankRef);
  if (!ref.ok()) return AtRow(row, ref);
  line->bank_ref = std::move(field(3));
  line->counterparty = std::move(field(4));
  line->counterparty_account = std::move(field(5));
  line->virtual_account = std::move(field(6));
  line->memo = std::move(field(7));
  if (!field(8).empty()) {
    Result<Fen> balance = ParseAmount(field(8), "balance", AmountKind::kZeroAllowed);
    if (!balance.ok()) return AtRow(row, balance.status());
    line->balance_fen = *balance;
  }
  if (places.kind) return ParseKind((*fields)[*places.kind], row, line);
  return Status::Ok();
}

// IsValidUtf8, fast over ASCII: a multibyte sequence is made of bytes >= 0x80 only, so each
// maximal run of such bytes must be valid UTF-8 on its own.
bool IsUtf8(std::string_view bytes) {
  size_t pos = 0;
  while (pos < bytes.size()) {
    if (static_cast<unsigned char>(bytes[pos]) < 0x80) {
      ++pos;
      continue;
    }
    const size_t start = pos;
    while (pos < bytes.size() && static_cast<unsigned char>(bytes[pos]) >= 0x80) ++pos;
    if (!IsValidUtf8(bytes.substr(start, pos - start))) return false;
  }
  return true;
}

bool IsBlank(const std::vector<std::string>& fields) {
  return fields.size() == 1 && fields[0].empty();
}

}  // namespace

std::string_view DirectionName(Direction direction) {
  return direction == Direction::kIn ? "in" : "out";
}

Result<std::vector<StatementLine>> ParseStatement(std::string_view bytes) {
  if (bytes.starts_with(kBom)) bytes.remove_prefix(kBom.size());
  if (!IsUtf8(bytes)) return NotUtf8(bytes);
  CsvReader reader(bytes);
  std::vector<std::string> fields;
  if (reader.AtEnd()) {
    return Status::InvalidArgument(
        "row 1: the statement is empty; it needs a header row naming its columns");
  }
  CASELEDGER_RETURN_IF_ERROR(reader.Next(&fields));
  ColumnPlaces places{};
  CASELEDGER_RETURN_IF_ERROR(ParseHeader(fields, &places));
  std::vector<StatementLine> lines;
  lines.reserve(std::min<size_t>(std::count(bytes.begin(), bytes.end(), '\n'), kStatementLinesMax));
  while (!reader.AtEnd()) {
    CASELEDGER_RETURN_IF_ERROR(reader.Next(&fields));
    const size_t row = reader.row();
    if (IsBlank(fields)) continue;
    if (lines.size() == kStatementLinesMax) {
      return Status::InvalidArgument(
          fmt::format("row {}: the statement has more than {} lines; reconcile it by period", row,
                      kStatementLinesMax));
    }
    CASELEDGER_RETURN_IF_ERROR(ParseLine(&fields, places, row, &lines.emplace_back()));
  }
  return lines;
}

Fen StatementBalance(const std::vector<StatementLine>& lines, Date to) {
  // Cannot overflow: at most kStatementLinesMax amounts of at most kAmountMaxFen each.
  Fen opening = 0, moved = 0;
  if (!lines.empty() && lines.front().balance_fen) {
    const StatementLine& first = lines.front();
    opening = *first.balance_fen +
              (first.direction == Direction::kIn ? -first.amount_fen : first.amount_fen);
  }
  const StatementLine* last = nullptr;
  for (const StatementLine& line : lines) {
    if (line.value_date > to) continue;
    moved += line.direction == Direction::kIn ? line.amount_fen : -line.amount_fen;
    last = &line;
  }
  if (last != nullptr && last->balance_fen) return *last->balance_fen;
  return opening + moved;
}

}  // namespace caseledger

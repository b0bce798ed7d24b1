#include "cli/output.h"

#include <fmt/core.h>

#include <algorithm>
#include <cstdio>

#include "cli/commands.h"
#include "core/json.h"

namespace caseledger::cli {
namespace {

bool IsWide(char32_t c) {
  return (c >= 0x1100 && c <= 0x115F) || (c >= 0x2E80 && c <= 0x303E) ||
         (c >= 0x3041 && c <= 0x33FF) || (c >= 0x3400 && c <= 0x4DBF) ||
         (c >= 0x4E00 && c <= 0x9FFF) || (c >= 0xA000 && c <= 0xA4CF) ||
         (c >= 0xAC00 && c <= 0xD7A3) || (c >= 0xF900 && c <= 0xFAFF) ||
         (c >= 0xFE30 && c <= 0xFE4F) || (c >= 0xFF00 && c <= 0xFF60) ||
         (c >= 0xFFE0 && c <= 0xFFE6) || (c >= 0x1F300 && c <= 0x1F64F) ||
         (c >= 0x20000 && c <= 0x3FFFD);
}

std::string Pad(const std::string& text, size_t width, bool right) {
  const size_t used = DisplayWidth(text);
  const std::string fill(width > used ? width - used : 0, ' ');
  return right ? fill + text : text + fill;
}

}  // namespace

size_t DisplayWidth(std::string_view text) {
  size_t width = 0;
  for (size_t i = 0; i < text.size();) {
    const unsigned char lead = static_cast<unsigned char>(text[i]);
    char32_t c = lead;
    size_t length = 1;
    if (lead >= 0xF0) {
      length = 4;
      c = lead & 0x07;
    } else if (lead >= 0xE0) {
      length = 3;
      c = lead & 0x0F;
    } else if (lead >= 0xC0) {
      length = 2;
      c = lead & 0x1F;
    }
    for (size_t k = 1; k < length && i + k < text.size(); ++k) {
      c = (c << 6) | (static_cast<unsigned char>(text[i + k]) & 0x3F);
    }
    width += IsWide(c) ? 2 : 1;
    i += length;
  }
  return width;
}

TextTable::TextTable(std::vector<std::string> header, std::vector<bool> right)
    : header_(std::move(header)), right_(std::move(right)) {
  right_.resize(header_.size(), false);
}

void TextTable::AddRow(std::vector<std::string> row) {
  row.resize(header_.size());
  rows_.push_back(std::move(row));
}

std::string TextTable::Render() const {
  std::vector<size_t> widths(header_.size());
  for (size_t c = 0; c < header_.size(); ++c) widths[c] = DisplayWidth(header_[c]);
  for (const auto& row : rows_) {
    for (size_t c = 0; c < row.size(); ++c) widths[c] = std::max(widths[c], DisplayWidth(row[c]));
  }
  std::string out;
  auto line = [&](const std::vector<std::string>& cells) {
    std::string text;
    for (size_t c = 0; c < cells.size(); ++c) {
      if (c > 0) text += "  ";
      text += Pad(cells[c], widths[c], right_[c]);
    }
    while (!text.empty() && text.back() == ' ') text.pop_back();
    out += text + "\n";
  };
  line(header_);
  std::vector<std::string> rule;
  for (size_t width : widths) rule.push_back(std::string(width, '-'));
  line(rule);
  for (const auto& row : rows_) line(row);
  return out;
}

std::string RenderPairs(const std::vector<std::pair<std::string, std::string>>& pairs) {
  size_t width = 0;
  for (const auto& [label, value] : pairs) width = std::max(width, DisplayWidth(label));
  std::string out;
  for (const auto& [label, value] : pairs) out += Pad(label, width, false) + "  " + value + "\n";
  return out;
}

std::string MaskedAccount(std::string_view account) {
  if (account.empty()) return "-";
  return "****" + std::string(account.substr(account.size() < 4 ? 0 : account.size() - 4));
}

void Out(const std::string& text) { WriteOut(text); }

std::string Grouped(int64_t value) {
  std::string digits = std::to_string(value < 0 ? -value : value), out;
  for (size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) out += ',';
    out += digits[i];
  }
  return value < 0 ? "-" + out : out;
}

Result<std::unique_ptr<Ledger>> OpenReading(const Globals& globals, const OpenOptions& open) {
  if (globals.open_snapshot) return globals.open_snapshot();
  return Ledger::OpenForRead(globals.db, open);
}

int Usage(const std::string& message) {
  WriteErr("caseledger: " + message + "\n");
  return kExitUsage;
}

Result<std::optional<Date>> DateFlag(const std::string& text, const char* flag) {
  if (text.empty()) return std::optional<Date>();
  CASELEDGER_ASSIGN_OR_RETURN(Date date, Date::Parse(text, flag));
  return std::optional<Date>(date);
}

Result<Date> DateOrToday(const std::optional<Date>& flag) {
  CASELEDGER_ASSIGN_OR_RETURN(Date today, Today());
  return flag.value_or(today);
}

int ExitCodeFor(const Status& status) {
  switch (status.code()) {
    case Code::kOk:
      return kExitOk;
    case Code::kCorruption:
      return kExitDamaged;
    case Code::kNoLedger:
    case Code::kUnsupportedFormat:  // the ledger cannot be read as it is: migrate it
      return kExitUsage;
    default:
      return kExitRejected;
  }
}

std::string ErrorJson(const Status& status) {
  json::Writer w;
  w.BeginObject().Key("ok").Bool(false).Key("error").BeginObject();
  w.Key("code").String(CodeName(status.code())).Key("message").String(status.message());
  w.EndObject().EndObject();
  return w.str();
}

int ReportError(const Status& status, bool json) {
  if (json) {
    WriteOut(ErrorJson(status) + "\n");
  } else {
    WriteErr(fmt::format("caseledger: {}: {}\n", CodeName(status.code()), status.message()));
  }
  return ExitCodeFor(status);
}

}  // namespace caseledger::cli

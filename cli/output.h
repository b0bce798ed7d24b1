// Printing for people and scripts: tables aligned by display width, labels in zh or en, JSON.
#ifndef CASELEDGER_CLI_OUTPUT_H_
#define CASELEDGER_CLI_OUTPUT_H_

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "cli/sink.h"
#include "core/date.h"
#include "core/names.h"
#include "core/status.h"

namespace caseledger::cli {

enum class Lang { kZh, kEn };

// Terminal columns taken by UTF-8 text: East Asian wide characters count two.
size_t DisplayWidth(std::string_view text);

// A table with a header row; columns listed in `right` are right-aligned (amounts).
class TextTable {
 public:
  explicit TextTable(std::vector<std::string> header, std::vector<bool> right = {});
  void AddRow(std::vector<std::string> row);
  std::string Render() const;
  size_t rows() const { return rows_.size(); }

 private:
  std::vector<std::string> header_;
  std::vector<bool> right_;
  std::vector<std::vector<std::string>> rows_;
};

// Label / value pairs, labels padded to one width.
std::string RenderPairs(const std::vector<std::pair<std::string, std::string>>& pairs);

// Exit codes of SPEC §1.
inline constexpr int kExitOk = 0;
inline constexpr int kExitRejected = 1;
inline constexpr int kExitUsage = 2;
inline constexpr int kExitDamaged = 3;
int ExitCodeFor(const Status& status);

// `{"ok": false, "error": {"code", "message"}}` for a reading command that fails.
std::string ErrorJson(const Status& status);
// Prints a failed reading command's error (JSON on stdout, else text on stderr); returns
// the exit code.
int ReportError(const Status& status, bool json);

// Shared by every command:
// writes `text` to stdout as is.
void Out(const std::string& text);
// A count with thousands separators: 1234567 -> "1,234,567".
std::string Grouped(int64_t value);
// The label in the table language.
inline std::string L(Lang lang, const char* zh, const char* en) {
  return lang == Lang::kZh ? zh : en;
}
// A named state or kind (core/names.h) in the table's language.
template <typename E>
std::string Label(Lang lang, E value) {
  return std::string(lang == Lang::kZh ? ChineseLabel(value) : EnglishLabel(value));
}

// A defaulter listing's ground (1-6): its wording in Chinese, its number in English (as JSON
// gives it); a number no table knows shows as the number (cli/events.cc).
std::string GroundText(Lang lang, int ground);
// The labels of a repeated enum field's values, in order.
template <typename E>
std::vector<std::string> LabelsOf(Lang lang, const google::protobuf::RepeatedField<int>& field) {
  std::vector<std::string> labels;
  for (E value : ValuesOf<E>(field)) labels.push_back(Label(lang, value));
  return labels;
}
// A bank account as a table shows it: its last four digits only ("****1114"); "-" for none.
std::string MaskedAccount(std::string_view account);
// A usage error (bad flag value, unreadable file): the message on stderr, exit 2.
int Usage(const std::string& message);
// A date flag: empty gives nullopt; a malformed one is an error for Usage().
Result<std::optional<Date>> DateFlag(const std::string& text, const char* flag);
// The date a flag gave, else today (Today(), read either way so that a malformed
// $CASELEDGER_TODAY is always an error).
Result<Date> DateOrToday(const std::optional<Date>& flag);
// An optional JSON field's value: the text when `has`, else absent.
inline std::optional<std::string> Opt(bool has, std::string_view value) {
  return has ? std::optional(std::string(value)) : std::nullopt;
}

}  // namespace caseledger::cli

#endif  // CASELEDGER_CLI_OUTPUT_H_

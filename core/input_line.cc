#include "core/input_line.h"

#include "core/limits.h"

namespace caseledger {

bool PrepareInputLine(std::string line, bool oversized, size_t line_number, ParsedCommand* parsed,
                      std::string_view peer) {
  if (line_number == 1 && line.starts_with("\xEF\xBB\xBF")) line.erase(0, 3);
  if (!line.empty() && line.back() == '\r') line.pop_back();
  if (oversized || line.size() > kLineBytesMax) {
    *parsed = ParsedCommand{};
    parsed->status = Status::InvalidArgument("line " + std::to_string(line_number) +
                                             ": longer than the limit of " +
                                             std::to_string(kLineBytesMax) + " bytes");
    return true;
  }
  if (line.find_first_not_of(" \t") == std::string::npos) return false;
  *parsed = ParseCommandLine(line, peer);
  return true;
}

}  // namespace caseledger

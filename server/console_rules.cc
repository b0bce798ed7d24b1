// What the console decides itself, apart from the ledger: which reading commands a role may
// open (role gates) and what personal data a role sees in full (masking).
#include <algorithm>

#include "core/json.h"
#include "server/console.h"

namespace caseledger::server {
namespace {

// The commands of the audit page: the record itself and its checks (an auditor's work).
bool AuditCommand(const std::string& command, const std::string& second) {
  static const std::set<std::string, std::less<>> audit = {"digest", "export", "feed",
                                                           "prove",  "state",  "verify"};
  return audit.contains(command) || (command == "report" && second == "refusals");
}

// The value of `flag` in args (`--flag V` or `--flag=V`), nullopt when not given.
std::optional<std::string> FlagValue(const std::vector<std::string>& args,
                                     const std::string& flag) {
  for (size_t i = 0; i < args.size(); ++i) {
    if (args[i] == flag && i + 1 < args.size()) return args[i + 1];
    if (args[i].starts_with(flag + "=")) return args[i].substr(flag.size() + 1);
  }
  return std::nullopt;
}

bool Holds(const std::set<std::string>& roles, const char* role) { return roles.contains(role); }

// "****1234": the last four characters only, as the monthly report shows an account.
std::string Masked(const std::string& text) {
  if (text.size() <= 4) return "****";
  return "****" + text.substr(text.size() - 4);
}

size_t Digits(const std::string& text) {
  return static_cast<size_t>(
      std::count_if(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; }));
}

bool AccountKey(const std::string& key) {
  if (key == "virtual_account") return false;  // the case's own account at the court's bank
  return key == "account" || key.ends_with("_account");
}

void MaskValue(json::Value* value, const Masking& masking) {
  if (value->is_array()) {
    for (json::Value& item : value->items) MaskValue(&item, masking);
  }
  if (!value->is_object()) return;
  for (auto& [key, member] : value->members) {
    // Account kinds ("cases", "fees") share the key: only numbers are masked.
    const bool hide =
        member.is_string() && Digits(member.text) >= 4 &&
        ((key == "id_number" && masking.id_numbers) || (AccountKey(key) && masking.accounts));
    if (hide) {
      member.text = Masked(member.text);
    } else {
      MaskValue(&member, masking);
    }
  }
}

// Text that is not JSON: every run of 12 or more digits (an X may end an ID number) masked.
std::string MaskText(const std::string& text) {
  std::string out;
  for (size_t at = 0; at < text.size();) {
    size_t end = at;
    while (end < text.size() && text[end] >= '0' && text[end] <= '9') ++end;
    if (end < text.size() && end > at && (text[end] == 'X' || text[end] == 'x')) ++end;
    if (end - at >= 12) {
      out += Masked(text.substr(at, end - at));
    } else {
      out += text.substr(at, std::max(end - at, size_t{1}));
    }
    at = std::max(end, at + 1);
  }
  return out;
}

std::string MaskLine(const std::string& line, const Masking& masking) {
  Result<json::Value> value = json::Parse(line);
  if (!value.ok()) return MaskText(line);
  MaskValue(&*value, masking);
  json::Writer w;
  return w.Write(*value).str();
}

}  // namespace

Masking MaskingFor(const std::set<std::string>& roles) {
  Masking masking;
  masking.id_numbers = !Holds(roles, "clerk");
  masking.accounts = !Holds(roles, "clerk") && !Holds(roles, "finance");
  return masking;
}

std::string MaskOutput(const std::string& output, const Masking& masking) {
  if (!masking.id_numbers && !masking.accounts) return output;
  Result<json::Value> whole = json::Parse(output);
  if (whole.ok()) return MaskLine(output, masking) + "\n";
  // JSON Lines (feed --json), or text: line by line.
  std::string out;
  for (size_t at = 0; at < output.size();) {
    const size_t end = std::min(output.find('\n', at), output.size());
    const std::string line = output.substr(at, end - at);
    out += (line.empty() ? line : MaskLine(line, masking));
    if (end < output.size()) out += "\n";
    at = end + 1;
  }
  return out;
}

Status ConsoleGate(const std::vector<std::string>& args, const std::set<std::string>& roles,
                   bool roles_set) {
  if (!roles_set) return Status::Ok();
  std::vector<std::string> words;
  for (size_t i = 0; i < args.size(); ++i) {
    if (args[i] == "--lang") {
      ++i;  // its value
    } else if (!args[i].starts_with("-")) {
      words.push_back(args[i]);
    }
  }
  const std::string command = words.empty() ? "" : words[0];
  const std::string second = words.size() > 1 ? words[1] : "";
  if (AuditCommand(command, second) && !Holds(roles, "auditor")) {
    return Status(Code::kNotPermitted, "the audit page's `" + command + "` needs auditor");
  }
  if (command != "approvals") return Status::Ok();
  if (std::find(args.begin(), args.end(), "--roles") != args.end()) return Status::Ok();
  if (const std::optional<std::string> role = FlagValue(args, "--role")) {
    if (roles.contains(*role)) return Status::Ok();
    return Status(Code::kNotPermitted, "the approvals of " + *role + " need that role");
  }
  if (FlagValue(args, "--case") || Holds(roles, "auditor") || Holds(roles, "administrator")) {
    return Status::Ok();
  }
  return Status(Code::kNotPermitted, "approvals of every role need auditor or administrator");
}

}  // namespace caseledger::server

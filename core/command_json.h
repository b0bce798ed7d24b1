// JSON Lines commands (SPEC §2) to and from the Command message, with errors naming the path.
#ifndef CASELEDGER_CORE_COMMAND_JSON_H_
#define CASELEDGER_CORE_COMMAND_JSON_H_

#include <optional>
#include <string>
#include <string_view>

#include "caseledger.pb.h"
#include "core/status.h"

namespace caseledger {

// A parsed line: the command, or the error with the request_id when the line had a usable one.
struct ParsedCommand {
  Status status;
  std::optional<std::string> request_id;
  pb::Command command;
};

// Parses one line (without its line ending). Strict: see SPEC §2 "A malformed line".
// `peer`: the operator caseledgerd authenticated (SPEC §9): a line naming another operator is
// NOT_PERMITTED, a line naming none is theirs; empty for a local command.
ParsedCommand ParseCommandLine(std::string_view line, std::string_view peer = {});

// Maps a JSON object onto a message by field name; `path` prefixes error messages.
// Exposed for tests and for other JSON inputs.
namespace json {
struct Value;
}
Status MessageFromJson(const json::Value& object, google::protobuf::Message* message,
                       const std::string& path);

// The command as canonical JSON (protobuf's JSON printer, proto field names).
std::string CommandToJson(const pb::Command& command);
// The operation key of a command ("receipt", ...), "" when none is set.
std::string OperationName(const pb::Command& command);
// The operation's message.
const google::protobuf::Message& OperationMessage(const pb::Command& command);

}  // namespace caseledger

#endif  // CASELEDGER_CORE_COMMAND_JSON_H_

#include "core/command_json.h"

#include <google/protobuf/descriptor.h>
#include <google/protobuf/util/json_util.h>

#include <algorithm>
#include <charconv>

#include "core/identifiers.h"
#include "core/json.h"
#include "core/limits.h"

namespace caseledger {
namespace {

using google::protobuf::FieldDescriptor;
using google::protobuf::Message;
using google::protobuf::Reflection;

std::string Join(const std::string& path, std::string_view key) {
  if (path.empty()) return std::string(key);
  return path + "." + std::string(key);
}

std::string_view TypeName(const json::Value& v) {
  switch (v.type) {
    case json::Value::Type::kNull:
      return "null";
    case json::Value::Type::kBool:
      return "a boolean";
    case json::Value::Type::kNumber:
      return "a number";
    case json::Value::Type::kString:
      return "a string";
    case json::Value::Type::kArray:
      return "an array";
    case json::Value::Type::kObject:
      return "an object";
  }
  return "a value";
}

Status WrongType(const std::string& path, std::string_view expected, const json::Value& v) {
  std::string message =
      path + ": expected " + std::string(expected) + ", got " + std::string(TypeName(v));
  // Only fields that hold money or dates get the hint; `source: 7` is simply the wrong type.
  const std::string_view field = std::string_view(path).substr(path.rfind('.') + 1);
  static constexpr std::string_view kMoneyOrDateFields[] = {"on", "claim", "ordinary_interest",
                                                            "costs", "performance_due"};
  const bool money_or_date =
      std::ranges::find(kMoneyOrDateFields, field) != std::end(kMoneyOrDateFields) ||
      field.find("amount") != std::string_view::npos ||
      field.find("date") != std::string_view::npos || field.ends_with("_on");
  if (v.is_number() && expected == "a string" && money_or_date) {
    message += " (amounts and dates are strings: write \"1234.56\", never a JSON number)";
  }
  return Status::InvalidArgument(message);
}

Status ParseInt32(const json::Value& v, const std::string& path, int32_t* out) {
  if (!v.is_number()) return WrongType(path, "an integer", v);
  const std::string& text = v.text;
  int32_t value = 0;
  auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (error != std::errc() || end != text.data() + text.size()) {
    return Status::InvalidArgument(path + ": expected a whole number in range, got " +
                                   text.substr(0, 24));
  }
  *out = value;
  return Status::Ok();
}

// One value into a singular field, or appended to a repeated one.
Status SetField(const json::Value& v, Message* message, const FieldDescriptor* field,
                const std::string& path) {
  const Reflection* reflection = message->GetReflection();
  const bool repeated = field->is_repeated();
  switch (field->cpp_type()) {
    case FieldDescriptor::CPPTYPE_STRING:
      if (!v.is_string()) return WrongType(path, "a string", v);
      if (repeated) {
        reflection->AddString(message, field, v.text);
      } else {
        reflection->SetString(message, field, v.text);
      }
      return Status::Ok();
    case FieldDescriptor::CPPTYPE_INT32: {
      int32_t value = 0;
      CASELEDGER_RETURN_IF_ERROR(ParseInt32(v, path, &value));
      if (repeated) {
        reflection->AddInt32(message, field, value);
      } else {
        reflection->SetInt32(message, field, value);
      }
      return Status::Ok();
    }
    case FieldDescriptor::CPPTYPE_BOOL:
      if (!v.is_bool()) return WrongType(path, "true or false", v);
      if (repeated) {
        reflection->AddBool(message, field, v.boolean);
      } else {
        reflection->SetBool(message, field, v.boolean);
      }
      return Status::Ok();
    case FieldDescriptor::CPPTYPE_MESSAGE: {
      if (!v.is_object()) return WrongType(path, "an object", v);
      Message* child = repeated ? reflection->AddMessage(message, field)
                                : reflection->MutableMessage(message, field);
      return MessageFromJson(v, child, path);
    }
    default:
      // The schema uses only strings, int32, bool and messages in commands.
      return Status::InvalidArgument(path + ": unsupported field type");
  }
}

bool IsRequired(const FieldDescriptor* field) {
  if (field->is_repeated()) return false;
  if (field->has_optional_keyword()) return false;
  if (field->real_containing_oneof() != nullptr) return false;
  return true;
}

}  // namespace

Status MessageFromJson(const json::Value& object, Message* message, const std::string& path) {
  if (!object.is_object()) return WrongType(path.empty() ? "line" : path, "an object", object);
  const auto* descriptor = message->GetDescriptor();
  for (const auto& [key, value] : object.members) {
    const std::string field_path = Join(path, key);
    const FieldDescriptor* field = descriptor->FindFieldByName(key);
    if (field == nullptr) {
      return Status::InvalidArgument(field_path + ": unknown key");
    }
    if (value.is_null()) {
      if (IsRequired(field)) return Status::InvalidArgument(field_path + ": is required");
      continue;  // null in an optional field means absent
    }
    if (field->is_repeated()) {
      if (!value.is_array()) return WrongType(field_path, "an array", value);
      if (value.items.size() > kRepeatedItemsMax) {
        return Status::InvalidArgument(field_path + ": more than " +
                                       std::to_string(kRepeatedItemsMax) + " items");
      }
      for (size_t i = 0; i < value.items.size(); ++i) {
        const std::string item_path = field_path + "[" + std::to_string(i) + "]";
        if (value.items[i].is_null()) return Status::InvalidArgument(item_path + ": is null");
        CASELEDGER_RETURN_IF_ERROR(SetField(value.items[i], message, field, item_path));
      }
      continue;
    }
    const auto* oneof = field->real_containing_oneof();
    if (oneof != nullptr && message->GetReflection()->HasOneof(*message, oneof)) {
      return Status::InvalidArgument(field_path + ": a command has exactly one operation key");
    }
    CASELEDGER_RETURN_IF_ERROR(SetField(value, message, field, field_path));
  }
  for (int i = 0; i < descriptor->field_count(); ++i) {
    const FieldDescriptor* field = descriptor->field(i);
    if (!IsRequired(field)) continue;
    if (object.Find(field->name()) == nullptr) {
      return Status::InvalidArgument(Join(path, field->name()) + ": is required");
    }
  }
  return Status::Ok();
}

namespace {

// The authenticated operator in place of whatever the body says of itself: a body naming
// another is refused; one naming nobody (or the same person, spelt in another case) is theirs.
Status TakePeer(std::string_view peer, json::Value* object) {
  for (auto& [key, member] : object->members) {
    if (key != "operator") continue;
    if (member.is_string() && !member.text.empty() && !SameOperator(member.text, peer)) {
      return Status(Code::kNotPermitted, "operator: the command names " + member.text +
                                             ", but the client's " + "certificate is " +
                                             std::string(peer) +
                                             "'s: a command is made by whoever sends it");
    }
    member.type = json::Value::Type::kString;
    member.text = std::string(peer);
    return Status::Ok();
  }
  json::Value value;
  value.type = json::Value::Type::kString;
  value.text = std::string(peer);
  object->members.emplace_back("operator", std::move(value));
  return Status::Ok();
}

}  // namespace

ParsedCommand ParseCommandLine(std::string_view line, std::string_view peer) {
  ParsedCommand parsed;
  json::ParseLimits limits;
  limits.max_bytes = kLineBytesMax;
  limits.max_depth = kJsonDepthMax;
  Result<json::Value> value = json::Parse(line, limits);
  if (!value.ok()) {
    parsed.status = value.status();
    return parsed;
  }
  // Report the request_id even when the rest of the line is wrong, so the user can match it.
  if (value->is_object()) {
    const json::Value* id = value->Find("request_id");
    if (id != nullptr && id->is_string()) parsed.request_id = id->text;
    if (!peer.empty()) {
      parsed.status = TakePeer(peer, &*value);
      if (!parsed.status.ok()) return parsed;
    }
  }
  parsed.status = MessageFromJson(*value, &parsed.command, "");
  if (parsed.status.ok() && parsed.command.op_case() == pb::Command::OP_NOT_SET) {
    parsed.status = Status::InvalidArgument(
        "line: no operation key (open_case, receipt, hold, ...) in the command");
  }
  return parsed;
}

std::string CommandToJson(const pb::Command& command) {
  std::string out;
  google::protobuf::util::JsonPrintOptions options;
  options.preserve_proto_field_names = true;
  auto status = google::protobuf::util::MessageToJsonString(command, &out, options);
  if (!status.ok()) return "{}";  // cannot happen for a valid message; shown, never parsed
  return out;
}

std::string OperationName(const pb::Command& command) {
  if (command.op_case() == pb::Command::OP_NOT_SET) return "";
  const auto* field = command.GetDescriptor()->FindFieldByNumber(command.op_case());
  return field->name();
}

const google::protobuf::Message& OperationMessage(const pb::Command& command) {
  const auto* field = command.GetDescriptor()->FindFieldByNumber(command.op_case());
  return command.GetReflection()->GetMessage(command, field);
}

}  // namespace caseledger

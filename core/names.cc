#include "core/names.h"

#include <algorithm>

namespace caseledger {
namespace {

// A table is complete when it lists every value from its first to the enum's last, once, in
// number order: then FindName is an index, and a value added to the proto without a name here
// fails the build.
template <typename E>
constexpr bool Complete(int enum_array_size) {
  const auto& names = NameTable<E>::kNames;
  const int first = static_cast<int>(names.front().value);
  if (first < 1 || static_cast<int>(names.size()) != enum_array_size - first) return false;
  for (size_t i = 0; i < names.size(); ++i) {
    if (static_cast<int>(names[i].value) != first + static_cast<int>(i)) return false;
    if (names[i].wire.empty() || names[i].chinese.empty()) return false;
  }
  return true;
}

static_assert(Complete<pb::CaseStatus>(pb::CaseStatus_ARRAYSIZE));
static_assert(Complete<pb::ClosureMode>(pb::ClosureMode_ARRAYSIZE));
static_assert(Complete<pb::CaseType>(pb::CaseType_ARRAYSIZE));
static_assert(Complete<pb::CaseFlag>(pb::CaseFlag_ARRAYSIZE));
static_assert(Complete<pb::PartyKind>(pb::PartyKind_ARRAYSIZE));
static_assert(Complete<pb::IdType>(pb::IdType_ARRAYSIZE));
static_assert(Complete<pb::SuspensionKind>(pb::SuspensionKind_ARRAYSIZE));
static_assert(Complete<pb::FeeBase>(pb::FeeBase_ARRAYSIZE));
static_assert(Complete<pb::ClockStart>(pb::ClockStart_ARRAYSIZE));
static_assert(Complete<pb::AllocationPart>(pb::AllocationPart_ARRAYSIZE));
static_assert(Complete<pb::HoldGround>(pb::HoldGround_ARRAYSIZE));
static_assert(Complete<pb::DisbursementStatus>(pb::DisbursementStatus_ARRAYSIZE));
static_assert(Complete<pb::ReceiptSource>(pb::ReceiptSource_ARRAYSIZE));
static_assert(Complete<pb::LodgmentGround>(pb::LodgmentGround_ARRAYSIZE));
static_assert(Complete<pb::LodgmentPayout>(pb::LodgmentPayout_ARRAYSIZE));
static_assert(Complete<pb::DeletionReason>(pb::DeletionReason_ARRAYSIZE));
static_assert(Complete<pb::Operation>(pb::Operation_ARRAYSIZE));
static_assert(Complete<pb::Role>(pb::Role_ARRAYSIZE));
static_assert(Complete<pb::EntryOrigin>(pb::EntryOrigin_ARRAYSIZE));
// The tables of values that are not proto enums, complete the same way (count + 1: no 0).
static_assert(Complete<DefaulterGround>(kDefaulterGroundCount + 1));
static_assert(Complete<DeletionCause>(kDeletionCauseCount + 1));
static_assert(Complete<ReportCategory>(kReportCategoryCount + 1));
// Command.op's first member is open_case = 10, its last refuse = 54 (OperationOf relies on the
// numbers matching).
static_assert(static_cast<int>(pb::OPERATION_OPEN_CASE) ==
              static_cast<int>(pb::Command::kOpenCase));
static_assert(static_cast<int>(pb::OPERATION_REFUSE) == static_cast<int>(pb::Command::kRefuse));

}  // namespace

Status RefuseChoice(const std::string& path, ChoiceList list,
                    const std::vector<std::string_view>& wires) {
  std::vector<std::string_view> shown = wires;
  std::string text = path + ": must be ";
  if (list == ChoiceList::kOneOfSorted) {
    std::sort(shown.begin(), shown.end());
    text += "one of ";
  }
  for (size_t i = 0; i < shown.size(); ++i) {
    if (i > 0) text += list == ChoiceList::kOr && i + 1 == shown.size() ? " or " : ", ";
    text += shown[i];
  }
  return Status::InvalidArgument(text);
}

pb::Operation OperationOf(const pb::Command& command) {
  return static_cast<pb::Operation>(static_cast<int>(command.op_case()));
}

}  // namespace caseledger

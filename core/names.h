// The one table of named states and kinds: for every value of every enum of
// proto/caseledger.proto, its wire name (the string of SPEC's commands and JSON results:
// "closed", "frozen", ...), its Chinese label and its English label for tables. A command's
// string becomes an enum here, once, where the engine validates it; output renders the enum
// back here. Each table lists its enum's values in number order, all of them but 0
// (UNSPECIFIED): names.cc checks that at compile time against the generated `_ARRAYSIZE`.
#ifndef CASELEDGER_CORE_NAMES_H_
#define CASELEDGER_CORE_NAMES_H_

#include <array>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "caseledger.pb.h"
#include "core/status.h"

namespace caseledger {

template <typename E>
struct Name {
  E value;
  std::string_view wire;
  std::string_view chinese;
  // Empty: the wire name. English tables print the words of --json (README "Chinese by
  // default"), so only a wire name that is not English needs its own label.
  std::string_view english = {};
};

// How a wire name not in the table is refused, as SPEC's users have always read it:
// "PATH: must be a, b or c" in the table's order, or "PATH: must be one of a, b, c" sorted.
enum class ChoiceList { kOr, kOneOfSorted };

// Specialised once per enum below: kNames (every value but 0, in number order) and kList.
template <typename E>
struct NameTable;

template <>
struct NameTable<pb::CaseStatus> {
  static constexpr ChoiceList kList = ChoiceList::kOr;
  static constexpr std::array<Name<pb::CaseStatus>, 3> kNames = {{
      {pb::CASE_STATUS_OPEN, "open", "在办"},
      {pb::CASE_STATUS_SUSPENDED, "suspended", "中止"},
      {pb::CASE_STATUS_CLOSED, "closed", "已结"},
  }};
};

template <>
struct NameTable<pb::ClosureMode> {
  static constexpr ChoiceList kList = ChoiceList::kOr;
  static constexpr std::array<Name<pb::ClosureMode>, 6> kNames = {{
      {pb::CLOSURE_MODE_FULLY_PERFORMED, "fully_performed", "执行完毕"},
      {pb::CLOSURE_MODE_TERMINATED_THIS_ROUND, "terminated_this_round", "终结本次执行程序"},
      {pb::CLOSURE_MODE_TERMINATED, "terminated", "终结执行"},
      {pb::CLOSURE_MODE_WITHDRAWN, "withdrawn", "销案"},
      {pb::CLOSURE_MODE_REFUSED, "refused", "不予执行"},
      {pb::CLOSURE_MODE_REJECTED, "rejected", "驳回申请"},
  }};
};

template <>
struct NameTable<pb::CaseType> {
  static constexpr ChoiceList kList = ChoiceList::kOr;
  static constexpr std::array<Name<pb::CaseType>, 7> kNames = {{
      {pb::CASE_TYPE_ENFORCEMENT, "执", "首次执行", "enforcement"},
      {pb::CASE_TYPE_RESTORED, "执恢", "恢复执行", "restored"},
      {pb::CASE_TYPE_PRESERVATION, "执保", "财产保全执行", "preservation"},
      {pb::CASE_TYPE_OBJECTION, "执异", "执行异议", "objection"},
      {pb::CASE_TYPE_REVIEW, "执复", "执行复议", "review"},
      {pb::CASE_TYPE_SUPERVISION, "执监", "执行监督", "supervision"},
      {pb::CASE_TYPE_COORDINATION, "执协", "执行协调", "coordination"},
  }};
};

template <>
struct NameTable<pb::CaseFlag> {
  static constexpr ChoiceList kList = ChoiceList::kOr;
  static constexpr std::array<Name<pb::CaseFlag>, 2> kNames = {{
      {pb::CASE_FLAG_LIVELIHOOD, "livelihood", "涉民生"},
      {pb::CASE_FLAG_ORGANIZED_CRIME_PROPERTY, "organized_crime_property", "涉黑涉恶财产"},
  }};
};

template <>
struct NameTable<pb::PartyKind> {
  static constexpr ChoiceList kList = ChoiceList::kOr;
  static constexpr std::array<Name<pb::PartyKind>, 4> kNames = {{
      {pb::PARTY_KIND_PERSON, "person", "自然人"},
      {pb::PARTY_KIND_ENTERPRISE, "enterprise", "企业"},
      {pb::PARTY_KIND_FINANCIAL_INSTITUTION, "financial_institution", "金融机构"},
      {pb::PARTY_KIND_GOVERNMENT, "government", "党政机关"},
  }};
};

template <>
struct NameTable<pb::IdType> {
  static constexpr ChoiceList kList = ChoiceList::kOr;
  static constexpr std::array<Name<pb::IdType>, 3> kNames = {{
      {pb::ID_TYPE_RESIDENT_ID, "resident_id", "居民身份证"},
      {pb::ID_TYPE_USCC, "uscc", "统一社会信用代码"},
      {pb::ID_TYPE_OTHER, "other", "其他证件"},
  }};
};

template <>
struct NameTable<pb::SuspensionKind> {
  static constexpr ChoiceList kList = ChoiceList::kOr;
  static constexpr std::array<Name<pb::SuspensionKind>, 4> kNames = {{
      {pb::SUSPENSION_KIND_SUSPENSION, "suspension", "中止执行"},
      {pb::SUSPENSION_KIND_STAY, "stay", "暂缓执行"},
      {pb::SUSPENSION_KIND_APPRAISAL, "appraisal", "评估鉴定"},
      {pb::SUSPENSION_KIND_AUCTION, "auction", "拍卖变卖"},
  }};
};

template <>
struct NameTable<pb::FeeBase> {
  static constexpr ChoiceList kList = ChoiceList::kOr;
  static constexpr std::array<Name<pb::FeeBase>, 2> kNames = {{
      {pb::FEE_BASE_CLAIM, "claim", "申请执行标的"},
      {pb::FEE_BASE_RECOVERED, "recovered", "执行到位金额"},
  }};
};

template <>
struct NameTable<pb::ClockStart> {
  static constexpr ChoiceList kList = ChoiceList::kOr;
  static constexpr std::array<Name<pb::ClockStart>, 2> kNames = {{
      {pb::CLOCK_START_NOTICE, "notice", "到账通知日"},
      {pb::CLOCK_START_VALUE_DATE, "value_date", "银行起息日"},
  }};
};

template <>
struct NameTable<pb::AllocationPart> {
  static constexpr ChoiceList kList = ChoiceList::kOr;
  static constexpr std::array<Name<pb::AllocationPart>, 4> kNames = {{
      {pb::ALLOCATION_PART_FEE, "fee", "申请执行费"},
      {pb::ALLOCATION_PART_ORDINARY_INTEREST, "ordinary_interest", "一般债务利息"},
      {pb::ALLOCATION_PART_CLAIM, "claim", "申请执行标的"},
      {pb::ALLOCATION_PART_DELAY_INTEREST, "delay_interest", "迟延履行利息"},
  }};
};

template <>
struct NameTable<pb::HoldGround> {
  static constexpr ChoiceList kList = ChoiceList::kOneOfSorted;
  static constexpr std::array<Name<pb::HoldGround>, 5> kNames = {{
      {pb::HOLD_GROUND_DISTRIBUTION, "distribution", "参与分配"},
      {pb::HOLD_GROUND_FROZEN, "frozen", "款项被冻结"},
      {pb::HOLD_GROUND_NOT_COLLECTED, "not_collected", "申请执行人未领取"},
      {pb::HOLD_GROUND_SUSPENDED, "suspended", "中止执行"},
      {pb::HOLD_GROUND_OTHER, "other", "其他"},
  }};
};

template <>
struct NameTable<pb::DisbursementStatus> {
  static constexpr ChoiceList kList = ChoiceList::kOr;
  static constexpr std::array<Name<pb::DisbursementStatus>, 6> kNames = {{
      {pb::DISBURSEMENT_STATUS_REQUESTED, "requested", "已申请"},
      {pb::DISBURSEMENT_STATUS_APPROVED, "approved", "已审批"},
      {pb::DISBURSEMENT_STATUS_CONFIRMED, "confirmed", "已发放"},
      {pb::DISBURSEMENT_STATUS_FAILED, "failed", "发放失败"},
      {pb::DISBURSEMENT_STATUS_RETURNED, "returned", "银行退回"},
      {pb::DISBURSEMENT_STATUS_REFUSED, "refused", "审批驳回"},
  }};
};

template <>
struct NameTable<pb::ReceiptSource> {
  static constexpr ChoiceList kList = ChoiceList::kOneOfSorted;
  static constexpr std::array<Name<pb::ReceiptSource>, 6> kNames = {{
      {pb::RECEIPT_SOURCE_DEBTOR_PAYMENT, "debtor_payment", "被执行人交款"},
      {pb::RECEIPT_SOURCE_BANK_DEDUCTION, "bank_deduction", "银行扣划"},
      {pb::RECEIPT_SOURCE_AUCTION, "auction", "拍卖变卖"},
      {pb::RECEIPT_SOURCE_SETTLEMENT, "settlement", "执行和解"},
      {pb::RECEIPT_SOURCE_THIRD_PARTY, "third_party", "第三人交款"},
      {pb::RECEIPT_SOURCE_OTHER, "other", "其他"},
  }};
};

template <>
struct NameTable<pb::LodgmentGround> {
  static constexpr ChoiceList kList = ChoiceList::kOneOfSorted;
  static constexpr std::array<Name<pb::LodgmentGround>, 7> kNames = {{
      {pb::LODGMENT_GROUND_REFUSED, "refused", "拒绝受领"},
      {pb::LODGMENT_GROUND_MISSING, "missing", "下落不明"},
      {pb::LODGMENT_GROUND_NO_HEIR, "no_heir", "未确定继承人"},
      {pb::LODGMENT_GROUND_NO_GUARDIAN, "no_guardian", "未确定监护人"},
      {pb::LODGMENT_GROUND_UNREACHABLE, "unreachable", "无法联系"},
      {pb::LODGMENT_GROUND_DISPUTE, "dispute", "权属争议"},
      {pb::LODGMENT_GROUND_OTHER, "other", "其他"},
  }};
};

template <>
struct NameTable<pb::LodgmentPayout> {
  static constexpr ChoiceList kList = ChoiceList::kOr;
  static constexpr std::array<Name<pb::LodgmentPayout>, 2> kNames = {{
      {pb::LODGMENT_PAYOUT_PAYEE, "payee", "领款人"},
      {pb::LODGMENT_PAYOUT_TREASURY, "treasury", "国库"},
  }};
};

template <>
struct NameTable<pb::DeletionReason> {
  static constexpr ChoiceList kList = ChoiceList::kOr;
  static constexpr std::array<Name<pb::DeletionReason>, 9> kNames = {{
      {pb::DELETION_REASON_PERFORMED, "performed", "已履行"},
      {pb::DELETION_REASON_SETTLEMENT_PERFORMED, "settlement_performed", "和解协议已履行"},
      {pb::DELETION_REASON_CREDITOR_REQUEST, "creditor_request", "申请执行人申请删除"},
      {pb::DELETION_REASON_NO_PROPERTY_FOUND, "no_property_found", "无财产可供执行"},
      {pb::DELETION_REASON_SUSPENDED, "suspended", "中止执行"},
      {pb::DELETION_REASON_REFUSED, "refused", "不予执行"},
      {pb::DELETION_REASON_TERMINATED, "terminated", "终结执行"},
      {pb::DELETION_REASON_TERM_EXPIRED, "term_expired", "失信期限届满"},
      {pb::DELETION_REASON_WRONGLY_LISTED, "wrongly_listed", "错误纳入"},
  }};
};

template <>
struct NameTable<pb::Role> {
  static constexpr ChoiceList kList = ChoiceList::kOneOfSorted;
  static constexpr std::array<Name<pb::Role>, 7> kNames = {{
      {pb::ROLE_CLERK, "clerk", "承办人"},
      {pb::ROLE_MANAGER, "manager", "案款管理人"},
      {pb::ROLE_BUREAU_HEAD, "bureau_head", "执行局长"},
      {pb::ROLE_COURT_LEADER, "court_leader", "分管院领导"},
      {pb::ROLE_FINANCE, "finance", "财务人员"},
      {pb::ROLE_AUDITOR, "auditor", "纪检监察"},
      {pb::ROLE_ADMINISTRATOR, "administrator", "系统管理员"},
  }};
};

template <>
struct NameTable<pb::EntryOrigin> {
  static constexpr ChoiceList kList = ChoiceList::kOr;
  static constexpr std::array<Name<pb::EntryOrigin>, 3> kNames = {{
      {pb::ENTRY_ORIGIN_MAINTENANCE, "maintenance", "本地维护"},
      {pb::ENTRY_ORIGIN_AUTHENTICATED, "authenticated", "经认证的用户"},
      {pb::ENTRY_ORIGIN_SERVER, "server", "服务器记录"},
  }};
};

// The wire names are the member names of Command.op (names_test checks them against the
// descriptor), so OperationName(command) and this table agree.
template <>
struct NameTable<pb::Operation> {
  static constexpr ChoiceList kList = ChoiceList::kOr;
  static constexpr std::array<Name<pb::Operation>, 45> kNames = {{
      {pb::OPERATION_OPEN_CASE, "open_case", "立案"},
      {pb::OPERATION_RECEIPT, "receipt", "到账"},
      {pb::OPERATION_UNIDENTIFIED_RECEIPT, "unidentified_receipt", "不明款到账"},
      {pb::OPERATION_CLAIM, "claim", "不明款认领"},
      {pb::OPERATION_REFUND_UNIDENTIFIED, "refund_unidentified", "不明款退回"},
      {pb::OPERATION_HOLD, "hold", "延缓发放"},
      {pb::OPERATION_RELEASE_HOLD, "release_hold", "解除延缓发放"},
      {pb::OPERATION_REQUEST_DISBURSEMENT, "request_disbursement", "发放申请"},
      {pb::OPERATION_APPROVE_DISBURSEMENT, "approve_disbursement", "发放审批"},
      {pb::OPERATION_CONFIRM_DISBURSEMENT, "confirm_disbursement", "发放"},
      {pb::OPERATION_FAIL_DISBURSEMENT, "fail_disbursement", "发放失败"},
      {pb::OPERATION_CHARGE_FEE, "charge_fee", "收取执行费"},
      {pb::OPERATION_PAY_COSTS, "pay_costs", "支付执行费用"},
      {pb::OPERATION_REMIT_FEES, "remit_fees", "执行费上缴"},
      {pb::OPERATION_REFUND, "refund", "退款"},
      {pb::OPERATION_LODGE, "lodge", "提存"},
      {pb::OPERATION_PAY_LODGMENT, "pay_lodgment", "提存款支付"},
      {pb::OPERATION_REMIT_TREASURY, "remit_treasury", "上缴国库"},
      {pb::OPERATION_REVERSE, "reverse", "冲销"},
      {pb::OPERATION_CLOSE_CASE, "close_case", "结案"},
      {pb::OPERATION_SET_RULES, "set_rules", "设置规则"},
      {pb::OPERATION_SUSPEND_CASE, "suspend_case", "中止"},
      {pb::OPERATION_RESUME_CASE, "resume_case", "中止后恢复"},
      {pb::OPERATION_EXTEND_DEADLINE, "extend_deadline", "延长结案期限"},
      {pb::OPERATION_RESTORE_CASE, "restore_case", "恢复执行"},
      {pb::OPERATION_COLLECTIVE_DISBURSEMENT, "collective_disbursement", "集中发放"},
      {pb::OPERATION_DISTRIBUTE, "distribute", "参与分配"},
      {pb::OPERATION_LIST_DEFAULTER, "list_defaulter", "纳入失信名单"},
      {pb::OPERATION_DELIST_DEFAULTER, "delist_defaulter", "删除失信信息"},
      {pb::OPERATION_RESTRICT_CONSUMPTION, "restrict_consumption", "限制消费"},
      {pb::OPERATION_LIFT_RESTRICTION, "lift_restriction", "解除限制消费"},
      {pb::OPERATION_REASSIGN_RECEIPT, "reassign_receipt", "到账改案"},
      {pb::OPERATION_DIRECT_PERFORMANCE, "direct_performance", "直接履行"},
      {pb::OPERATION_SETTLE_IN_KIND, "settle_in_kind", "以物抵债"},
      {pb::OPERATION_RELIEF_PAYMENT, "relief_payment", "司法救助"},
      {pb::OPERATION_TRANSFER_PRESERVED, "transfer_preserved", "保全款转执行"},
      {pb::OPERATION_BANK_INTEREST, "bank_interest", "银行利息"},
      {pb::OPERATION_BANK_CHARGE, "bank_charge", "银行手续费"},
      {pb::OPERATION_REMIT_INTEREST, "remit_interest", "利息上缴"},
      {pb::OPERATION_REIMBURSE_CHARGES, "reimburse_charges", "手续费报销"},
      {pb::OPERATION_SET_ROLES, "set_roles", "设置角色"},
      {pb::OPERATION_APPROVE, "approve", "审批"},
      {pb::OPERATION_CHANGE_PAYEE_ACCOUNT, "change_payee_account", "变更收款账户"},
      {pb::OPERATION_REFUSAL, "refusal", "拒绝记录"},
      {pb::OPERATION_REFUSE, "refuse", "审批驳回"},
  }};
};

// The defaulter grounds of RULES §5 (法释〔2017〕7号 art. 1). Not a proto enum: a listing stores
// and a command sends the ground as its number, so the wire name is the number.
enum class DefaulterGround {
  kRefusesThoughAble = 1,
  kObstructs,
  kEvades,
  kBreaksAssetReporting,
  kBreaksRestriction,
  kBreaksSettlement,
};
inline constexpr int kDefaulterGroundCount = 6;

template <>
struct NameTable<DefaulterGround> {
  static constexpr ChoiceList kList = ChoiceList::kOr;
  static constexpr std::array<Name<DefaulterGround>, kDefaulterGroundCount> kNames = {{
      {DefaulterGround::kRefusesThoughAble, "1", "有履行能力而拒不履行"},
      {DefaulterGround::kObstructs, "2", "以伪造证据、暴力、威胁等方法妨碍抗拒执行"},
      {DefaulterGround::kEvades, "3", "以虚假诉讼、隐匿转移财产等方法规避执行"},
      {DefaulterGround::kBreaksAssetReporting, "4", "违反财产报告制度"},
      {DefaulterGround::kBreaksRestriction, "5", "违反限制消费令"},
      {DefaulterGround::kBreaksSettlement, "6", "无正当理由拒不履行执行和解协议"},
  }};
};

// Why a listing's deletion is due (RULES §5, core/defaulters.h), as `deletion_cause` in JSON:
// "performed", "closed:MODE" (the closure mode's wire name after the colon) or "expired".
enum class DeletionCause {
  kPerformed = 1,
  kClosed,
  kExpired,
};
inline constexpr int kDeletionCauseCount = 3;

template <>
struct NameTable<DeletionCause> {
  static constexpr ChoiceList kList = ChoiceList::kOr;
  static constexpr std::array<Name<DeletionCause>, kDeletionCauseCount> kNames = {{
      {DeletionCause::kPerformed, "performed", "已履行完毕"},
      {DeletionCause::kClosed, "closed", "结案"},
      {DeletionCause::kExpired, "expired", "失信期限届满"},
  }};
};

// The categories of closed cases the indicators break down (SPEC §7): JSON's keys under
// `categories`.
enum class ReportCategory {
  kSmallValue = 1,
  kEnterpriseApplicant,
  kFinancialApplicant,
  kGovernmentRespondent,
  kLivelihood,
  kOrganizedCrimeProperty,
};
inline constexpr int kReportCategoryCount = 6;

template <>
struct NameTable<ReportCategory> {
  static constexpr ChoiceList kList = ChoiceList::kOr;
  static constexpr std::array<Name<ReportCategory>, kReportCategoryCount> kNames = {{
      {ReportCategory::kSmallValue, "small_value", "小标的（10万元以下）"},
      {ReportCategory::kEnterpriseApplicant, "enterprise_applicant", "企业申请执行"},
      {ReportCategory::kFinancialApplicant, "financial_applicant", "金融机构申请执行"},
      {ReportCategory::kGovernmentRespondent, "government_respondent", "党政机关被执行"},
      {ReportCategory::kLivelihood, "livelihood", "涉民生"},
      {ReportCategory::kOrganizedCrimeProperty, "organized_crime_property", "涉黑涉恶财产"},
  }};
};

// The entry of `value`; nullptr for 0 or a number this version does not know (a record
// written by another version).
template <typename E>
constexpr const Name<E>* FindName(E value) {
  const auto& names = NameTable<E>::kNames;
  const int index = static_cast<int>(value) - static_cast<int>(names.front().value);
  if (index < 0 || index >= static_cast<int>(names.size())) return nullptr;
  return &names[static_cast<size_t>(index)];
}

// "" for a value without a name (see FindName).
template <typename E>
std::string_view WireName(E value) {
  const Name<E>* name = FindName(value);
  return name == nullptr ? std::string_view() : name->wire;
}

template <typename E>
std::string_view ChineseLabel(E value) {
  const Name<E>* name = FindName(value);
  return name == nullptr ? std::string_view() : name->chinese;
}

template <typename E>
std::string_view EnglishLabel(E value) {
  const Name<E>* name = FindName(value);
  if (name == nullptr) return {};
  return name->english.empty() ? name->wire : name->english;
}

template <typename E>
std::optional<E> FromWireName(std::string_view wire) {
  for (const Name<E>& name : NameTable<E>::kNames) {
    if (name.wire == wire) return name.value;
  }
  return std::nullopt;
}

// "PATH: must be ..." listing `wires` as `list` says.
Status RefuseChoice(const std::string& path, ChoiceList list,
                    const std::vector<std::string_view>& wires);

// The enum a command's string names, or INVALID_ARGUMENT naming the path and the choices.
template <typename E>
Result<E> ParseName(std::string_view wire, const std::string& path) {
  if (std::optional<E> value = FromWireName<E>(wire)) return *value;
  std::vector<std::string_view> wires;
  for (const Name<E>& name : NameTable<E>::kNames) wires.push_back(name.wire);
  return RefuseChoice(path, NameTable<E>::kList, wires);
}

// The values of a repeated enum field (protobuf keeps them as int).
template <typename E>
std::vector<E> ValuesOf(const google::protobuf::RepeatedField<int>& field) {
  std::vector<E> values;
  for (int value : field) values.push_back(static_cast<E>(value));
  return values;
}

// The wire names of a repeated enum field's values, in order.
template <typename E>
std::vector<std::string> WireNamesOf(const google::protobuf::RepeatedField<int>& field) {
  std::vector<std::string> names;
  for (E value : ValuesOf<E>(field)) names.emplace_back(WireName(value));
  return names;
}

// Every wire name of an enum, in number order (a flag's choices).
template <typename E>
std::vector<std::string> AllWireNames() {
  std::vector<std::string> names;
  for (const Name<E>& name : NameTable<E>::kNames) names.emplace_back(name.wire);
  return names;
}

// A command's operation (OPERATION_UNSPECIFIED when it has none): Operation's numbers are the
// field numbers of Command.op's members.
pb::Operation OperationOf(const pb::Command& command);

}  // namespace caseledger

#endif  // CASELEDGER_CORE_NAMES_H_

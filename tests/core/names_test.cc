// Proves that the name table names every value of every enum of the schema (wire name, Chinese
// and English label), that wire names round-trip, and that an unknown one is refused with the
// message users have always read.
#include "core/names.h"

#include <gtest/gtest.h>

#include <set>

namespace caseledger {
namespace {

// Every value the schema declares, 0 (UNSPECIFIED) aside, has a distinct wire name, both labels,
// and parses back to itself; 0 has none.
template <typename E>
// Adds to *checked how many values it checked (the UNSPECIFIED zero aside).
void ExpectNamed(const google::protobuf::EnumDescriptor* descriptor, int* checked) {
  SCOPED_TRACE(descriptor->name());
  std::set<std::string_view> wires;
  int named = 0;
  for (int i = 0; i < descriptor->value_count(); ++i) {
    const int number = descriptor->value(i)->number();
    const E value = static_cast<E>(number);
    if (number == 0) {
      EXPECT_EQ(WireName(value), "");
      EXPECT_EQ(ChineseLabel(value), "");
      continue;
    }
    ++named;
    SCOPED_TRACE(descriptor->value(i)->name());
    EXPECT_FALSE(WireName(value).empty());
    EXPECT_FALSE(ChineseLabel(value).empty());
    EXPECT_FALSE(EnglishLabel(value).empty());
    EXPECT_TRUE(wires.insert(WireName(value)).second) << "wire name used twice";
    const std::optional<E> back = FromWireName<E>(WireName(value));
    ASSERT_TRUE(back.has_value());
    EXPECT_EQ(*back, value);
    Result<E> parsed = ParseName<E>(WireName(value), "x");
    ASSERT_TRUE(parsed.ok());
    EXPECT_EQ(*parsed, value);
  }
  EXPECT_EQ(named, static_cast<int>(NameTable<E>::kNames.size()));
  // A number this version does not know (a record of another version) has no name.
  EXPECT_EQ(WireName(static_cast<E>(descriptor->value_count() + 1000)), "");
  *checked += named;
}

TEST(NamesTest, EveryValueOfEveryEnumIsNamed) {
  int named = 0;
  ExpectNamed<pb::CaseStatus>(pb::CaseStatus_descriptor(), &named);
  ExpectNamed<pb::ClosureMode>(pb::ClosureMode_descriptor(), &named);
  ExpectNamed<pb::CaseType>(pb::CaseType_descriptor(), &named);
  ExpectNamed<pb::CaseFlag>(pb::CaseFlag_descriptor(), &named);
  ExpectNamed<pb::PartyKind>(pb::PartyKind_descriptor(), &named);
  ExpectNamed<pb::IdType>(pb::IdType_descriptor(), &named);
  ExpectNamed<pb::SuspensionKind>(pb::SuspensionKind_descriptor(), &named);
  ExpectNamed<pb::FeeBase>(pb::FeeBase_descriptor(), &named);
  ExpectNamed<pb::ClockStart>(pb::ClockStart_descriptor(), &named);
  ExpectNamed<pb::AllocationPart>(pb::AllocationPart_descriptor(), &named);
  ExpectNamed<pb::HoldGround>(pb::HoldGround_descriptor(), &named);
  ExpectNamed<pb::DisbursementStatus>(pb::DisbursementStatus_descriptor(), &named);
  ExpectNamed<pb::ReceiptSource>(pb::ReceiptSource_descriptor(), &named);
  ExpectNamed<pb::LodgmentGround>(pb::LodgmentGround_descriptor(), &named);
  ExpectNamed<pb::LodgmentPayout>(pb::LodgmentPayout_descriptor(), &named);
  ExpectNamed<pb::DeletionReason>(pb::DeletionReason_descriptor(), &named);
  ExpectNamed<pb::Operation>(pb::Operation_descriptor(), &named);
  ExpectNamed<pb::EntryOrigin>(pb::EntryOrigin_descriptor(), &named);
  ExpectNamed<pb::Role>(pb::Role_descriptor(), &named);
  // Every value of the 19 enums was checked: at least the 3 case statuses and 49 − 10 + 1 = 40
  // operations, so a table that lost its rows fails here as well as in ExpectNamed.
  EXPECT_GE(named, 3 + 40);
}

// Every enum of the schema is in the test above: a new enum without a table fails here.
TEST(NamesTest, TheTestCoversEveryEnumOfTheSchema) {
  EXPECT_EQ(pb::CaseStatus_descriptor()->file()->enum_type_count(), 19);
}

// The schema's enums name the values SPEC's strings name, and English tables print those.
TEST(NamesTest, WireNamesAreSpecsStrings) {
  EXPECT_EQ(WireName(pb::CASE_STATUS_CLOSED), "closed");
  EXPECT_EQ(ChineseLabel(pb::CASE_STATUS_CLOSED), "已结");
  EXPECT_EQ(EnglishLabel(pb::CASE_STATUS_CLOSED), "closed");
  EXPECT_EQ(WireName(pb::CLOSURE_MODE_TERMINATED_THIS_ROUND), "terminated_this_round");
  EXPECT_EQ(ChineseLabel(pb::CLOSURE_MODE_TERMINATED_THIS_ROUND), "终结本次执行程序");
  EXPECT_EQ(WireName(pb::HOLD_GROUND_FROZEN), "frozen");
  EXPECT_EQ(WireName(pb::CASE_TYPE_PRESERVATION), "执保");
  EXPECT_EQ(EnglishLabel(pb::CASE_TYPE_PRESERVATION), "preservation");
  EXPECT_EQ(WireName(pb::LODGMENT_PAYOUT_TREASURY), "treasury");
}

// The terms that are not proto enums have the same shape: the grounds' wire names are their
// numbers (as listings store them), the causes' those of `deletion_cause` in JSON.
TEST(NamesTest, GroundsAndDeletionCausesAreNamed) {
  for (int ground = 1; ground <= kDefaulterGroundCount; ++ground) {
    const auto value = static_cast<DefaulterGround>(ground);
    EXPECT_EQ(WireName(value), std::to_string(ground));
    EXPECT_EQ(EnglishLabel(value), std::to_string(ground));
    EXPECT_FALSE(ChineseLabel(value).empty());
  }
  EXPECT_EQ(ChineseLabel(DefaulterGround::kRefusesThoughAble), "有履行能力而拒不履行");
  EXPECT_EQ(ChineseLabel(DefaulterGround::kBreaksRestriction), "违反限制消费令");
  EXPECT_EQ(WireName(static_cast<DefaulterGround>(7)), "");
  EXPECT_EQ(WireName(DeletionCause::kPerformed), "performed");
  EXPECT_EQ(WireName(DeletionCause::kClosed), "closed");
  EXPECT_EQ(WireName(DeletionCause::kExpired), "expired");
  EXPECT_EQ(ChineseLabel(DeletionCause::kExpired), "失信期限届满");
}

// Operation's numbers are Command.op's field numbers and its wire names their names.
TEST(NamesTest, OperationsAreTheMembersOfCommandOp) {
  const google::protobuf::OneofDescriptor* op = pb::Command::descriptor()->FindOneofByName("op");
  ASSERT_NE(op, nullptr);
  EXPECT_EQ(op->field_count(), static_cast<int>(NameTable<pb::Operation>::kNames.size()));
  for (int i = 0; i < op->field_count(); ++i) {
    const google::protobuf::FieldDescriptor* field = op->field(i);
    EXPECT_EQ(WireName(static_cast<pb::Operation>(field->number())), field->name());
  }
  pb::Command command;
  EXPECT_EQ(OperationOf(command), pb::OPERATION_UNSPECIFIED);
  command.mutable_resume_case();
  EXPECT_EQ(OperationOf(command), pb::OPERATION_RESUME_CASE);
  command.mutable_relief_payment();
  EXPECT_EQ(OperationOf(command), pb::OPERATION_RELIEF_PAYMENT);
}

std::string Refusal(const Status& status) {
  EXPECT_EQ(status.code(), Code::kInvalidArgument);
  return status.message();
}

// The messages of an unknown wire name are those the engine gave before the table (SPEC §2).
TEST(NamesTest, AnUnknownWireNameIsRefusedAsBefore) {
  EXPECT_EQ(Refusal(ParseName<pb::ClosureMode>("done", "close_case.mode").status()),
            "close_case.mode: must be fully_performed, terminated_this_round, terminated, "
            "withdrawn, refused or rejected");
  EXPECT_EQ(Refusal(ParseName<pb::PartyKind>("Person", "open_case.creditors[0].kind").status()),
            "open_case.creditors[0].kind: must be person, enterprise, financial_institution or "
            "government");
  EXPECT_EQ(Refusal(ParseName<pb::IdType>("passport", "p.id_type").status()),
            "p.id_type: must be resident_id, uscc or other");
  EXPECT_EQ(Refusal(ParseName<pb::CaseFlag>("", "open_case.flags").status()),
            "open_case.flags: must be livelihood or organized_crime_property");
  EXPECT_EQ(Refusal(ParseName<pb::SuspensionKind>("pause", "suspend_case.kind").status()),
            "suspend_case.kind: must be suspension, stay, appraisal or auction");
  EXPECT_EQ(Refusal(ParseName<pb::ClockStart>("bank", "set_rules.clock_start").status()),
            "set_rules.clock_start: must be notice or value_date");
  EXPECT_EQ(Refusal(ParseName<pb::FeeBase>("half", "set_rules.fee_base").status()),
            "set_rules.fee_base: must be claim or recovered");
  EXPECT_EQ(Refusal(ParseName<pb::LodgmentPayout>("court", "pay_lodgment.to").status()),
            "pay_lodgment.to: must be payee or treasury");
  EXPECT_EQ(Refusal(ParseName<pb::DeletionReason>("paid", "delist_defaulter.reason").status()),
            "delist_defaulter.reason: must be performed, settlement_performed, creditor_request, "
            "no_property_found, suspended, refused, terminated, term_expired or wrongly_listed");
  // These three listed their choices sorted, as the set they were kept in did.
  EXPECT_EQ(Refusal(ParseName<pb::HoldGround>("ice", "hold.ground").status()),
            "hold.ground: must be one of distribution, frozen, not_collected, other, suspended");
  EXPECT_EQ(Refusal(ParseName<pb::ReceiptSource>("gift", "receipt.source").status()),
            "receipt.source: must be one of auction, bank_deduction, debtor_payment, other, "
            "settlement, third_party");
  EXPECT_EQ(Refusal(ParseName<pb::LodgmentGround>("lost", "lodge.ground").status()),
            "lodge.ground: must be one of dispute, missing, no_guardian, no_heir, other, refused, "
            "unreachable");
  // Wire names are exact: no case folding, no spaces.
  EXPECT_FALSE(FromWireName<pb::CaseStatus>("Closed").has_value());
  EXPECT_FALSE(FromWireName<pb::CaseStatus>("closed ").has_value());
  EXPECT_FALSE(FromWireName<pb::CaseStatus>("").has_value());
}

}  // namespace
}  // namespace caseledger

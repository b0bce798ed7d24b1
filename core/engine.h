// The function that turns a command plus the current state into an entry or a rejection.
#ifndef CASELEDGER_CORE_ENGINE_H_
#define CASELEDGER_CORE_ENGINE_H_

#include <array>
#include <optional>

#include "caseledger.pb.h"
#include "core/date.h"
#include "core/rules.h"
#include "core/status.h"
#include "core/transaction.h"

namespace caseledger {

// Where a command comes from (SPEC §9). Once roles are set (issue 19) a local write needs
// --maintenance; caseledgerd stages its peers' commands as kAuthenticated. Recorded in the entry
// (Entry.origin) when not kLocal, and replay decides with the recorded value (OriginOf).
struct Origin {
  // kServer: caseledgerd's own record (refusal entries), never a client's command.
  enum class Kind { kLocal, kMaintenance, kAuthenticated, kServer };
  Kind kind = Kind::kLocal;
};

// The origin an entry records, and the value recorded for an origin.
Origin OriginOf(const pb::Entry& entry);
pb::EntryOrigin EntryOriginOf(const Origin& origin);

struct ApplyContext {
  uint64_t seq = 0;            // the sequence number the entry will get if created
  int64_t recorded_at_us = 0;  // UTC time of recording
  std::optional<Date> today;   // for the future-date check; nullopt when replaying
  Rules rules;
  Origin origin;  // replay: OriginOf(the stored entry)
};

struct Decision {
  bool created = false;  // false: an idempotent retry of an earlier request
  uint64_t seq = 0;
  pb::Outcome outcome;
  pb::Entry entry;  // when created: the entry to append (already staged in the transaction)
};

// Checks the command against the state read through `tx` and, when it is accepted, stages
// every state change and the entry in `tx`. On rejection `tx` may hold partial writes:
// the caller discards it. Money invariants are checked on every accepted entry.
Result<Decision> Decide(const pb::Command& command, const ApplyContext& context, Transaction* tx);

// A case's account in postings (SPEC §5): "case:" + its number. Postings are hashed: never renamed.
inline constexpr std::string_view kCaseAccountPrefix = "case:";
inline std::string CaseAccount(std::string_view case_no) {
  return std::string(kCaseAccountPrefix) + std::string(case_no);
}
// The case number of a case account; nullopt for the other accounts.
inline std::optional<std::string_view> CaseOfPostingAccount(std::string_view account) {
  if (!account.starts_with(kCaseAccountPrefix)) return std::nullopt;
  return account.substr(kCaseAccountPrefix.size());
}

// The command whose effect an entry's postings are: the request the last approval step of an
// approve carried out (Entry.carried_out), else the entry's own command.
const pb::Command& EffectiveCommand(const pb::Entry& entry);

// SHA-256 of the command's canonical bytes: idempotency compares bodies by it.
std::array<uint8_t, 32> CommandDigest(const pb::Command& command);

// Serialises a message deterministically (the stored bytes of entries and records).
std::string SerializeDeterministic(const google::protobuf::Message& message);

}  // namespace caseledger

#endif  // CASELEDGER_CORE_ENGINE_H_

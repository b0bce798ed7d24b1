// State records as the rules see them: keyed tables, read through a stack of overlays.
#ifndef CASELEDGER_CORE_TRANSACTION_H_
#define CASELEDGER_CORE_TRANSACTION_H_

#include <google/protobuf/io/coded_stream.h>
#include <google/protobuf/io/zero_copy_stream_impl_lite.h>
#include <google/protobuf/message.h>

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

#include "core/status.h"

namespace caseledger {

// The kinds of state record. The char is the RocksDB key prefix (proto/FORMAT.md).
// On disk: do not change.
enum class Table : char {
  kCase = 'c',           // case_no -> CaseRecord (versioned by seq)
  kGlobal = 'g',         // "" -> GlobalRecord (versioned by seq)
  kAccount = 'a',        // account_no -> case_no
  kUnidentified = 'u',   // bank_ref -> UnidentifiedRecord
  kHold = 'h',           // hold_id -> HoldRecord
  kDisbursement = 'd',   // disbursement_id -> DisbursementRecord
  kLodgment = 'l',       // lodgment_id -> LodgmentRecord
  kRequest = 'r',        // request_id -> RequestRecord
  kBankRefIn = 'i',      // bank_ref -> seq (8 bytes, big-endian) of the inbound entry
  kBankRefOut = 'o',     // bank_ref -> seq of the outbound entry
  kRules = 'q',          // "" -> RulesRecord (versioned by seq)
  kEvent = 'v',          // event_id -> EventRecord
  kDistribution = 'n',   // distribution_id -> DistributionRecord
  kDefaulter = 'p',      // party_id -> DefaulterRecord (versioned by seq)
  kPartyIdentity = 'y',  // party_id -> PartyIdentityRecord (the id_number a party id names)
  // case_no -> the fields of its CaseRecord fixed when the case is opened or restored (parties,
  // claim, terms): written once, beside the versions ('c') of the rest. Stored only: the rules
  // read and write whole CaseRecords under kCase; ledger/codec.h splits and joins them.
  kCaseFixed = 'k',
  kRoles = 's',  // "" -> RolesRecord: the roles in force (absent: a ledger without roles)
};

// 8 bytes, big-endian: sequence numbers in keys and in the bank reference index.
std::string BigEndian64(uint64_t value);

// Reads current state. Implemented by ledger/ over RocksDB and over memory (replay).
class StateReader {
 public:
  virtual ~StateReader() = default;
  // Sets *found; on found, *value holds the stored bytes.
  virtual Status Read(Table table, std::string_view id, std::string* value, bool* found) = 0;
  // The stored bytes of entry `seq` (a reversal reads what it reverses).
  virtual Status ReadEntry(uint64_t seq, std::string* bytes, bool* found) = 0;
};

// Writes staged over a reader: reads see the staged writes first. Nothing reaches the
// reader until the owner copies writes() out (one command, or one group of commands).
class Transaction : public StateReader {
 public:
  using Key = std::pair<Table, std::string>;
  // nullopt: the record is erased.
  using Writes = std::map<Key, std::optional<std::string>>;

  explicit Transaction(StateReader* parent) : parent_(parent) {}
  // Reads below this transaction's own writes go to `parent` from now on (a group staged on a
  // group still being written moves onto the store once that one has landed).
  void set_parent(StateReader* parent) { parent_ = parent; }

  Status Read(Table table, std::string_view id, std::string* value, bool* found) override;
  Status ReadEntry(uint64_t seq, std::string* bytes, bool* found) override;
  void PutEntry(uint64_t seq, std::string bytes) { entries_[seq] = std::move(bytes); }
  const std::map<uint64_t, std::string>& entries() const { return entries_; }

  void Put(Table table, std::string id, std::string value);
  void Erase(Table table, std::string id);

  // Typed access; a record that does not parse is CORRUPTION.
  template <typename M>
  Status Get(Table table, std::string_view id, M* message, bool* found) {
    std::string bytes;
    CASELEDGER_RETURN_IF_ERROR(Read(table, id, &bytes, found));
    if (*found && !message->ParseFromString(bytes)) {
      return Status::Corruption(std::string("state record does not parse: table ") +
                                static_cast<char>(table));
    }
    return Status::Ok();
  }
  void PutMessage(Table table, std::string id, const google::protobuf::Message& message);

  const Writes& writes() const { return writes_; }
  // Moves this transaction's writes into another (its parent, on commit).
  void MergeInto(Transaction* other);
  void Clear() {
    writes_.clear();
    entries_.clear();
  }

 private:
  StateReader* parent_;
  Writes writes_;
  std::map<uint64_t, std::string> entries_;
};

}  // namespace caseledger

#endif  // CASELEDGER_CORE_TRANSACTION_H_

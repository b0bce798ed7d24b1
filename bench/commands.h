// Internal to bench/: each step of a case's plan written as its JSON Lines command (SPEC §2),
// with the bank's side of the money it moves as statement rows; the collective days, the year's
// rules and the monthly fee remittance. Counts what it writes (WorkloadTally).
#ifndef CASELEDGER_BENCH_COMMANDS_H_
#define CASELEDGER_BENCH_COMMANDS_H_

#include <deque>
#include <functional>
#include <string>

#include "bench/caseload.h"
#include "bench/plans.h"
#include "bench/statement_writer.h"
#include "bench/workload.h"

namespace caseledger::bench {

class CommandWriter {
 public:
  explicit CommandWriter(const Caseload& caseload) : caseload_(caseload), seed_(caseload.seed()) {}

  void SetStatementSink(std::function<void(const StatementRow&)> sink) {
    statement_.SetSink(std::move(sink));
  }
  // The oldest line written and not yet taken; false when there is none.
  bool TakeLine(std::string* line);
  // Hands the statement rows valued on or before `through_day` to the sink.
  void FlushRows(int through_day);

  // The command of step `s` of case `p` (none for an item of a collective day).
  void Emit(const CasePlan& p, const Step& s);
  // A collective day: one line per batch of its cases.
  void EmitEvent(const EventShape& event);
  // The year's holidays and adjusted working days, on its first working day.
  void EmitRules(int day);
  // The fees charged since the last remittance go to the treasury (收支两条线, RULES §1); no line
  // when there are none.
  void RemitFees(int day);

  const WorkloadTally& tally() const { return tally_; }

 private:
  const std::string& DayText(int day) const { return caseload_.calendar().DayText(day); }
  std::string Ref(char kind, int day, const CasePlan& p, const std::string& tag) const;
  void Row(int day, Direction direction, const Fen& amount, const std::string& bank_ref,
           const std::string& counterparty, const std::string& counterparty_account,
           const std::string& virtual_account, const std::string& memo);
  void Line(const std::string& op, std::string line);
  void EmitOpen(const CasePlan& p, const Step& s);
  void EmitMoneyIn(const CasePlan& p, const Step& s);
  void EmitDefaulter(const CasePlan& p, const Step& s);
  void EmitDisbursement(const CasePlan& p, const Step& s);
  void EmitMoneyOut(const CasePlan& p, const Step& s);
  void EmitCaseState(const CasePlan& p, const Step& s);
  void EmitStray(const CasePlan& p, const Step& s);

  const Caseload& caseload_;
  uint64_t seed_;
  std::deque<std::string> lines_;
  StatementWriter statement_;
  Fen fee_account_ = 0;
  WorkloadTally tally_;
};

}  // namespace caseledger::bench

#endif  // CASELEDGER_BENCH_COMMANDS_H_

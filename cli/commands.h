// The subcommands of caseledger, one Run function each.
#ifndef CASELEDGER_CLI_COMMANDS_H_
#define CASELEDGER_CLI_COMMANDS_H_

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "cli/output.h"

namespace caseledger::cli {

struct Globals {
  std::string db;
  bool json = false;
  std::string lang = "zh";
  Lang language() const { return lang == "en" ? Lang::kEn : Lang::kZh; }
};

struct ApplyOptions {
  std::string file = "-";
  bool atomic = false;
};

struct CaseOptions {
  std::string case_no;
  std::string as_of;
  std::optional<uint64_t> at_seq;
};

struct CasesOptions {
  std::string status;
  std::string court;
  std::string on;
};

struct CalcInterestOptions {
  std::string claim;
  std::string due;
  std::string on;
  std::vector<std::string> payments;
};

struct CalcSplitOptions {
  std::string amount;
  std::string costs;
  std::vector<std::string> claims;
};

int RunApply(const Globals& globals, const ApplyOptions& options);
int RunCase(const Globals& globals, const CaseOptions& options);
int RunCases(const Globals& globals, const CasesOptions& options);
int RunHistory(const Globals& globals, const std::string& case_no);
int RunBalance(const Globals& globals, const std::string& as_of);
int RunVerify(const Globals& globals);
int RunCalcFee(const Globals& globals, const std::string& amount);
int RunCalcInterest(const Globals& globals, const CalcInterestOptions& options);
int RunCalcSplit(const Globals& globals, const CalcSplitOptions& options);
int RunRules(const Globals& globals, const std::string& as_of);
int RunEvent(const Globals& globals, const std::string& event_id);
int RunEvents(const Globals& globals);
int RunDistribution(const Globals& globals, const std::string& distribution_id);
int RunDefaulter(const Globals& globals, const std::string& party_id, const std::string& on);
int RunDefaulters(const Globals& globals, const std::string& on);

}  // namespace caseledger::cli

#endif  // CASELEDGER_CLI_COMMANDS_H_

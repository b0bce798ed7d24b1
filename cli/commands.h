// The subcommands of caseledger, one Run function each.
#ifndef CASELEDGER_CLI_COMMANDS_H_
#define CASELEDGER_CLI_COMMANDS_H_

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "cli/output.h"
#include "core/statement.h"
#include "ledger/ledger.h"
#include "ledger/reconciling.h"

namespace caseledger {
struct Balances;  // ledger/reading.h
}  // namespace caseledger

namespace caseledger::cli {

// The accounts of the special account for people, label and amount, in the order `balance` and
// `state` print them: cases, suspense, fees, lodged, interest, charges (cli/reading.cc).
std::vector<std::pair<std::string, std::string>> AccountPairs(const Balances& balances, Lang lang);

// What a replica of a ledger replicated through etcd says of itself (server/replica.h), for
// `status` run through it.
struct ReplicaReport {
  std::string name;
  bool leading = false;
  std::string leader;          // the leader's name and address; "" when none holds the lead
  std::string why;             // a follower's reason not to take commands
  uint64_t applied_seq = 0;    // the last entry in this replica's ledger
  uint64_t log_head_seq = 0;   // the shared log's last entry
  uint64_t log_first_seq = 0;  // the first entry etcd still holds (older ones trimmed); 0: none
  int64_t etcd_db_bytes = 0;   // the etcd member's database
  std::vector<std::string> alarms;  // etcd's alarms, "NOSPACE" above all: no write is taken
  std::string etcd_error;           // etcd could not be read
};

struct Globals {
  std::string db;
  bool json = false;
  std::string lang = "zh";
  Lang language() const { return lang == "en" ? Lang::kEn : Lang::kZh; }
  // A server to run the command on (SPEC §9, cli/remote.cc), and the client's TLS files.
  std::string server;
  std::string tls_cert;
  std::string tls_key;
  std::string server_ca;
  // Set by caseledgerd for the commands it runs: a snapshot of the ledger it serves, opened in
  // place of the directory (server/service.cc).
  std::function<Result<std::unique_ptr<Ledger>>()> open_snapshot;
  // ... and the one file such a command may read: the statement the client sent.
  std::string served_input;
  // ... the client's operator (its certificate's), and the server's writer, through which
  // `reconcile --record` records (server/calls.cc).
  std::string served_operator;
  std::function<std::vector<CommandResult>(std::vector<ParsedCommand>)> record_commands;
  // ... and, for a replicated ledger, the replica's report of itself.
  std::function<ReplicaReport()> replica_report;
};

// status: the ledger's head, and through a replica of a replicated one its role, the leader,
// the shared log and etcd's alarms (cli/status.cc).
int RunStatus(const Globals& globals);

// The ledger a reading command reads: the server's snapshot when it runs in caseledgerd, else
// the directory opened read-only.
Result<std::unique_ptr<Ledger>> OpenReading(const Globals& globals, const OpenOptions& open = {});

struct ApplyOptions {
  std::string file = "-";
  bool atomic = false;
  // A local write to a ledger with roles, recorded as such in each entry (SPEC §9).
  bool maintenance = false;
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
  std::string party;       // a party's name, or part of it
  std::string account_no;  // a case's virtual account number
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
// balance [--as-of D] [--statement FILE] (SPEC §3).
struct BalanceOptions {
  std::string as_of;
  std::string statement;  // empty: no statement, and nothing claims 账实相符
};
int RunBalance(const Globals& globals, const BalanceOptions& options);
// verify: the deep pass (every command decided again); verify --fast: the fast pass (the chain,
// the postings, the tree and the stored balances, no replay).
int RunVerify(const Globals& globals, bool fast);
int RunCalcFee(const Globals& globals, const std::string& amount);
int RunCalcInterest(const Globals& globals, const CalcInterestOptions& options);
int RunCalcSplit(const Globals& globals, const CalcSplitOptions& options);
int RunRules(const Globals& globals, const std::string& as_of);
int RunEvent(const Globals& globals, const std::string& event_id);
int RunEvents(const Globals& globals);

struct ApprovalsOptions {
  std::string role;         // only what waits for a step of this role (its wire name); "": all
  std::string case_no;      // only what names this case; "": all
  bool roles_only = false;  // the roles alone (the console asks who its operator is)
};
int RunApprovals(const Globals& globals, const ApprovalsOptions& options);
// names --json: the labels of every named state and kind (cli/names.cc).
int RunNames(const Globals& globals);
int RunDistribution(const Globals& globals, const std::string& distribution_id);
int RunDefaulter(const Globals& globals, const std::string& party_id, const std::string& on);
int RunDefaulters(const Globals& globals, const std::string& on);

// reconcile STATEMENT.csv (SPEC §4).
struct ReconcileOptions {
  std::string statement;
  std::string period;  // FROM:TO
  bool record = false;
  std::string operator_name = kReconcileOperator;
  std::string on;  // --record: the date of what is recorded (default each line's value_date)
  bool csv = false;
};
int RunReconcile(const Globals& globals, const ReconcileOptions& options);
// A bank statement file (SPEC §4) read and parsed into *lines, for reconcile and balance:
// kExitOk, else the exit code after saying why (unreadable: a usage error; too large or
// malformed: its INVALID_ARGUMENT).
int ReadStatement(const std::string& path, bool json, std::vector<StatementLine>* lines);

// movements --from D --to D [filters] (收支明细, SPEC §3): every flag as given.
struct MovementsOptions {
  std::string from;
  std::string to;
  std::string case_no;
  std::string court;
  std::string judge;
  std::string payer;
  std::string bank_ref;
  std::string min;
  std::string max;
  std::string direction;  // "", in, out
  bool csv = false;
};
int RunMovements(const Globals& globals, const MovementsOptions& options);

// feed defaulters --after-seq N: the daily feed to the credit platforms (JSON Lines).
int RunFeedDefaulters(const Globals& globals, uint64_t after_seq);

// report indicators / overdue / backlog / deadlines (SPEC §3, §7, §8): each takes the flags it
// needs of these.
struct ReportOptions {
  std::string from;
  std::string to;
  std::string on;
  std::string court;
  std::string by;  // "", court, judge
  int64_t within = 0;
  bool csv = false;
};
int RunReportIndicators(const Globals& globals, const ReportOptions& options);

struct RefusalsOptions {
  std::string from;
  std::string to;
};
// report refusals (cli/refusals.cc).
int RunReportRefusals(const Globals& globals, const RefusalsOptions& options);
int RunReportOverdue(const Globals& globals, const ReportOptions& options);
int RunReportBacklog(const Globals& globals, const ReportOptions& options);
int RunReportDeadlines(const Globals& globals, const ReportOptions& options);

// report cashbook --month YYYY-MM [--court C] (收支月报).
struct CashbookOptions {
  std::string month;
  std::string court;
  bool csv = false;
};
int RunReportCashbook(const Globals& globals, const CashbookOptions& options);

// report monthly: the monthly supervision report as one self-contained HTML page.
struct MonthlyOptions {
  std::string month;  // YYYY-MM
  std::string html;   // the file written
  std::string court;
};
int RunReportMonthly(const Globals& globals, const MonthlyOptions& options);

// export (SPEC §5): every entry as JSON Lines for offline verification (cli/audit.cc), or as a
// plain-text journal for hledger and ledger-cli (cli/journal.cc).
struct ExportOptions {
  std::string format = "jsonl";  // jsonl, journal
  std::string output;            // "" or "-": stdout
};
int RunExportJsonl(const Globals& globals, const ExportOptions& options);
int RunExportJournal(const Globals& globals, const ExportOptions& options);

// verify --file EXPORT.jsonl [--digest SEQ:HASH]...: an export checked with no database.
struct VerifyOptions {
  bool fast = false;
  std::string file;
  std::vector<std::string> digests;
};
int RunVerifyFile(const Globals& globals, const VerifyOptions& options);
// import EXPORT.jsonl: rebuilds a ledger into an empty directory, verifying as it goes.
int RunImport(const Globals& globals, const std::string& file);
// digest: the tree head a court publishes; prove: inclusion and consistency proofs;
// check-proof: a proof checked against published heads alone.
int RunDigest(const Globals& globals, std::optional<uint64_t> at_seq);
struct ProveOptions {
  std::optional<uint64_t> seq;
  std::optional<uint64_t> digest;     // the tree size the inclusion proof is for
  std::vector<uint64_t> consistency;  // OLD NEW
  std::string output;
};
int RunProve(const Globals& globals, const ProveOptions& options);
int RunCheckProof(const Globals& globals, const std::string& proof_file,
                  const std::vector<std::string>& digests);
// state --at-seq N: every account's balance after entry N.
int RunState(const Globals& globals, std::optional<uint64_t> at_seq);

// bench: a realistic seeded year (bench/workload.h) recorded through apply, the batch API, raw
// RocksDB and the log alone, then verified, queried, reported on and reconciled, and receipts
// into one case against many, each phase timed beside its target (cli/bench.cc).
inline constexpr const char* kBenchPhases = "apply,batch,raw,rawlog,verify,read,onecase";
struct BenchOptions {
  std::string scale = "1";  // an exact decimal: 0.01 for tests, 10 for ~15 million entries
  uint64_t seed = 1;
  std::string dir;  // "": a fresh temporary directory
  bool keep = false;
  // Which phases to run, comma-separated from kBenchPhases (default all). Verify and the reads
  // use the batch database, or apply's when the batch phase is left out.
  std::string phases = kBenchPhases;
  // PostgreSQL's entries per second on the same export (tests/bench/postgres_bench.sh), for the
  // ratios caseledger ÷ PostgreSQL; none when not given.
  std::optional<int64_t> postgres_rate;
  // caseledgerd under load instead of the year (cli/bench_server.cc).
  bool server = false;
  // ... or a ledger replicated through etcd (cli/bench_server.cc, issue 21).
  bool replicated = false;
};
int RunBench(const Globals& globals, const BenchOptions& options);
// bench --server: caseledgerd under load on loopback (cli/bench_server.cc).
int RunBenchServer(const Globals& globals, const BenchOptions& options);
// bench --replicated: three etcd members and three replicas on loopback (cli/bench_server.cc).
int RunBenchReplicated(const Globals& globals, const BenchOptions& options);

}  // namespace caseledger::cli

#endif  // CASELEDGER_CLI_COMMANDS_H_

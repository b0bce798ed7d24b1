// caseledger: the command line (SPEC §1). Parses flags, calls the front doors, prints.
#include <absl/synchronization/mutex.h>
#include <google/protobuf/stubs/logging.h>

#include <CLI/CLI.hpp>
#include <cstdio>
#include <cstdlib>

#include "cli/commands.h"
#include "cli/output.h"
#include "cli/remote.h"
#include "cli/run.h"

namespace caseledger::cli {
namespace {

std::string DefaultDb() {
  const char* env = std::getenv("CASELEDGER_DB");
  return env != nullptr && *env != '\0' ? env : "./caseledger-data";
}

void AddApply(CLI::App& app, Globals& globals, std::function<int()>* run) {
  auto* cmd =
      app.add_subcommand("apply", "Record commands from a JSON Lines file or stdin (SPEC §2)");
  auto options = std::make_shared<ApplyOptions>();
  cmd->add_option("file", options->file, "JSON Lines file of commands; - or nothing for stdin");
  cmd->add_flag("--atomic", options->atomic, "commit the whole file as one unit or not at all");
  cmd->add_flag("--maintenance", options->maintenance,
                "write locally to a ledger with roles (on the server's own machine); recorded in "
                "each entry (SPEC §9)");
  cmd->callback([&globals, options, run] {
    *run = [&globals, options] { return RunApply(globals, *options); };
  });
}

void AddCase(CLI::App& app, Globals& globals, std::function<int()>* run) {
  auto* cmd = app.add_subcommand("case", "Show one case with every figure (SPEC §3)");
  auto options = std::make_shared<CaseOptions>();
  cmd->add_option("case_no", options->case_no, "case number, e.g. (2024)甘0102执1234号")
      ->required();
  auto* as_of = cmd->add_option("--as-of", options->as_of,
                                "entries dated on or before DATE, evaluated on DATE");
  auto* at_seq = cmd->add_option("--at-seq", options->at_seq, "entries up to sequence number N");
  as_of->excludes(at_seq);
  cmd->callback([&globals, options, run] {
    *run = [&globals, options] { return RunCase(globals, *options); };
  });
}

void AddCases(CLI::App& app, Globals& globals, std::function<int()>* run) {
  auto* cmd = app.add_subcommand("cases", "List cases, one row each");
  auto options = std::make_shared<CasesOptions>();
  cmd->add_option("--status", options->status, "open, suspended or closed")
      ->check(CLI::IsMember(AllWireNames<pb::CaseStatus>()));
  cmd->add_option("--court", options->court, "court codes starting with C (甘 is all of Gansu)");
  cmd->add_option("--on", options->on, "evaluate on DATE (default today)");
  cmd->add_option("--party", options->party, "cases a creditor or debtor of this name is party to");
  cmd->add_option("--account", options->account_no, "the case of this virtual account number");
  cmd->callback([&globals, options, run] {
    *run = [&globals, options] { return RunCases(globals, *options); };
  });
}

void AddHistory(CLI::App& app, Globals& globals, std::function<int()>* run) {
  auto* cmd = app.add_subcommand("history", "Every entry that touches a case, in order");
  auto options = std::make_shared<std::string>();
  cmd->add_option("case_no", *options, "case number")->required();
  cmd->callback([&globals, options, run] {
    *run = [&globals, options] { return RunHistory(globals, *options); };
  });
}

void AddBalance(CLI::App& app, Globals& globals, std::function<int()>* run) {
  auto* cmd = app.add_subcommand("balance", "The special account as a whole");
  auto options = std::make_shared<BalanceOptions>();
  cmd->add_option("--as-of", options->as_of, "entries dated on or before DATE");
  cmd->add_option("--statement", options->statement,
                  "the bank statement (CSV, SPEC §4): its closing balance, and 账实相符");
  cmd->callback([&globals, options, run] {
    *run = [&globals, options] { return RunBalance(globals, *options); };
  });
}

void AddVerify(CLI::App& app, Globals& globals, std::function<int()>* run) {
  auto* cmd = app.add_subcommand(
      "verify",
      "Check the hash chain, the postings, and a full replay (of the ledger or an export)");
  auto options = std::make_shared<VerifyOptions>();
  auto* file = cmd->add_option("--file", options->file,
                               "verify an export (export --format jsonl) with no database");
  cmd->add_option("--digest", options->digests,
                  "SEQ:HASH, a published tree head the export's first SEQ entries must have")
      ->needs(file);
  cmd->add_flag("--fast", options->fast,
                "the fast pass: the chain, the postings, the Merkle tree and the stored balances "
                "against the postings, without deciding each command again")
      ->excludes(file);
  cmd->callback([&globals, options, run] {
    *run = [&globals, options] {
      return options->file.empty() ? RunVerify(globals, options->fast)
                                   : RunVerifyFile(globals, *options);
    };
  });
}

void AddAudit(CLI::App& app, Globals& globals, std::function<int()>* run) {
  auto* exp = app.add_subcommand("export", "Write every entry, for auditors or for hledger");
  auto e = std::make_shared<ExportOptions>();
  exp->add_option("--format", e->format,
                  "jsonl (entries with their hashes and bytes) or journal (hledger, ledger-cli)")
      ->check(CLI::IsMember({"jsonl", "journal"}));
  exp->add_option("--output,-o", e->output, "file to write (default stdout)");
  exp->callback([&globals, e, run] {
    *run = [&globals, e] {
      return e->format == "journal" ? RunExportJournal(globals, *e) : RunExportJsonl(globals, *e);
    };
  });

  auto* imp = app.add_subcommand(
      "import", "Rebuild a ledger from an export into an empty --db directory, verifying it");
  auto file = std::make_shared<std::string>();
  imp->add_option("file", *file, "the export (JSON Lines), - for stdin")->required();
  imp->callback(
      [&globals, file, run] { *run = [&globals, file] { return RunImport(globals, *file); }; });

  auto* digest = app.add_subcommand("digest", "The tree head (seq, Merkle root) to publish");
  auto at_seq = std::make_shared<std::optional<uint64_t>>();
  digest->add_option("--at-seq", *at_seq, "the head of the first N entries (default all)");
  digest->callback([&globals, at_seq, run] {
    *run = [&globals, at_seq] { return RunDigest(globals, *at_seq); };
  });

  auto* prove = app.add_subcommand(
      "prove",
      "An inclusion proof (SEQ --digest N) or a consistency proof (--consistency OLD NEW)");
  auto p = std::make_shared<ProveOptions>();
  auto* seq = prove->add_option("seq", p->seq, "the entry to prove");
  prove->add_option("--digest", p->digest, "the tree size N the proof is against")->needs(seq);
  prove->add_option("--consistency", p->consistency, "OLD NEW: tree sizes")
      ->expected(2)
      ->excludes(seq);
  prove->add_option("--output,-o", p->output, "file to write (default stdout)");
  prove->callback([&globals, p, run] { *run = [&globals, p] { return RunProve(globals, *p); }; });

  auto* check = app.add_subcommand(
      "check-proof", "Check a proof from prove against published tree heads alone (no ledger)");
  auto proof = std::make_shared<std::string>();
  auto heads = std::make_shared<std::vector<std::string>>();
  check->add_option("proof", *proof, "the proof file (JSON)")->required();
  check->add_option("--digest", *heads, "SEQ:HASH, a published tree head (one per tree size)")
      ->required();
  check->callback([&globals, proof, heads, run] {
    *run = [&globals, proof, heads] { return RunCheckProof(globals, *proof, *heads); };
  });

  auto* state = app.add_subcommand("state", "Every account's balance after entry N");
  auto state_seq = std::make_shared<std::optional<uint64_t>>();
  state->add_option("--at-seq", *state_seq, "after entry N (default the whole ledger)");
  state->callback([&globals, state_seq, run] {
    *run = [&globals, state_seq] { return RunState(globals, *state_seq); };
  });
}

void AddCalc(CLI::App& app, Globals& globals, std::function<int()>* run) {
  auto* calc = app.add_subcommand("calc", "Statutory calculations alone, with their working");
  calc->require_subcommand(1);
  auto* fee = calc->add_subcommand("fee", "The enforcement fee on an amount (RULES §2)");
  auto amount = std::make_shared<std::string>();
  fee->add_option("amount", *amount, "amount in yuan, e.g. 500000")->required();
  fee->callback([&globals, amount, run] {
    *run = [&globals, amount] { return RunCalcFee(globals, *amount); };
  });
  auto* interest = calc->add_subcommand("interest", "Delay interest (法释〔2014〕8号) on a claim");
  auto interest_options = std::make_shared<CalcInterestOptions>();
  interest->add_option("--claim", interest_options->claim, "the money debt fixed by the judgment")
      ->required();
  interest->add_option("--due", interest_options->due, "the day the performance period expired")
      ->required();
  interest->add_option("--on", interest_options->on, "compute up to this day")->required();
  interest->add_option("--payment", interest_options->payments, "DATE:AMOUNT, as often as needed");
  interest->callback([&globals, interest_options, run] {
    *run = [&globals, interest_options] { return RunCalcInterest(globals, *interest_options); };
  });
  auto* split = calc->add_subcommand("split", "Shares among creditors (参与分配, RULES §4)");
  auto split_options = std::make_shared<CalcSplitOptions>();
  split->add_option("--amount", split_options->amount, "the money to distribute")->required();
  split->add_option("--costs", split_options->costs, "enforcement costs, taken first");
  split->add_option("--claim", split_options->claims, "ID:AMOUNT[:RANK], as often as needed")
      ->required();
  split->callback([&globals, split_options, run] {
    *run = [&globals, split_options] { return RunCalcSplit(globals, *split_options); };
  });
}

void AddEvents(CLI::App& app, Globals& globals, std::function<int()>* run) {
  auto* event = app.add_subcommand("event", "One collective disbursement event (集中发放)");
  auto event_id = std::make_shared<std::string>();
  event->add_option("event_id", *event_id, "the event's id")->required();
  event->callback([&globals, event_id, run] {
    *run = [&globals, event_id] { return RunEvent(globals, *event_id); };
  });
  app.add_subcommand("events", "Every collective disbursement event")->callback([&globals, run] {
    *run = [&globals] { return RunEvents(globals); };
  });
  auto* distribution = app.add_subcommand("distribution", "A distribution plan (参与分配方案)");
  auto distribution_id = std::make_shared<std::string>();
  distribution->add_option("distribution_id", *distribution_id, "the distribution's id")
      ->required();
  distribution->callback([&globals, distribution_id, run] {
    *run = [&globals, distribution_id] { return RunDistribution(globals, *distribution_id); };
  });
}

void AddApprovals(CLI::App& app, Globals& globals, std::function<int()>* run) {
  auto* cmd = app.add_subcommand(
      "approvals", "The roles in force and what waits for approval steps (审批, SPEC §9)");
  auto options = std::make_shared<ApprovalsOptions>();
  cmd->add_option("--role", options->role, "only what waits for a step of this role");
  cmd->add_option("--case", options->case_no, "only what names this case");
  cmd->add_flag("--roles", options->roles_only, "the roles in force alone");
  cmd->callback([&globals, options, run] {
    *run = [&globals, options] { return RunApprovals(globals, *options); };
  });
}

void AddStatus(CLI::App& app, Globals& globals, std::function<int()>* run) {
  app.add_subcommand("status",
                     "The ledger's head; through a replica of a replicated ledger its role, the "
                     "leader, the shared log and etcd's alarms (NOSPACE)")
      ->callback([&globals, run] { *run = [&globals] { return RunStatus(globals); }; });
}

void AddNames(CLI::App& app, Globals& globals, std::function<int()>* run) {
  app.add_subcommand("names", "Every named state and kind with its Chinese and English label")
      ->callback([&globals, run] { *run = [&globals] { return RunNames(globals); }; });
}

void AddDefaulters(CLI::App& app, Globals& globals, std::function<int()>* run) {
  auto* one = app.add_subcommand("defaulter", "Is a party listed or restricted, why, since when");
  auto party_id = std::make_shared<std::string>();
  auto on = std::make_shared<std::string>();
  one->add_option("party_id", *party_id, "the party's id")->required();
  one->add_option("--on", *on, "evaluate on DATE (default today)");
  one->callback([&globals, party_id, on, run] {
    *run = [&globals, party_id, on] { return RunDefaulter(globals, *party_id, *on); };
  });
  auto* all = app.add_subcommand("defaulters", "Active listings on the defaulter list");
  auto all_on = std::make_shared<std::string>();
  all->add_option("--on", *all_on, "evaluate on DATE (default today)");
  all->callback([&globals, all_on, run] {
    *run = [&globals, all_on] { return RunDefaulters(globals, *all_on); };
  });
}

void AddReconcile(CLI::App& app, Globals& globals, std::function<int()>* run) {
  auto* cmd = app.add_subcommand("reconcile", "The bank statement against the ledger (SPEC §4)");
  auto options = std::make_shared<ReconcileOptions>();
  cmd->add_option("statement", options->statement, "the bank statement, UTF-8 CSV")->required();
  cmd->add_option("--period", options->period,
                  "FROM:TO (default: the statement's first to last date)");
  auto* record = cmd->add_flag("--record", options->record,
                               "record bank-only receipts (request id reconcile:BANK_REF)");
  cmd->add_option("--operator", options->operator_name, "who records (default reconcile)")
      ->needs(record);
  cmd->add_option("--on", options->on, "date of what is recorded (default each line's value date)")
      ->needs(record);
  cmd->add_flag("--csv", options->csv, "print CSV for spreadsheets instead of the statement");
  cmd->callback([&globals, options, run] {
    *run = [&globals, options] { return RunReconcile(globals, *options); };
  });
}

void AddRules(CLI::App& app, Globals& globals, std::function<int()>* run) {
  auto* cmd = app.add_subcommand("rules", "The court's rules in force (set with set_rules)");
  auto as_of = std::make_shared<std::string>();
  cmd->add_option("--as-of", *as_of, "the rules in force on DATE");
  cmd->callback(
      [&globals, as_of, run] { *run = [&globals, as_of] { return RunRules(globals, *as_of); }; });
}

void AddMovements(CLI::App& app, Globals& globals, std::function<int()>* run) {
  auto* cmd = app.add_subcommand(
      "movements", "收支明细: every movement through the special account booked in a period");
  auto o = std::make_shared<MovementsOptions>();
  cmd->add_option("--from", o->from, "first day (booking date)")->required();
  cmd->add_option("--to", o->to, "last day (booking date)")->required();
  cmd->add_option("--case", o->case_no, "one case's movements");
  cmd->add_option("--court", o->court, "cases of court codes starting with C");
  cmd->add_option("--judge", o->judge, "cases of one judge");
  cmd->add_option("--payer", o->payer, "the payer or payee contains TEXT");
  cmd->add_option("--bank-ref", o->bank_ref, "the bank reference R");
  cmd->add_option("--min", o->min, "amounts from A");
  cmd->add_option("--max", o->max, "amounts up to A");
  cmd->add_option("--direction", o->direction, "in or out")->check(CLI::IsMember({"in", "out"}));
  cmd->add_flag("--csv", o->csv, "print CSV for spreadsheets instead of tables");
  cmd->callback([&globals, o, run] { *run = [&globals, o] { return RunMovements(globals, *o); }; });
}

void AddFeed(CLI::App& app, Globals& globals, std::function<int()>* run) {
  auto* feed = app.add_subcommand("feed", "Feeds to other systems");
  feed->require_subcommand(1);
  auto* defaulters =
      feed->add_subcommand("defaulters",
                           "Listings, deletions, restrictions and liftings after entry N, for the "
                           "credit platforms (one JSON line each with --json, then the cursor)");
  auto after_seq = std::make_shared<uint64_t>(0);
  defaulters->add_option("--after-seq", *after_seq, "the cursor the last feed ended with")
      ->required();
  defaulters->callback([&globals, after_seq, run] {
    *run = [&globals, after_seq] { return RunFeedDefaulters(globals, *after_seq); };
  });
}

// report indicators / overdue / backlog / deadlines: each a table, --json or --csv.
// report refusals --from D --to D: what caseledgerd refused (SPEC §9).
void AddRefusalsReport(CLI::App* report, Globals& globals, std::function<int()>* run) {
  auto* cmd =
      report->add_subcommand("refusals", "What caseledgerd refused: who, what, why, how often");
  auto options = std::make_shared<RefusalsOptions>();
  cmd->add_option("--from", options->from, "first day (the day of the last refusal)")->required();
  cmd->add_option("--to", options->to, "last day")->required();
  cmd->callback([&globals, options, run] {
    *run = [&globals, options] { return RunReportRefusals(globals, *options); };
  });
}

void AddReport(CLI::App& app, Globals& globals, std::function<int()>* run) {
  auto* report = app.add_subcommand("report", "The reports a court is judged by (SPEC §3, §7)");
  report->require_subcommand(1);
  AddRefusalsReport(report, globals, run);
  auto add = [&](const char* name, const char* about,
                 int (*run_report)(const Globals&, const ReportOptions&)) {
    auto* cmd = report->add_subcommand(name, about);
    auto options = std::make_shared<ReportOptions>();
    cmd->add_option("--court", options->court, "court codes starting with C (甘 is all of Gansu)");
    cmd->add_flag("--csv", options->csv, "print CSV for spreadsheets instead of tables");
    cmd->callback([&globals, options, run, run_report] {
      *run = [&globals, options, run_report] { return run_report(globals, *options); };
    });
    return std::make_pair(cmd, options);
  };
  auto [indicators, i] =
      add("indicators", "Indicators for a period: closure, recovery, modes", RunReportIndicators);
  indicators->add_option("--from", i->from, "first day of the period")->required();
  indicators->add_option("--to", i->to, "last day of the period")->required();
  indicators->add_option("--by", i->by, "break the figures down by court or judge")
      ->check(CLI::IsMember({"court", "judge"}));
  auto [overdue, o] =
      add("overdue", "Money, unidentified receipts and deletions past due", RunReportOverdue);
  overdue->add_option("--on", o->on, "evaluate on DATE (default today)");
  overdue->add_option("--from", o->from,
                      "late payments from DATE to --on (default the first day of its month)");
  auto [backlog, b] =
      add("backlog", "Open cases past the deadline or over 1, 3, 5, 10 years", RunReportBacklog);
  backlog->add_option("--on", b->on, "evaluate on DATE (default today)");
  backlog->add_option("--from", b->from, "the clearing of the backlog that stood on DATE");
  auto [deadlines, d] = add(
      "deadlines", "Closure and payout deadlines in the next N days, by judge", RunReportDeadlines);
  deadlines->add_option("--on", d->on, "first day (default today)");
  deadlines->add_option("--within", d->within, "days ahead, 0 to 3660")->required();
  auto* cashbook = report->add_subcommand(
      "cashbook", "收支月报: opening, in, out, closing per kind of account and in total");
  auto cb = std::make_shared<CashbookOptions>();
  cashbook->add_option("--month", cb->month, "the month, YYYY-MM")->required();
  cashbook->add_option("--court", cb->court, "those courts' cases alone (no total)");
  cashbook->add_flag("--csv", cb->csv, "print CSV for spreadsheets instead of tables");
  cashbook->callback(
      [&globals, cb, run] { *run = [&globals, cb] { return RunReportCashbook(globals, *cb); }; });
  auto* monthly = report->add_subcommand(
      "monthly", "The monthly supervision report as one self-contained HTML page");
  auto m = std::make_shared<MonthlyOptions>();
  monthly->add_option("--month", m->month, "the month, YYYY-MM")->required();
  monthly->add_option("--html", m->html,
                      "the HTML file to write (required but with --json: then the lights alone)");
  monthly->add_option("--court", m->court, "court codes starting with C (甘 is all of Gansu)");
  monthly->callback(
      [&globals, m, run] { *run = [&globals, m] { return RunReportMonthly(globals, *m); }; });
}

void AddBench(CLI::App& app, Globals& globals, std::function<int()>* run) {
  auto* cmd = app.add_subcommand(
      "bench", "Record a realistic seeded year (Gansu 2021) four ways and time every phase");
  auto options = std::make_shared<BenchOptions>();
  cmd->add_option("--scale", options->scale, "times the year: 0.01 for tests, 10 for ~15M entries");
  cmd->add_option("--seed", options->seed, "the workload's seed (default 1)");
  cmd->add_option("--dir", options->dir, "work in DIR, new or empty (default a temporary one)");
  cmd->add_flag("--keep", options->keep, "keep the directory: workload, statement, databases");
  cmd->add_option("--phases", options->phases,
                  std::string("comma-separated from ") + kBenchPhases + " (default all)");
  cmd->add_option("--postgres-rate", options->postgres_rate,
                  "PostgreSQL's entries/s on the same export (tests/bench/postgres_bench.sh)");
  cmd->add_flag("--server", options->server,
                "caseledgerd on loopback: 64 clients one command at a time, 8 streaming batches");
  cmd->add_flag("--replicated", options->replicated,
                "three etcd members and three caseledgerd replicas on loopback: 64 clients one "
                "command at a time on the leader, then the time to a write after killing it");
  cmd->callback([&globals, options, run] {
    *run = [&globals, options] {
      if (options->replicated) return RunBenchReplicated(globals, *options);
      return options->server ? RunBenchServer(globals, *options) : RunBench(globals, *options);
    };
  });
}

// Every subcommand, on `globals`; `run` is set to the one the command line chose. The global
// flags that choose a ledger (--db, --server and its TLS files) only where the command line is
// the user's own: caseledgerd serves one ledger and chooses it itself.
void AddCommands(CLI::App& app, Globals& globals, std::function<int()>* run, bool choose_ledger) {
  app.fallthrough();
  app.require_subcommand(1);
  if (choose_ledger) {
    app.add_option("--db", globals.db,
                   "ledger directory (default $CASELEDGER_DB or ./caseledger-data)");
    AddServerFlags(app, globals);
  }
  app.add_flag("--json", globals.json, "print JSON for scripts instead of tables");
  app.add_option("--lang", globals.lang, "table labels: zh (default) or en")
      ->check(CLI::IsMember({"zh", "en"}));
  AddApply(app, globals, run);
  AddCase(app, globals, run);
  AddCases(app, globals, run);
  AddHistory(app, globals, run);
  AddBalance(app, globals, run);
  AddMovements(app, globals, run);
  AddFeed(app, globals, run);
  AddVerify(app, globals, run);
  AddAudit(app, globals, run);
  AddCalc(app, globals, run);
  AddRules(app, globals, run);
  AddEvents(app, globals, run);
  AddApprovals(app, globals, run);
  AddNames(app, globals, run);
  AddStatus(app, globals, run);
  AddDefaulters(app, globals, run);
  AddReconcile(app, globals, run);
  AddReport(app, globals, run);
  AddBench(app, globals, run);
}

// CLI11's help and parse errors, through the thread's sink.
int ParseFailure(CLI::App& app, const CLI::ParseError& e) {
  if (e.get_name() == "CallForHelp" || e.get_name() == "CallForAllHelp") {
    return app.exit(e, OutStream(), ErrStream());
  }
  WriteErr(std::string("caseledger: ") + e.what() +
           "\nRun caseledger --help (or caseledger COMMAND --help).\n");
  return kExitUsage;
}

}  // namespace

int Main(int argc, char** argv) {
  // Protobuf logs a damaged entry's field name on stderr; our own message says what is wrong.
  google::protobuf::SetLogHandler(nullptr);
  // gRPC's mutexes (a --server client) check for deadlock cycles in Debian's build of Abseil:
  // a tenth of a client's CPU, and a check for gRPC's developers, not for a court.
  absl::SetMutexDeadlockDetectionMode(absl::OnDeadlockCycle::kIgnore);
  CLI::App app{"caseledger: the ledger of court enforcement case money (执行款)"};
  Globals globals;
  globals.db = DefaultDb();
  std::function<int()> run;
  AddCommands(app, globals, &run, /*choose_ledger=*/true);
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return ParseFailure(app, e);
  }
  ServerFromEnvironment(&globals);
  if (!globals.server.empty()) {
    if (std::optional<int> code = RunRemote(globals, app, argc, argv)) return *code;
  }
  return run ? run() : kExitUsage;
}

int RunServed(const std::vector<std::string>& args, Globals globals) {
  CLI::App app{"caseledger: the ledger of court enforcement case money (执行款)"};
  std::function<int()> run;
  AddCommands(app, globals, &run, /*choose_ledger=*/false);
  std::vector<std::string> reversed(args.rbegin(), args.rend());  // CLI11 takes them last first
  try {
    app.parse(reversed);
  } catch (const CLI::ParseError& e) {
    return ParseFailure(app, e);
  }
  return run ? run() : kExitUsage;
}

}  // namespace caseledger::cli

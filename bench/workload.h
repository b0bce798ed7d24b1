// A realistic, seeded workload for `caseledger bench`: a year (2021) of enforcement money in the
// basic courts of Gansu, shaped by the figures of RULES §8, as JSON Lines commands (SPEC §2) in
// business-date order, generated one line at a time (never the whole list): each case's year is
// a plan computed from (seed, case index) alone and recomputed when needed, so memory holds only
// the next step of each open case and a few days of statement rows (~25 MB per unit of scale).
// Every line is meant to be accepted by the engine: a rejected line is a bug of this generator.
// Pure: no I/O; the caller writes the lines and the statement. The front door of bench/, with
// the statement's rows (bench/statement_writer.h); the other headers of bench/ are internal.
#ifndef CASELEDGER_BENCH_WORKLOAD_H_
#define CASELEDGER_BENCH_WORKLOAD_H_

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <string_view>

#include "bench/statement_writer.h"
#include "core/date.h"
#include "core/money.h"
#include "core/status.h"

namespace caseledger {

// The figures of RULES §8 (Gansu courts, 2021) the workload is shaped by, at scale 1.
inline constexpr int64_t kWorkloadCases = 156468;
inline constexpr int64_t kWorkloadSmallCases = 14183;               // claims under 100,000.00
inline constexpr int64_t kWorkloadSmallRecoveredFen = 31200000000;  // ¥312 million
inline constexpr int64_t kWorkloadRecoveredFen = 1527000000000;     // ¥15.27 billion
inline constexpr int64_t kWorkloadCourts = 100;
// The collective disbursement day of 18 Nov 2021: 470 cases, 483 payees, ¥110 million.
inline constexpr int64_t kWorkloadEventCases = 470;
inline constexpr int64_t kWorkloadEventPayees = 483;
inline constexpr int64_t kWorkloadEventFen = 11000000000;
// The scale is an exact decimal with up to six decimals, held in millionths.
inline constexpr int64_t kScaleOne = 1000000;
// Up to 100 times the year: ~15.6 million cases, ~150 million lines.
inline constexpr int64_t kScaleMax = 100 * kScaleOne;

// "0.01" -> 10000, "10" -> 10000000: digits with an optional point and at most six decimals,
// more than zero, at most 100. Anything else is InvalidArgument naming `path`.
Result<int64_t> ParseScale(std::string_view text, std::string_view path);
// 10000 -> "0.01".
std::string FormatScale(int64_t scale_millionths);

struct WorkloadOptions {
  uint64_t seed = 1;
  int64_t scale_millionths = kScaleOne;
};

// What has been generated so far (all of it once Next() returned false).
struct WorkloadTally {
  int64_t lines = 0;
  std::map<std::string, int64_t> operations;  // operation key -> lines
  int64_t cases_opened = 0;
  int64_t small_cases_opened = 0;
  int64_t cases_closed = 0;
  Fen recovered_fen = 0;        // receipts and claims into cases, less refunds
  Fen small_recovered_fen = 0;  // the same, of the cases with a claim under 100,000.00
  Fen fees_charged_fen = 0;
  int64_t bank_lines = 0;  // statement rows handed to the sink
};

class Workload {
 public:
  explicit Workload(const WorkloadOptions& options);
  ~Workload();
  Workload(const Workload&) = delete;
  Workload& operator=(const Workload&) = delete;

  // The next command line (one JSON object, no line end); false once the year is done.
  bool Next(std::string* line);

  // Receives every movement through the bank the workload makes, in value-date order with the
  // running balance: the year's statement. Rows are handed over a few days after their value
  // date (money booked on a Monday may carry Saturday's value date), all of them by the time
  // Next() returns false. Set it before the first Next().
  void SetStatementSink(std::function<void(const StatementRow&)> sink);

  // ---- What the workload is, known before generating it.
  int64_t cases() const;
  int64_t small_cases() const;
  // The lines Next() will produce in all. Costs one pass over every case's plan (no JSON):
  // about a second per million cases.
  int64_t CountLines() const;
  // Case `index` (0 <= index < cases()): its number and filing date, for sampling queries.
  std::string CaseNumberOf(int64_t index) const;
  Date FiledOnOf(int64_t index) const;
  // The first and last business dates of the workload.
  static Date FirstDay();
  static Date LastDay();

  const WorkloadTally& tally() const;

  class Impl;

 private:
  std::unique_ptr<Impl> impl_;
};

}  // namespace caseledger

#endif  // CASELEDGER_BENCH_WORKLOAD_H_

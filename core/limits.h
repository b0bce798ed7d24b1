// Every limit on input, batches and loops, in one place, each with its reason.
#ifndef CASELEDGER_CORE_LIMITS_H_
#define CASELEDGER_CORE_LIMITS_H_

#include <cstddef>
#include <cstdint>

namespace caseledger {

// SPEC §2: a command line may be up to 16 MiB (a collective event of 10,000 items fits).
inline constexpr size_t kLineBytesMax = 16 * 1024 * 1024;
// Commands nest a few levels; anything deeper is hostile input, not a command.
inline constexpr size_t kJsonDepthMax = 16;
// SPEC §2: a collective disbursement has at most 10,000 items; other lists are far smaller.
inline constexpr size_t kRepeatedItemsMax = 10000;
// Parties of one case: more than this is not a case but a mistake (and an unbounded record).
inline constexpr size_t kPartiesPerCaseMax = 1000;
// `apply` groups at most this many commands into one synced WriteBatch, bounding the memory
// of a group and the latency of the first result in it.
inline constexpr size_t kGroupCommandsMax = 1024;
// ... and at most this many bytes of input per group.
inline constexpr size_t kGroupBytesMax = 32 * 1024 * 1024;
// `--atomic` holds the whole file in one unit; bound it so one unit fits in memory.
inline constexpr size_t kAtomicCommandsMax = 1000000;
// Operators holding roles (SPEC §9): a court's staff is a few hundred; every write reads the
// roles record once, so it stays small (about 40 bytes an operator).
inline constexpr size_t kOperatorsWithRolesMax = 5000;
// Lots of money kept per case: each receipt makes one; consumed lots are dropped.
inline constexpr size_t kLotsPerCaseMax = 100000;
// A bank statement (SPEC §4) is reconciled in memory. A month of the busiest court's special
// account is far below this; 1,000,000 lines reconcile in seconds, and at a few hundred bytes a
// line in memory the run stays under a gigabyte.
inline constexpr size_t kStatementLinesMax = 2000000;
// The statement file is read whole before anything is decided: 2,000,000 lines of ~500 bytes.
inline constexpr size_t kStatementBytesMax = size_t{1} << 30;
// One field of a statement line: the longest is the memo, which banks cap at a few hundred
// characters; 4 KiB (over 1,000 CJK characters) never cuts a real one and bounds a row.
inline constexpr size_t kStatementFieldBytesMax = 4096;
// `report deadlines --within N`: the longest closure deadline is 120 months plus extensions,
// so ten years ahead (3,660 days) reaches every deadline a case can have.
inline constexpr int64_t kDeadlinesWithinDaysMax = 3660;

// verify --fast hands entries from the reading thread to the checking one in chunks of this
// many (about a megabyte of entries: few hand-overs, and a chunk stays in the CPU's caches)...
inline constexpr size_t kVerifyChunkEntries = 4096;
// ... and at most this many chunks wait at once, bounding its memory to a few megabytes.
inline constexpr size_t kVerifyChunksInFlight = 8;
// Its tables of sums and of cases are sized up front by the cases the ledger says it opened,
// believed up to this many (scale 100 of the bench); past it they grow as they fill.
inline constexpr size_t kVerifyCasesExpectedMax = 16000000;

// Limits that depend on each other (TigerBeetle's constants.zig): changing one alone must not
// make another unreachable or let it cut what it was meant to allow.
static_assert(kGroupBytesMax >= kLineBytesMax, "a group holds at least one line of the longest");
static_assert(kAtomicCommandsMax >= kGroupCommandsMax,
              "an --atomic unit may hold at least what one group does");
static_assert(kStatementBytesMax >= kStatementFieldBytesMax,
              "a statement holds at least one field of the longest");
static_assert(kStatementBytesMax >= kStatementLinesMax,
              "every line the statement may have fits in its bytes (one byte each at least)");
static_assert(kDeadlinesWithinDaysMax >= 10 * 366,
              "`report deadlines --within` reaches ten years ahead, leap days included");

}  // namespace caseledger

#endif  // CASELEDGER_CORE_LIMITS_H_

// The commands of the bench's "one case against many" phase (cli/bench.cc `onecase`): a case
// with one claim opened, then receipts of 10.00 recorded into one of `cases` such cases round
// robin, every receipt with its own request id and bank reference, all dated 2021-01-04. Made
// to show whether the cost of an entry grows with the history of its case: the same receipts
// into one case or spread over many. Pure: no I/O. A front door of bench/.
#ifndef CASELEDGER_BENCH_ONE_CASE_H_
#define CASELEDGER_BENCH_ONE_CASE_H_

#include <cstdint>
#include <string>

namespace caseledger {

// The receipts of the phase at scale ≥ 0.1 (scale 1: 20,000; below 0.1 proportionally fewer,
// so that the tests' tiny scales stay fast), and the cases they are spread over.
inline constexpr int64_t kOneCaseReceipts = 20000;
inline constexpr int64_t kOneCaseFullFromScaleMillionths = 100000;  // 0.1
inline constexpr int64_t kOneCaseSpreadCases = 200;

// kOneCaseReceipts at scale ≥ 0.1, else that × scale / 0.1, at least kOneCaseSpreadCases (one
// receipt for each case of the spread ledger).
int64_t OneCaseReceiptsAt(int64_t scale_millionths);

// `open_case` of case `index` (0-based) of a ledger of the phase: its own case number, a claim
// of 1,000,000.00, one creditor and one debtor (the same parties in every case).
std::string OneCaseOpenLine(int64_t index);

// `receipt` number `receipt` (0-based) of 10.00 into case `case_index`.
std::string OneCaseReceiptLine(int64_t receipt, int64_t case_index);

}  // namespace caseledger

#endif  // CASELEDGER_BENCH_ONE_CASE_H_

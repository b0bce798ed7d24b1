#include "core/workload.h"

#include <fmt/core.h>

#include <algorithm>
#include <array>
#include <deque>
#include <numeric>
#include <optional>
#include <queue>

#include "core/fee.h"
#include "core/identifiers.h"
#include "core/json.h"
#include "core/limits.h"

namespace caseledger {
namespace {

// ---- The year.

constexpr int kYear = 2021;
constexpr int kDays = 365;  // day 0 is 2021-01-01
constexpr int kLastDay = kDays - 1;
constexpr int kTruncated = kDays;  // a step that would fall after the year: not generated
// A receipt's bank value date is at most this many days before its `on`.
constexpr int kValueLagMax = 3;
// The collective disbursement days: before the Spring Festival (wages of migrant workers, a
// court custom) and the province's day of 18 Nov 2021 (RULES §8).
constexpr int kSpringEventDay = 35;     // 2021-02-05, a Friday
constexpr int kProvinceEventDay = 321;  // 2021-11-18, a Thursday
constexpr int64_t kSpringEventCases = 300;
constexpr int64_t kProvinceEventTwoPayeeCases = kWorkloadEventPayees - kWorkloadEventCases;
// SPEC §2 allows kRepeatedItemsMax items per event; a collective day at a large scale is split
// into batches of whole cases, each batch one event.
constexpr int64_t kEventItemsPerBatch = kRepeatedItemsMax;
constexpr int64_t kSmallClaimFen = 10000000;  // 100,000.00: a small case (SPEC §7)
constexpr int64_t kProvinceEventClaimFloorFen = kSmallClaimFen;

// The State Council's 2021 holiday arrangement (国办发明电〔2020〕27号): days off, and the weekend
// days worked in exchange (调休上班).
constexpr std::array<std::array<int, 3>, 7> kHolidayRanges = {
    {{1, 1, 3}, {2, 11, 17}, {4, 3, 5}, {5, 1, 5}, {6, 12, 14}, {9, 19, 21}, {10, 1, 7}}};
constexpr std::array<std::array<int, 2>, 7> kWorkdays = {
    {{2, 7}, {2, 20}, {4, 25}, {5, 8}, {9, 18}, {9, 26}, {10, 9}}};

Date Jan1() { return *Date::FromYmd(kYear, 1, 1); }
int DayOf(int month, int day) {
  return static_cast<int>(Date::FromYmd(kYear, month, day)->days() - Jan1().days());
}

// ---- Courts: 100 basic courts of Gansu by court code (4 digits after 甘), with the county or
// district they serve. The codes of the prefectures' development zones (…71, …72) are invented to
// make up the hundred.
struct Court {
  const char* digits;
  const char* county;
  int city;  // index into kCities
};
constexpr std::array<const char*, 14> kCities = {"兰州", "嘉峪关", "金昌", "白银", "天水",
                                                 "武威", "张掖",   "平凉", "酒泉", "庆阳",
                                                 "定西", "陇南",   "临夏", "甘南"};
constexpr std::array<Court, kWorkloadCourts> kCourts = {{
    {"0102", "城关", 0},      {"0103", "七里河", 0},     {"0104", "西固", 0},
    {"0105", "安宁", 0},      {"0111", "红古", 0},       {"0121", "永登", 0},
    {"0122", "皋兰", 0},      {"0123", "榆中", 0},       {"0171", "兰州新区", 0},
    {"0172", "兰州高新", 0},  {"0201", "嘉峪关", 1},     {"0202", "雄关", 1},
    {"0302", "金川", 2},      {"0321", "永昌", 2},       {"0402", "白银", 3},
    {"0403", "平川", 3},      {"0421", "靖远", 3},       {"0422", "会宁", 3},
    {"0423", "景泰", 3},      {"0472", "白银高新", 3},   {"0502", "秦州", 4},
    {"0503", "麦积", 4},      {"0521", "清水", 4},       {"0522", "秦安", 4},
    {"0523", "甘谷", 4},      {"0524", "武山", 4},       {"0525", "张家川", 4},
    {"0571", "天水经开", 4},  {"0602", "凉州", 5},       {"0621", "民勤", 5},
    {"0622", "古浪", 5},      {"0623", "天祝", 5},       {"0671", "武威工业园", 5},
    {"0702", "甘州", 6},      {"0721", "肃南", 6},       {"0722", "民乐", 6},
    {"0723", "临泽", 6},      {"0724", "高台", 6},       {"0725", "山丹", 6},
    {"0771", "张掖经开", 6},  {"0802", "崆峒", 7},       {"0821", "泾川", 7},
    {"0822", "灵台", 7},      {"0823", "崇信", 7},       {"0825", "庄浪", 7},
    {"0826", "静宁", 7},      {"0871", "平凉工业园", 7}, {"0881", "华亭", 7},
    {"0902", "肃州", 8},      {"0921", "金塔", 8},       {"0922", "瓜州", 8},
    {"0923", "肃北", 8},      {"0924", "阿克塞", 8},     {"0971", "酒泉经开", 8},
    {"0981", "玉门", 8},      {"0982", "敦煌", 8},       {"1002", "西峰", 9},
    {"1021", "庆城", 9},      {"1022", "环县", 9},       {"1023", "华池", 9},
    {"1024", "合水", 9},      {"1025", "正宁", 9},       {"1026", "宁县", 9},
    {"1027", "镇原", 9},      {"1071", "庆阳经开", 9},   {"1102", "安定", 10},
    {"1121", "通渭", 10},     {"1122", "陇西", 10},      {"1123", "渭源", 10},
    {"1124", "临洮", 10},     {"1125", "漳县", 10},      {"1126", "岷县", 10},
    {"1171", "定西经开", 10}, {"1202", "武都", 11},      {"1221", "成县", 11},
    {"1222", "文县", 11},     {"1223", "宕昌", 11},      {"1224", "康县", 11},
    {"1225", "西和", 11},     {"1226", "礼县", 11},      {"1227", "徽县", 11},
    {"1228", "两当", 11},     {"1271", "陇南经开", 11},  {"2901", "临夏市", 12},
    {"2921", "临夏县", 12},   {"2922", "康乐", 12},      {"2923", "永靖", 12},
    {"2924", "广河", 12},     {"2925", "和政", 12},      {"2926", "东乡", 12},
    {"2927", "积石山", 12},   {"2971", "临夏经开", 12},  {"3001", "合作", 13},
    {"3021", "临潭", 13},     {"3022", "卓尼", 13},      {"3023", "舟曲", 13},
    {"3024", "迭部", 13},     {"3025", "玛曲", 13},      {"3026", "碌曲", 13},
    {"3027", "夏河", 13},
}};

// ---- Names (invented).
constexpr std::array<const char*, 100> kSurnames = {
    "王", "李", "张", "刘", "陈", "杨", "赵", "黄", "周", "吴", "徐", "孙", "胡", "朱", "高",
    "林", "何", "郭", "马", "罗", "梁", "宋", "郑", "谢", "韩", "唐", "冯", "于", "董", "萧",
    "程", "曹", "袁", "邓", "许", "傅", "沈", "曾", "彭", "吕", "苏", "卢", "蒋", "蔡", "贾",
    "丁", "魏", "薛", "叶", "阎", "余", "潘", "杜", "戴", "夏", "钟", "汪", "田", "任", "姜",
    "范", "方", "石", "姚", "谭", "廖", "邹", "熊", "金", "陆", "郝", "孔", "白", "崔", "康",
    "毛", "邱", "秦", "江", "史", "顾", "侯", "邵", "孟", "龙", "万", "段", "雷", "钱", "汤",
    "尹", "黎", "易", "常", "武", "乔", "贺", "赖", "龚", "文"};
constexpr std::array<const char*, 64> kGiven = {
    "建", "国", "华", "明", "军", "平", "伟", "强", "磊", "洋", "勇", "杰", "涛", "斌", "超", "鹏",
    "辉", "刚", "亮", "波", "芳", "娟", "敏", "静", "丽", "艳", "霞", "燕", "红", "玲", "萍", "梅",
    "琳", "英", "兰", "秀", "桂", "凤", "慧", "婷", "志", "海", "文", "永", "春", "德", "学", "成",
    "忠", "林", "瑞", "峰", "健", "晓", "宏", "荣", "新", "利", "俊", "飞", "云", "龙", "福", "祥"};
constexpr std::array<const char*, 20> kBrands = {
    "鑫达", "恒通", "华源", "金盛", "宏远", "天成", "丰泰", "瑞祥", "顺发", "永盛",
    "兴隆", "鼎盛", "银河", "陇原", "祁连", "黄河", "丝路", "敦煌", "飞天", "金城"};
constexpr std::array<const char*, 12> kTrades = {"商贸",     "建筑工程", "房地产开发", "农业科技",
                                                 "物流",     "矿业",     "建材",       "餐饮管理",
                                                 "汽车销售", "电力工程", "医药",       "食品"};
constexpr std::array<const char*, 5> kBanks = {
    "中国农业银行股份有限公司", "中国工商银行股份有限公司", "中国建设银行股份有限公司",
    "甘肃银行股份有限公司", "兰州银行股份有限公司"};
constexpr std::array<const char*, 6> kSources = {"debtor_payment", "bank_deduction", "auction",
                                                 "settlement",     "third_party",    "other"};
enum Source { kDebtorPayment, kBankDeduction, kAuction, kSettlement, kThirdParty, kOther };
constexpr std::array<const char*, 5> kHoldGrounds = {"distribution", "frozen", "not_collected",
                                                     "suspended", "other"};
constexpr int kHoldSuspended = 3;
constexpr std::array<const char*, 6> kModes = {
    "fully_performed", "terminated_this_round", "terminated", "withdrawn", "refused", "rejected"};
enum Mode {
  kFullyPerformed,
  kTerminatedThisRound,
  kTerminatedMode,
  kWithdrawnMode,
  kRefusedMode,
  kRejectedMode
};
constexpr std::array<const char*, 3> kDelistReasons = {"performed", "terminated",
                                                       "creditor_request"};

// ---- Randomness: SplitMix64, integers only.

uint64_t Mix(uint64_t x) {
  x += 0x9E3779B97F4A7C15ULL;
  x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ULL;
  x = (x ^ (x >> 27)) * 0x94D049BB133111EBULL;
  return x ^ (x >> 31);
}

class Rng {
 public:
  explicit Rng(uint64_t seed) : state_(seed) {}
  uint64_t Next() {
    state_ += 0x9E3779B97F4A7C15ULL;
    return Mix(state_);
  }
  // lo..hi inclusive (a slight modulo bias does not matter to a workload).
  int Between(int lo, int hi) {
    return lo + static_cast<int>(Next() % static_cast<uint64_t>(hi - lo + 1));
  }
  bool PerMille(int p) { return static_cast<int>(Next() % 1000) < p; }
  // An index drawn by integer weights.
  template <size_t N>
  int Pick(const std::array<int, N>& weights) {
    const int total = std::accumulate(weights.begin(), weights.end(), 0);
    int x = Between(0, total - 1);
    for (size_t i = 0; i < N; ++i) {
      if (x < weights[i]) return static_cast<int>(i);
      x -= weights[i];
    }
    return static_cast<int>(N) - 1;
  }

 private:
  uint64_t state_;
};

// ---- Exact shares of a group (Bresenham): which items of n belong to the first of several
// buckets weighted w_0..w_m, the rest carved from what is left, so that every bucket has exactly
// floor(n * w / W) items of what is left, spread evenly.
struct Carved {
  int bucket = 0;
  int64_t rank = 0;   // among the bucket's items
  int64_t count = 0;  // the bucket's items
};

Carved Carve(int64_t k, int64_t n, const std::vector<int64_t>& weights) {
  int64_t rest = std::accumulate(weights.begin(), weights.end(), int64_t{0});
  for (size_t b = 0; b + 1 < weights.size(); ++b) {
    const int64_t w = weights[b];
    const int64_t before = k * w / rest, after = (k + 1) * w / rest;
    const int64_t count = n * w / rest;
    if (after > before) return {static_cast<int>(b), before, count};
    k -= before;
    n -= count;
    rest -= w;
  }
  return {static_cast<int>(weights.size()) - 1, k, n};
}

// Claims by quantile, in yuan, linear between the points (quantiles in millionths).
struct QuantilePoint {
  int64_t ppm;
  int64_t yuan;
};
constexpr std::array<QuantilePoint, 5> kSmallClaims = {
    {{0, 2000}, {400000, 12500}, {800000, 36000}, {950000, 72000}, {1000000, 99900}}};
constexpr std::array<QuantilePoint, 5> kLargeClaims = {
    {{0, 100000}, {650000, 140000}, {920000, 245000}, {990000, 650000}, {1000000, 2200000}}};

template <size_t N>
Fen ClaimAt(const std::array<QuantilePoint, N>& points, int64_t ppm) {
  for (size_t i = 0; i + 1 < N; ++i) {
    const QuantilePoint& lo = points[i];
    const QuantilePoint& hi = points[i + 1];
    if (ppm >= hi.ppm && i + 2 < N) continue;
    return Fen(lo.yuan) * 100 + Fen(hi.yuan - lo.yuan) * 100 * (ppm - lo.ppm) / (hi.ppm - lo.ppm);
  }
  return Fen(points[N - 1].yuan) * 100;
}

// ---- Plans: what happens to one case over the year, as steps dated by day.

enum class Role : uint8_t {
  kFull,           // paid in full, disbursed, closed as fully_performed
  kThisRound,      // 终本: listed or restricted, maybe part paid, closed after 3 months
  kTerminated,     // maybe part paid, closed as terminated
  kWithdrawn,      // closed as withdrawn
  kRefused,        // closed as refused
  kRejected,       // closed as rejected
  kPreservation,   // 执保: no money, closed when preserved
  kProvinceEvent,  // paid at the province's collective disbursement day
  kSpringEvent,    // wages paid at the collective day before the Spring Festival
};
// The roles of each group, with their weights in thousandths.
constexpr std::array<Role, 5> kSmallRoles = {Role::kFull, Role::kThisRound, Role::kWithdrawn,
                                             Role::kTerminated, Role::kRejected};
const std::vector<int64_t> kSmallRoleWeights = {850, 80, 40, 20, 10};
constexpr std::array<Role, 7> kLargeRoles = {
    Role::kFull,    Role::kThisRound, Role::kTerminated,  Role::kWithdrawn,
    Role::kRefused, Role::kRejected,  Role::kPreservation};
const std::vector<int64_t> kLargeRoleWeights = {550, 280, 40, 60, 20, 20, 30};

enum class Kind : uint8_t {
  kOpen,
  kReceipt,       // a: receipt number, b: source, c: value-date lag, d: flags
  kWrongReceipt,  // the same receipt booked with a wrong amount
  kReverseReceipt,
  kUnidentified,  // the receipt arrives naming no case
  kClaim,
  kList,      // a: debtor, b: ground, c: extra years
  kRestrict,  // a: debtor
  kDelist,    // a: debtor, b: reason
  kLift,      // a: debtor
  kChargeFee,
  kPayCosts,
  kRefund,
  kHold,  // a: cycle, b: ground
  kRelease,
  kSuspend,
  kResume,
  kRequest,  // a: cycle, b: creditor, c: attempt
  kApprove,
  kConfirm,
  kFail,
  kReturn,        // the bank returns a confirmed payment (reverse with the return's bank_ref)
  kEventItem,     // b: creditor; paid by the event's own line
  kClose,         // b: mode
  kStrayReceipt,  // an unidentified receipt that no case claims
  kStrayRefund,   // ... returned to its payer
};
constexpr uint8_t kByAccountNumber = 1;  // the receipt names the virtual account, not the case
constexpr uint8_t kBankRefDiffers = 2;   // the bank's statement shows another reference

struct Step {
  int day = 0;  // while drafting: days after filing; then the day of the year
  Kind kind = Kind::kOpen;
  uint8_t a = 0, b = 0, c = 0, d = 0;
  Fen amount = 0;
  int value_day = 0;  // money in: the bank's value date (a claim: its unidentified receipt's)
};

struct CasePlan {
  int64_t index = 0;
  int court = 0;
  int64_t serial = 0;
  Role role = Role::kFull;
  bool small = false;
  int filed = 0;
  Fen claim = 0;
  Fen fee = 0;
  int creditors = 1, debtors = 1;
  std::array<int, 3> creditor_kind{};  // 0 person, 1 enterprise, 2 financial institution
  std::array<int, 2> debtor_kind{};    // 0 person, 1 enterprise, 2 government
  bool livelihood = false, organized_crime = false;
  int judge = 0;
  int closure_months = 6;
  std::optional<int> performance_due;  // days after filing (negative: before)
  int min_close = 0;                   // 终本: the earliest closing, days after filing
  bool stays_open = false;             // not squeezed into the year: may be open at its end
  std::vector<Step> steps;
};

// Drafting a plan: steps at a cursor that only moves forward.
class Draft {
 public:
  Draft(CasePlan* plan, Rng* rng) : plan_(plan), rng_(rng) {}
  Step& At(Kind kind, uint8_t a = 0, uint8_t b = 0, uint8_t c = 0, const Fen& amount = 0) {
    plan_->steps.push_back(Step{t_, kind, a, b, c, 0, amount, 0});
    return plan_->steps.back();
  }
  void Wait(int lo, int hi) { t_ += rng_->Between(lo, hi); }
  int t() const { return t_; }
  Rng& rng() { return *rng_; }
  CasePlan& plan() { return *plan_; }

 private:
  CasePlan* plan_;
  Rng* rng_;
  int t_ = 0;
};

// `total` in `parts` positive shares by random weights; the last takes the remainder.
std::vector<Fen> SplitAmount(const Fen& total, int parts, Rng& rng) {
  std::vector<int> weights(parts);
  int sum = 0;
  for (int& w : weights) sum += (w = rng.Between(30, 100));
  std::vector<Fen> shares(parts);
  Fen given = 0;
  for (int i = 0; i + 1 < parts; ++i) given += (shares[i] = total * weights[i] / sum);
  shares[parts - 1] = total - given;
  return shares;
}

// Among the creditors: one takes all, two share 60/40, three 40/30/30.
std::vector<Fen> CreditorShares(const Fen& amount, int creditors) {
  if (creditors == 1) return {amount};
  std::vector<Fen> shares;
  if (creditors == 2) {
    shares = {amount * 6 / 10};
  } else {
    shares = {amount * 4 / 10, amount * 3 / 10};
  }
  Fen given = 0;
  for (const Fen& s : shares) given += s;
  shares.push_back(amount - given);
  return shares;
}

// What can go differently in the disbursement cycles of a case.
struct Twists {
  int hold_cycle = -1;
  int hold_ground = 0;
  int fail_cycle = -1;
  int return_cycle = -1;
  int unreachable_cycle = -1;  // the creditor cannot be reached for months
};

// Paying `amount` of cycle `j` out to the creditors: requested by the judge, approved by the
// bureau chief, confirmed by finance once the bank paid.
void PayOut(Draft& d, int j, const Fen& amount, const Twists& twists) {
  Rng& rng = d.rng();
  const int creditors = d.plan().creditors;
  const std::vector<Fen> shares = CreditorShares(amount, creditors);
  if (twists.hold_cycle == j) {
    d.Wait(1, 3);
    d.At(Kind::kHold, j, twists.hold_ground);
    if (twists.hold_ground == kHoldSuspended) d.At(Kind::kSuspend, j);
    d.Wait(5, 30);
    d.At(Kind::kRelease, j);
    if (twists.hold_ground == kHoldSuspended) d.At(Kind::kResume, j);
  }
  if (twists.unreachable_cycle == j) {
    d.Wait(100, 250);
  } else {
    rng.PerMille(50) ? d.Wait(31, 45) : d.Wait(1, 10);  // some money waits past its 30 days
  }
  for (int c = 0; c < creditors; ++c) d.At(Kind::kRequest, j, c, 0, shares[c]);
  d.Wait(0, 2);
  for (int c = 0; c < creditors; ++c) d.At(Kind::kApprove, j, c, 0, shares[c]);
  int attempt = 0;
  if (twists.fail_cycle == j) {  // the bank refuses the first creditor's account
    d.Wait(1, 2);
    d.At(Kind::kFail, j, 0, 0, shares[0]);
    d.Wait(2, 5);
    attempt = 1;
    d.At(Kind::kRequest, j, 0, attempt, shares[0]);
    d.At(Kind::kApprove, j, 0, attempt, shares[0]);
  }
  d.Wait(1, 3);
  for (int c = 0; c < creditors; ++c) d.At(Kind::kConfirm, j, c, c == 0 ? attempt : 0, shares[c]);
  if (twists.return_cycle == j) {  // paid, then returned by the payee's bank
    d.Wait(1, 3);
    d.At(Kind::kReturn, j, 0, attempt, shares[0]);
    d.Wait(2, 5);
    ++attempt;
    d.At(Kind::kRequest, j, 0, attempt, shares[0]);
    d.Wait(0, 1);
    d.At(Kind::kApprove, j, 0, attempt, shares[0]);
    d.Wait(1, 2);
    d.At(Kind::kConfirm, j, 0, attempt, shares[0]);
  }
}

// One receipt j of `amount`: by case number or virtual account, as an unidentified receipt then
// claimed, or booked wrong, reversed and booked again.
void Receive(Draft& d, int j, const Fen& amount, int source, bool unidentified, bool wrong) {
  Rng& rng = d.rng();
  const int lag_pick = rng.Between(0, 99);
  const int lag = lag_pick < 75 ? 0 : lag_pick < 90 ? 1 : rng.Between(2, kValueLagMax);
  if (unidentified) {
    d.At(Kind::kUnidentified, j, source, lag, amount);
    rng.PerMille(100) ? d.Wait(4, 8) : d.Wait(1, 2);  // a few claimed past the 3-day limit
    d.At(Kind::kClaim, j, source, 0, amount);
    return;
  }
  if (wrong) {
    d.At(Kind::kWrongReceipt, j, source, lag, amount * 10);  // a slipped digit
    d.At(Kind::kReverseReceipt, j, source, lag, amount * 10);
  }
  Step& step = d.At(Kind::kReceipt, j, source, lag, amount);
  if (source == kBankDeduction ? rng.PerMille(300) : rng.PerMille(100)) step.d |= kByAccountNumber;
  if (rng.PerMille(5)) step.d |= kBankRefDiffers;
}

int ReceiptCount(Rng& rng) {
  static constexpr std::array<int, 6> kWeights = {35, 30, 20, 8, 5, 2};  // 1..6 instalments
  return rng.Pick(kWeights) + 1;
}

int PickSource(Rng& rng, bool small) {
  static constexpr std::array<int, 6> kLarge = {40, 25, 0, 12, 10, 5};
  static constexpr std::array<int, 6> kSmall = {55, 25, 0, 10, 5, 5};
  return small ? rng.Pick(kSmall) : rng.Pick(kLarge);
}

// Listing or restricting the debtors (RULES §5).
void Enforce(Draft& d, bool list) {
  Rng& rng = d.rng();
  static constexpr std::array<int, 4> kGrounds = {60, 15, 15, 10};  // grounds 1, 3, 4, 6
  static constexpr std::array<int, 4> kGroundNumbers = {1, 3, 4, 6};
  const int ground = kGroundNumbers[rng.Pick(kGrounds)];
  const int extra = ground == 1 ? 0 : rng.Between(0, 1);
  if (list) {
    d.At(Kind::kList, 0, ground, extra);
  } else {
    d.At(Kind::kRestrict, 0);
  }
  if (d.plan().debtors > 1) d.At(Kind::kRestrict, 1);
}

// After full payment: the listing deleted and the restrictions lifted.
void Release(Draft& d, bool listed, bool restricted, int reason) {
  if (!listed && !restricted) return;
  d.Wait(1, 3);
  if (listed) d.At(Kind::kDelist, 0, reason);
  d.At(Kind::kLift, 0);
  if (d.plan().debtors > 1) d.At(Kind::kLift, 1);
}

// Unidentified receipts that no case claims: some are returned to their payer.
void Strays(Draft& d) {
  Rng& rng = d.rng();
  if (!rng.PerMille(3)) return;
  const int when = rng.Between(5, 60);
  const Fen amount = Fen(rng.Between(200, 50000)) * 100;
  d.plan().steps.push_back(Step{when, Kind::kStrayReceipt, 0, 0, 0, 0, amount, 0});
  if (rng.PerMille(700)) {
    d.plan().steps.push_back(
        Step{when + rng.Between(5, 25), Kind::kStrayRefund, 0, 0, 0, 0, amount, 0});
  }
}

// 执行完毕: the debtor pays claim and fee (and the costs of a sale, and sometimes too much) in
// instalments; each is disbursed; then the listing is deleted and the case closed.
int DraftFull(Draft& d) {
  CasePlan& p = d.plan();
  Rng& rng = d.rng();
  d.At(Kind::kOpen);
  const int enforce = rng.Between(0, 999);
  const bool listed = enforce < 300, restricted = !listed && enforce < 450;
  if (listed || restricted) {
    d.Wait(10, 25);
    Enforce(d, listed);
  }
  const int k = ReceiptCount(rng);
  const int auction = !p.small && rng.PerMille(150) ? rng.Between(0, k - 1) : -1;
  const Fen costs = auction >= 0 ? Fen(p.claim) * rng.Between(10, 30) / 100000 * 100 : Fen(0);
  const Fen overpay = rng.PerMille(30) ? Fen(rng.Between(100, 3000)) * 100 : Fen(0);
  const bool wrong_first = rng.PerMille(10);
  Twists twists;
  if (rng.PerMille(80)) twists = {rng.Between(0, k - 1), rng.Between(0, 4), -1, -1};
  if (rng.PerMille(10)) twists.fail_cycle = rng.Between(0, k - 1);
  if (rng.PerMille(5)) twists.return_cycle = rng.Between(0, k - 1);
  if (rng.PerMille(15)) {  // money that may still be in the account, overdue, at the year's end
    twists.unreachable_cycle = k - 1;
    p.stays_open = true;
  }
  const std::vector<Fen> shares = SplitAmount(p.claim, k, rng);
  int anchor = 0;
  for (int j = 0; j < k; ++j) {
    j == 0 ? d.Wait(15, 60) : d.Wait(10, 35);
    Fen amount = shares[j] + (j == 0 ? p.fee : Fen(0)) + (j == auction ? costs : Fen(0));
    if (j == k - 1) amount += overpay;
    const int source = j == auction ? kAuction : PickSource(rng, p.small);
    const bool unidentified = !(wrong_first && j == 0) && rng.PerMille(50);
    Receive(d, j, amount, source, unidentified, wrong_first && j == 0);
    anchor = d.t();
    if (j == 0) d.At(Kind::kChargeFee, 0, 0, 0, p.fee);
    if (j == auction && costs > 0) d.At(Kind::kPayCosts, 0, 0, 0, costs);
    if (j == k - 1 && overpay > 0) d.At(Kind::kRefund, 0, 0, 0, overpay);
    PayOut(d, j, shares[j], twists);
  }
  Release(d, listed, restricted, 0);
  d.Wait(1, 7);
  d.At(Kind::kClose, 0, kFullyPerformed);
  return anchor;
}

// Part of the claim recovered (pct percent), with its part of the fee: receipts, the fee, and
// each disbursed. Returns the day of the last receipt.
int PartPaid(Draft& d, int pct, int first_lo, int first_hi) {
  CasePlan& p = d.plan();
  Rng& rng = d.rng();
  const Fen recovered = p.claim * pct / 100;
  const Fen fee_part = p.fee * pct / 100;
  const int k = rng.Between(1, 2);
  const std::vector<Fen> shares = SplitAmount(recovered, k, rng);
  int last = d.t();
  for (int j = 0; j < k; ++j) {
    j == 0 ? d.Wait(first_lo, first_hi) : d.Wait(15, 40);
    const Fen amount = shares[j] + (j == 0 ? fee_part : Fen(0));
    Receive(d, j, amount, PickSource(d.rng(), p.small), rng.PerMille(30), false);
    last = d.t();
    if (j == 0 && fee_part > 0) d.At(Kind::kChargeFee, 0, 0, 0, fee_part);
    PayOut(d, j, shares[j], Twists{});
  }
  return last;
}

// 终本: the debtors listed or restricted, part of the money found or none, closed once more than
// three months have passed since filing.
int DraftThisRound(Draft& d) {
  Rng& rng = d.rng();
  d.At(Kind::kOpen);
  d.Wait(15, 40);
  Enforce(d, rng.PerMille(850));
  if (rng.PerMille(500)) PartPaid(d, rng.Between(5, 40), 20, 50);
  const int anchor = d.t();
  d.plan().min_close = rng.Between(100, 150);  // mapped to working days it stays past 3 months
  d.Wait(1, 7);
  d.At(Kind::kClose, 0, kTerminatedThisRound);
  return anchor;
}

int DraftTerminated(Draft& d) {
  Rng& rng = d.rng();
  d.At(Kind::kOpen);
  const bool listed = rng.PerMille(200);
  if (listed) {
    d.Wait(10, 30);
    Enforce(d, true);
  }
  if (rng.PerMille(350)) PartPaid(d, rng.Between(10, 60), 15, 45);
  if (listed) {
    d.Wait(1, 5);
    d.At(Kind::kDelist, 0, 1);
  }
  d.Wait(5, 40);
  d.At(Kind::kClose, 0, kTerminatedMode);
  return d.t();
}

// Withdrawn, refused, rejected and preservation cases move no money.
int DraftQuiet(Draft& d, int mode, int lo, int hi) {
  Rng& rng = d.rng();
  d.At(Kind::kOpen);
  const bool restricted = mode == kWithdrawnMode && rng.PerMille(100);
  if (restricted) {
    d.Wait(5, 20);
    d.At(Kind::kRestrict, 0);
  }
  d.Wait(lo, hi);
  if (restricted) d.At(Kind::kLift, 0);
  d.At(Kind::kClose, 0, mode);
  return d.t();
}

// A case paid at a collective disbursement day `event_day`: its money arrives in the weeks
// before (some of it past its 30 days by then), the fee is charged, the event pays the
// creditors, and the case closes after.
void DraftEventCase(Draft& d, int event_day, int earliest, int latest) {
  CasePlan& p = d.plan();
  Rng& rng = d.rng();
  d.At(Kind::kOpen);
  const int until = event_day - p.filed;
  const int from = std::max(3, earliest - p.filed);
  const int last = latest - p.filed;
  const int k = last - from >= 10 && rng.PerMille(400) ? 2 : 1;
  const std::vector<Fen> shares = SplitAmount(p.claim, k, rng);
  for (int j = 0; j < k; ++j) {
    const int day =
        j == 0 ? rng.Between(from, k == 2 ? last - 8 : last) : rng.Between(d.t() + 3, last);
    d.Wait(day - d.t(), day - d.t());
    Receive(d, j, shares[j] + (j == 0 ? p.fee : Fen(0)), PickSource(rng, p.small), false, false);
    if (j == 0) d.At(Kind::kChargeFee, 0, 0, 0, p.fee);
  }
  d.Wait(until - d.t(), until - d.t());
  const std::vector<Fen> items = CreditorShares(p.claim, p.creditors);
  for (int c = 0; c < p.creditors; ++c) d.At(Kind::kEventItem, 0, c, 0, items[c]);
  d.Wait(1, 10);
  d.At(Kind::kClose, 0, kFullyPerformed);
}

std::string Digits(uint64_t h, int count) {
  std::string out(count, '0');
  for (int i = count - 1; i >= 0; --i, h /= 10) out[i] = static_cast<char>('0' + h % 10);
  return out;
}

// GB 11643: 6-digit area, birth date, 3-digit sequence, check character.
std::string ResidentId(const char* court_digits, uint64_t h) {
  const int year = 1955 + static_cast<int>(h % 45);  // adults in 2021: never a minor
  const int month = 1 + static_cast<int>((h >> 8) % 12);
  const int day = 1 + static_cast<int>((h >> 16) % 28);
  std::string id =
      fmt::format("62{}{:04d}{:02d}{:02d}{}", court_digits, year, month, day, Digits(h >> 24, 3));
  static constexpr std::array<int, 17> kWeights = {7, 9, 10, 5,  8, 4, 2, 1, 6,
                                                   3, 7, 9,  10, 5, 8, 4, 2};
  int sum = 0;
  for (size_t i = 0; i < kWeights.size(); ++i) sum += (id[i] - '0') * kWeights[i];
  return id + "10X98765432"[sum % 11];
}

// GB 32100: "91" (an enterprise), the 6-digit area, a 9-character organisation code, check.
std::string Uscc(const char* court_digits, uint64_t h) {
  static constexpr std::string_view kChars = "0123456789ABCDEFGHJKLMNPQRTUWXY";
  std::string code = std::string("9162") + court_digits;
  for (int i = 0; i < 9; ++i, h /= 31) code += kChars[h % 31];
  static constexpr std::array<int, 17> kWeights = {1,  3,  9,  27, 19, 26, 16, 17, 20,
                                                   29, 25, 13, 8,  24, 10, 30, 28};
  int sum = 0;
  for (size_t i = 0; i < kWeights.size(); ++i)
    sum += static_cast<int>(kChars.find(code[i])) * kWeights[i];
  return code + kChars[(31 - sum % 31) % 31];
}

std::string PersonName(uint64_t h) {
  std::string name = kSurnames[h % kSurnames.size()];
  h /= kSurnames.size();
  name += kGiven[h % kGiven.size()];
  h /= kGiven.size();
  if (h % 3 != 0) name += kGiven[(h / 3) % kGiven.size()];
  return name;
}

std::string EnterpriseName(uint64_t h, int city) {
  return std::string(kCities[city]) + kBrands[h % kBrands.size()] +
         kTrades[(h / kBrands.size()) % kTrades.size()] +
         ((h >> 20) % 3 == 0 ? "有限责任公司" : "有限公司");
}

// A party of a case as open_case names it.
struct Party {
  std::string party_id;
  std::string name;
  std::string kind;  // "" for a person
  std::string id_type, id_number;
  std::string account;  // creditors only
};

// ---- The statement (SPEC §4).

std::string CsvField(const std::string& text) {
  if (text.find_first_of(",\"\r\n") == std::string::npos) return text;
  std::string out = "\"";
  for (char c : text) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + "\"";
}

}  // namespace

std::string StatementCsvHeader() {
  std::string line;
  for (size_t i = 0; i < kStatementColumns.size(); ++i) {
    if (i > 0) line += ',';
    line += kStatementColumns[i];
  }
  return line + "\n";
}

std::string StatementCsvRow(const StatementRow& row) {
  return fmt::format("{},{},{},{},{},{},{},{},{}\n", row.value_date.ToString(),
                     DirectionName(row.direction), FormatAmount(row.amount_fen),
                     CsvField(row.bank_ref), CsvField(row.counterparty),
                     CsvField(row.counterparty_account), CsvField(row.virtual_account),
                     CsvField(row.memo), FormatAmount(row.balance_fen));
}

Result<int64_t> ParseScale(std::string_view text, std::string_view path) {
  auto bad = [&](const char* why) {
    return Status::InvalidArgument(std::string(path) + ": " + QuoteForMessage(text) + " " + why);
  };
  const size_t point = text.find('.');
  const std::string_view whole = text.substr(0, point);
  const std::string_view decimals =
      point == std::string_view::npos ? std::string_view() : text.substr(point + 1);
  if (whole.empty() || whole.size() > 3) return bad("is not a scale like 0.01, 1 or 10");
  if (point != std::string_view::npos && (decimals.empty() || decimals.size() > 6)) {
    return bad("is not a scale: give one to six decimals after the point");
  }
  int64_t value = 0;
  for (char c : whole) {
    if (c < '0' || c > '9') return bad("is not a scale like 0.01, 1 or 10");
    value = value * 10 + (c - '0');
  }
  int64_t fraction = 0, unit = kScaleOne;
  for (char c : decimals) {
    if (c < '0' || c > '9') return bad("is not a scale like 0.01, 1 or 10");
    unit /= 10;
    fraction += (c - '0') * unit;
  }
  const int64_t millionths = value * kScaleOne + fraction;
  if (millionths <= 0) return bad("must be more than zero");
  if (millionths > kScaleMax) return bad("must be at most 100");
  return millionths;
}

std::string FormatScale(int64_t scale_millionths) {
  std::string text =
      fmt::format("{}.{:06d}", scale_millionths / kScaleOne, scale_millionths % kScaleOne);
  while (text.back() == '0') text.pop_back();
  if (text.back() == '.') text.pop_back();
  return text;
}

namespace {

// A collective disbursement day: which cases it pays (every stride-th case of its group among
// those filed in its window) and when their money arrives.
struct EventShape {
  std::string event_id;
  std::string title;
  int day = 0;
  bool small = false;                  // the group its cases are drawn from
  int64_t index_lo = 0, index_hi = 0;  // the cases filed in the window
  int64_t rank_lo = 0;                 // the group rank of the window's first case
  int64_t members = 0, stride = 1;
  int receipts_from = 0, receipts_until = 0;  // days
  std::vector<Fen> claims;                    // the province's day: each member's claim
  int64_t two_payees = 0;                     // the first members have two creditors
};

// An entry of the agenda: the next step of a case.
struct Pending {
  int day;
  int64_t index;
  int step;
  bool operator>(const Pending& o) const {
    if (day != o.day) return day > o.day;
    if (index != o.index) return index > o.index;
    return step > o.step;
  }
};

}  // namespace

class Workload::Impl {
 public:
  explicit Impl(const WorkloadOptions& options);

  bool Next(std::string* line);
  void SetSink(std::function<void(const StatementRow&)> sink) { sink_ = std::move(sink); }
  int64_t cases() const { return cases_; }
  int64_t small_cases() const { return small_cases_; }
  int64_t CountLines() const;
  std::string CaseNumberOf(int64_t index) const;
  Date FiledOnOf(int64_t index) const { return DateOf(FiledDay(index)); }
  const WorkloadTally& tally() const { return tally_; }

 private:
  enum class Phase { kStartOfDay, kSteps, kEndOfDay, kDone };

  // ---- Shape: groups, filing days, roles.
  int64_t SmallBefore(int64_t index) const { return index * small_cases_ / cases_; }
  bool IsSmall(int64_t index) const { return SmallBefore(index + 1) > SmallBefore(index); }
  int64_t InGroupBefore(bool small, int64_t index) const {
    return small ? SmallBefore(index) : index - SmallBefore(index);
  }
  int64_t IndexOfRank(bool small, int64_t rank) const;
  int FiledDay(int64_t index) const {
    return working_days_[static_cast<size_t>(index * static_cast<int64_t>(working_days_.size()) /
                                             cases_)];
  }
  int64_t FirstFiledOnOrAfter(int day) const;
  Date DateOf(int day) const { return Jan1().AddDays(day); }
  const std::string& DayText(int day) const { return day_text_[day + kValueLagMax]; }
  int NextWorking(int day) const { return day > kLastDay ? kTruncated : next_working_[day]; }

  void SetUpEvent(EventShape* event, int target, int window_from, int window_to) const;
  std::optional<int64_t> MemberOf(const EventShape& event, int64_t index) const;
  CasePlan Build(int64_t index) const;
  void ChooseRoleAndClaim(CasePlan* p, Rng& rng) const;
  void ChooseParties(CasePlan* p, Rng& rng) const;
  int DraftByRole(Draft& d) const;
  void Finish(CasePlan* p, int anchor, bool compress) const;
  const CasePlan& PlanOf(int64_t index);

  // ---- Generating.
  bool Advance();
  void StartOfDay();
  void EndOfDay();
  void Emit(const CasePlan& p, const Step& s);
  void EmitEvent(const EventShape& event);
  // The case of an event's j-th member, and the first member of each of its batches.
  int64_t EventMember(const EventShape& event, int64_t j) const {
    return IndexOfRank(event.small, event.rank_lo + j * event.stride);
  }
  std::vector<int64_t> EventBatches(const EventShape& event) const;

  // ---- Lines and statement rows.
  Party CreditorOf(const CasePlan& p, int c) const;
  Party DebtorOf(const CasePlan& p, int n) const;
  std::string CaseNo(const CasePlan& p) const;
  std::string Prefix(const CasePlan& p) const;
  std::string Ref(char kind, int day, const CasePlan& p, const std::string& tag) const;
  std::string Payer(const CasePlan& p, const Step& s) const;
  void Row(int day, Direction direction, const Fen& amount, const std::string& bank_ref,
           const std::string& counterparty, const std::string& counterparty_account,
           const std::string& virtual_account, const std::string& memo);
  void FlushRows(int through_day);
  void Line(const std::string& op, std::string line);
  void EmitOpen(const CasePlan& p, const Step& s);
  void EmitMoneyIn(const CasePlan& p, const Step& s);
  void EmitDefaulter(const CasePlan& p, const Step& s);
  void EmitDisbursement(const CasePlan& p, const Step& s);
  void EmitMoneyOut(const CasePlan& p, const Step& s);
  void EmitCaseState(const CasePlan& p, const Step& s);
  void EmitStray(const CasePlan& p, const Step& s);
  void EmitRules();
  void EmitRemit();

  uint64_t seed_;
  int64_t scale_;
  int64_t cases_ = 1, small_cases_ = 0;
  std::array<int, kDays> next_working_{};
  std::vector<int> working_days_;
  std::array<bool, kDays> last_working_of_month_{};
  std::vector<std::string> day_text_;  // day d at d + kValueLagMax
  struct Stratum {
    int64_t count = 0, stride = 1, offset = 0;
  };
  std::array<std::vector<Stratum>, 2> strata_;  // [small][role bucket]
  EventShape spring_, province_;

  Phase phase_ = Phase::kStartOfDay;
  int day_ = 0;
  int64_t next_case_ = 0;
  std::priority_queue<Pending, std::vector<Pending>, std::greater<Pending>> agenda_;
  std::deque<std::string> lines_;
  std::array<std::optional<CasePlan>, 1024> cache_;  // plans by index % 1024
  Fen fee_account_ = 0;
  Fen bank_balance_ = 0;
  // By value day, money in and money out, not yet handed to the sink.
  std::map<int, std::array<std::vector<StatementRow>, 2>> rows_;
  std::function<void(const StatementRow&)> sink_;
  WorkloadTally tally_;
};

Workload::Impl::Impl(const WorkloadOptions& options)
    : seed_(options.seed), scale_(options.scale_millionths) {
  auto scaled = [&](int64_t figure) {  // half up, exact
    return (figure * scale_ * 2 + kScaleOne) / (2 * kScaleOne);
  };
  cases_ = std::max<int64_t>(1, scaled(kWorkloadCases));
  small_cases_ = std::min(cases_, scaled(kWorkloadSmallCases));
  std::array<bool, kDays> working{};
  for (int d = 0; d < kDays; ++d) working[d] = DateOf(d).weekday() <= 5;
  for (const auto& [month, first, last] : kHolidayRanges) {
    for (int day = first; day <= last; ++day) working[DayOf(month, day)] = false;
  }
  for (const auto& [month, day] : kWorkdays) working[DayOf(month, day)] = true;
  int next = kTruncated;
  for (int d = kLastDay; d >= 0; --d) {
    if (working[d]) next = d;
    next_working_[d] = next;
  }
  for (int d = 0; d < kDays; ++d) {
    if (working[d]) working_days_.push_back(d);
  }
  for (size_t i = 0; i < working_days_.size(); ++i) {
    const int d = working_days_[i];
    last_working_of_month_[d] =
        i + 1 == working_days_.size() || DateOf(working_days_[i + 1]).month() != DateOf(d).month();
  }
  for (int d = -kValueLagMax; d < kDays; ++d) day_text_.push_back(DateOf(d).ToString());
  for (int small = 0; small < 2; ++small) {
    const std::vector<int64_t>& weights = small ? kSmallRoleWeights : kLargeRoleWeights;
    int64_t n = small ? small_cases_ : cases_ - small_cases_;
    int64_t rest = std::accumulate(weights.begin(), weights.end(), int64_t{0});
    for (size_t b = 0; b < weights.size(); ++b) {
      Stratum s;
      s.count = b + 1 == weights.size() ? n : n * weights[b] / rest;
      n -= s.count;
      rest -= weights[b];
      // A stride near the golden section, coprime with the count: the quantiles of the
      // stratum's cases are a permutation of its midpoints, spread over the year.
      s.stride = std::max<int64_t>(1, s.count * 6180339887 / 10000000000);
      while (std::gcd(s.stride, std::max<int64_t>(1, s.count)) != 1) ++s.stride;
      s.offset = s.count > 0 ? static_cast<int64_t>(Mix(seed_ ^ (small * 16 + b)) % s.count) : 0;
      strata_[small].push_back(s);
    }
  }
  spring_.event_id = "GS-2021-02-05";
  spring_.title = "春节前涉民生案件执行款集中发放";
  spring_.day = kSpringEventDay;
  spring_.small = true;
  SetUpEvent(&spring_, static_cast<int>(scaled(kSpringEventCases)), DayOf(1, 1), DayOf(1, 20));
  spring_.receipts_until = kSpringEventDay - 6;
  province_.event_id = "GS-2021-11-18";
  province_.title = "全省法院执行案款集中发放日";
  province_.day = kProvinceEventDay;
  province_.small = false;
  SetUpEvent(&province_, static_cast<int>(scaled(kWorkloadEventCases)), kProvinceEventDay - 150,
             kProvinceEventDay - 60);
  province_.receipts_from = kProvinceEventDay - 55;
  province_.receipts_until = kProvinceEventDay - 6;
  province_.two_payees = std::min(province_.members, scaled(kProvinceEventTwoPayeeCases));
  // The province's day pays ¥110 million (scaled) exactly: each case at least 100,000.00, the
  // rest by random weights.
  const Fen total = Fen(kWorkloadEventFen) * scale_ / kScaleOne;
  if (province_.members > 0) {
    std::vector<int64_t> weights;
    int64_t sum = 0;
    for (int64_t j = 0; j < province_.members; ++j) {
      const uint64_t h = Mix(seed_ ^ Mix(0xE7E7 + j));
      weights.push_back(h % 10 < 8 ? 20 + static_cast<int64_t>(h / 10 % 80)
                                   : 100 + static_cast<int64_t>(h / 10 % 500));
      sum += weights.back();
    }
    Fen floor_fen = kProvinceEventClaimFloorFen;
    if (total < floor_fen * province_.members) floor_fen = total / province_.members;
    const Fen spread = total - floor_fen * province_.members;
    Fen given = 0;
    for (int64_t j = 0; j < province_.members; ++j) {
      const Fen claim =
          j + 1 == province_.members ? total - given : floor_fen + spread * weights[j] / sum;
      province_.claims.push_back(claim);
      given += claim;
    }
  }
}

void Workload::Impl::SetUpEvent(EventShape* event, int target, int window_from,
                                int window_to) const {
  event->index_lo = FirstFiledOnOrAfter(window_from);
  event->index_hi = FirstFiledOnOrAfter(window_to + 1);
  event->rank_lo = InGroupBefore(event->small, event->index_lo);
  const int64_t in_window = InGroupBefore(event->small, event->index_hi) - event->rank_lo;
  event->members = std::min<int64_t>(target, in_window);
  event->stride = event->members > 0 ? in_window / event->members : 1;
  event->receipts_from = window_from;
}

int64_t Workload::Impl::FirstFiledOnOrAfter(int day) const {
  int64_t lo = 0, hi = cases_;  // the first index whose filing day is >= day
  while (lo < hi) {
    const int64_t mid = lo + (hi - lo) / 2;
    if (FiledDay(mid) >= day) {
      hi = mid;
    } else {
      lo = mid + 1;
    }
  }
  return lo;
}

int64_t Workload::Impl::IndexOfRank(bool small, int64_t rank) const {
  int64_t lo = 0, hi = cases_ - 1;  // the first index with more than `rank` before it and itself
  while (lo < hi) {
    const int64_t mid = lo + (hi - lo) / 2;
    if (InGroupBefore(small, mid + 1) > rank) {
      hi = mid;
    } else {
      lo = mid + 1;
    }
  }
  return lo;
}

std::optional<int64_t> Workload::Impl::MemberOf(const EventShape& event, int64_t index) const {
  if (event.members == 0 || index < event.index_lo || index >= event.index_hi) return std::nullopt;
  if (IsSmall(index) != event.small) return std::nullopt;
  const int64_t rank = InGroupBefore(event.small, index) - event.rank_lo;
  if (rank % event.stride != 0 || rank / event.stride >= event.members) return std::nullopt;
  return rank / event.stride;
}

void Workload::Impl::ChooseRoleAndClaim(CasePlan* p, Rng& rng) const {
  if (std::optional<int64_t> j = MemberOf(province_, p->index)) {
    p->role = Role::kProvinceEvent;
    p->claim = province_.claims[*j];
    p->creditors = *j < province_.two_payees ? 2 : 1;
    return;
  }
  if (MemberOf(spring_, p->index)) {
    p->role = Role::kSpringEvent;
    p->claim = Fen(rng.Between(5000, 60000)) * 100;
    p->creditors = rng.Between(1, 3);
    p->livelihood = true;
    return;
  }
  const bool small = p->small;
  const int64_t in_group = small ? small_cases_ : cases_ - small_cases_;
  const Carved carved = Carve(InGroupBefore(small, p->index), in_group,
                              small ? kSmallRoleWeights : kLargeRoleWeights);
  p->role = small ? kSmallRoles[carved.bucket] : kLargeRoles[carved.bucket];
  const Stratum& s = strata_[small][carved.bucket];
  const int64_t position = (carved.rank * s.stride + s.offset) % s.count;
  const int64_t ppm = (2 * position + 1) * kScaleOne / (2 * s.count);
  p->claim = small ? ClaimAt(kSmallClaims, ppm) : ClaimAt(kLargeClaims, ppm);
  const int two = small ? 30 : 60;
  p->creditors = rng.PerMille(two) ? 2 : 1;
}

void Workload::Impl::ChooseParties(CasePlan* p, Rng& rng) const {
  static constexpr std::array<int, 3> kLargeCreditors = {50, 35, 15};
  static constexpr std::array<int, 3> kSmallCreditors = {85, 15, 0};
  static constexpr std::array<int, 3> kDebtors = {600, 380, 20};
  const bool persons_only = p->role == Role::kSpringEvent;
  for (int c = 0; c < p->creditors; ++c) {
    p->creditor_kind[c] = persons_only ? 0 : rng.Pick(p->small ? kSmallCreditors : kLargeCreditors);
  }
  p->debtors = rng.PerMille(300) ? 2 : 1;
  for (int n = 0; n < p->debtors; ++n) p->debtor_kind[n] = rng.Pick(kDebtors);
  if (persons_only) p->debtor_kind[0] = 1;  // the employer
  p->livelihood = p->livelihood || rng.PerMille(p->small ? 250 : 30);
  p->organized_crime = !p->small && rng.PerMille(3);
  p->judge = rng.Between(0, 5);
  p->closure_months = rng.PerMille(50) ? 3 : 6;
  if (rng.PerMille(600)) p->performance_due = -rng.Between(5, 90);
}

int Workload::Impl::DraftByRole(Draft& d) const {
  switch (d.plan().role) {
    case Role::kFull:
      return DraftFull(d);
    case Role::kThisRound:
      return DraftThisRound(d);
    case Role::kTerminated:
      return DraftTerminated(d);
    case Role::kWithdrawn:
      return DraftQuiet(d, kWithdrawnMode, 10, 90);
    case Role::kRefused:
      return DraftQuiet(d, kRefusedMode, 20, 80);
    case Role::kRejected:
      return DraftQuiet(d, kRejectedMode, 5, 40);
    case Role::kPreservation:
      return DraftQuiet(d, kFullyPerformed, 3, 30);
    case Role::kProvinceEvent:
      DraftEventCase(d, province_.day, province_.receipts_from, province_.receipts_until);
      return 0;
    case Role::kSpringEvent:
      DraftEventCase(d, spring_.day, d.plan().filed + 3, spring_.receipts_until);
      return 0;
  }
  return 0;
}

CasePlan Workload::Impl::Build(int64_t index) const {
  CasePlan p;
  p.index = index;
  p.court = static_cast<int>(index % kWorkloadCourts);
  p.serial = index / kWorkloadCourts + 1;
  p.filed = FiledDay(index);
  p.small = IsSmall(index);
  Rng rng(Mix(seed_ ^ Mix(static_cast<uint64_t>(index) * 2 + 1)));
  ChooseRoleAndClaim(&p, rng);
  ChooseParties(&p, rng);
  p.fee = p.role == Role::kPreservation ? Fen(0) : Fee(p.claim);
  Draft draft(&p, &rng);
  const int last_receipt = DraftByRole(draft);
  const bool event = p.role == Role::kProvinceEvent || p.role == Role::kSpringEvent;
  // Most cases close within the year, squeezed if filed late; a few are left open at its end
  // with their money in (终本 cases filed late too: they need three months).
  int anchor = p.steps.back().day;
  if (p.role == Role::kThisRound || p.stays_open || rng.PerMille(40)) anchor = last_receipt;
  Strays(draft);
  Finish(&p, anchor, !event);
  return p;
}

void Workload::Impl::Finish(CasePlan* p, int anchor, bool compress) const {
  const int room = kLastDay - p->filed;
  if (compress && anchor > room) {
    for (Step& step : p->steps) step.day = step.day * room / anchor;
  }
  for (Step& step : p->steps) {
    if (step.kind == Kind::kClose && p->role == Role::kThisRound) {
      step.day = std::max(step.day, p->min_close);
    }
    step.day = NextWorking(p->filed + step.day);
  }
  // The bank's value dates: at most kValueLagMax days before `on`, never before filing; a
  // claim names the reference of the unidentified receipt it claims.
  std::array<int, 8> unidentified_day{};
  int stray_day = 0;
  for (Step& step : p->steps) {
    step.value_day = std::max(step.day - step.c, p->filed);
    if (step.kind == Kind::kUnidentified) unidentified_day[step.a % 8] = step.value_day;
    if (step.kind == Kind::kClaim) step.value_day = unidentified_day[step.a % 8];
    if (step.kind == Kind::kStrayReceipt) stray_day = step.value_day;
    if (step.kind == Kind::kStrayRefund) step.value_day = stray_day;
  }
  // Strays touch no case: they join the case's steps in date order.
  std::stable_sort(p->steps.begin(), p->steps.end(),
                   [](const Step& a, const Step& b) { return a.day < b.day; });
}

const CasePlan& Workload::Impl::PlanOf(int64_t index) {
  std::optional<CasePlan>& slot = cache_[static_cast<size_t>(index) % cache_.size()];
  if (!slot || slot->index != index) slot = Build(index);
  return *slot;
}

int64_t Workload::Impl::CountLines() const {
  int64_t lines = 1;  // set_rules
  std::array<bool, 12> fees_in_month{};
  for (int64_t index = 0; index < cases_; ++index) {
    const CasePlan p = Build(index);
    for (const Step& step : p.steps) {
      if (step.day > kLastDay) break;
      if (step.kind != Kind::kEventItem) ++lines;
      if (step.kind == Kind::kChargeFee) fees_in_month[DateOf(step.day).month() - 1] = true;
    }
  }
  for (const EventShape* event : {&spring_, &province_}) {
    lines += static_cast<int64_t>(EventBatches(*event).size());
  }
  for (bool month : fees_in_month) lines += month ? 1 : 0;
  return lines;
}

std::string Workload::Impl::CaseNumberOf(int64_t index) const {
  CasePlan p;
  p.index = index;
  p.court = static_cast<int>(index % kWorkloadCourts);
  p.serial = index / kWorkloadCourts + 1;
  Rng rng(Mix(seed_ ^ Mix(static_cast<uint64_t>(index) * 2 + 1)));
  p.small = IsSmall(index);
  ChooseRoleAndClaim(&p, rng);
  return CaseNo(p);
}

// ---- Generating, day by day: the day's opening lines, then every case's steps of the day in
// case order, then the month's fee remittance on its last working day.

bool Workload::Impl::Next(std::string* line) {
  while (lines_.empty()) {
    if (!Advance()) return false;
  }
  *line = std::move(lines_.front());
  lines_.pop_front();
  return true;
}

bool Workload::Impl::Advance() {
  switch (phase_) {
    case Phase::kStartOfDay:
      if (day_ > kLastDay) {
        FlushRows(kLastDay);
        phase_ = Phase::kDone;
        return false;
      }
      StartOfDay();
      phase_ = Phase::kSteps;
      return true;
    case Phase::kSteps: {
      if (agenda_.empty() || agenda_.top().day != day_) {
        phase_ = Phase::kEndOfDay;
        return true;
      }
      const Pending next = agenda_.top();
      agenda_.pop();
      const CasePlan& p = PlanOf(next.index);
      Emit(p, p.steps[next.step]);
      const size_t following = static_cast<size_t>(next.step) + 1;
      if (following < p.steps.size() && p.steps[following].day <= kLastDay) {
        agenda_.push({p.steps[following].day, next.index, next.step + 1});
      }
      return true;
    }
    case Phase::kEndOfDay:
      EndOfDay();
      ++day_;
      phase_ = Phase::kStartOfDay;
      return true;
    case Phase::kDone:
      return false;
  }
  return false;
}

void Workload::Impl::StartOfDay() {
  FlushRows(day_ - kValueLagMax - 1);  // no row dated before this can still come
  if (day_ == working_days_.front()) EmitRules();
  while (next_case_ < cases_ && FiledDay(next_case_) == day_) {
    agenda_.push({day_, next_case_, 0});
    ++next_case_;
  }
  if (day_ == spring_.day) EmitEvent(spring_);
  if (day_ == province_.day) EmitEvent(province_);
}

void Workload::Impl::EndOfDay() {
  if (last_working_of_month_[day_] && fee_account_ > 0) EmitRemit();
}

// ---- Lines.

std::string Workload::Impl::CaseNo(const CasePlan& p) const {
  return fmt::format("({})甘{}{}{}号", kYear, kCourts[p.court].digits,
                     p.role == Role::kPreservation ? "执保" : "执", p.serial);
}

std::string Workload::Impl::Prefix(const CasePlan& p) const {
  return fmt::format("{}-{}", kCourts[p.court].digits, p.serial);
}

// A bank reference: the kind of movement, the date, the case and what it is for.
std::string Workload::Impl::Ref(char kind, int day, const CasePlan& p,
                                const std::string& tag) const {
  const Date date = DateOf(day);
  return fmt::format("{}{:02d}{:02d}{:02d}-{}-{:06d}-{}", kind, date.year() % 100, date.month(),
                     date.day(), kCourts[p.court].digits, p.serial, tag);
}

// A person (resident ID) or an enterprise (USCC) drawn from `h`: what creditors and debtors
// of those kinds share.
namespace {
void FillPersonOrEnterprise(uint64_t h, const Court& court, bool enterprise, Party* party) {
  if (enterprise) {
    party->name = EnterpriseName(h, court.city);
    party->kind = "enterprise";
    party->id_type = "uscc";
    party->id_number = Uscc(court.digits, h >> 5);
  } else {
    party->name = PersonName(h);
    party->id_type = "resident_id";
    party->id_number = ResidentId(court.digits, h >> 7);
  }
}
}  // namespace

Party Workload::Impl::CreditorOf(const CasePlan& p, int c) const {
  const uint64_t h = Mix(seed_ ^ Mix(static_cast<uint64_t>(p.index) * 16 + 2 + c));
  const Court& court = kCourts[p.court];
  Party party;
  party.party_id = Prefix(p) + "-c" + std::to_string(c + 1);
  switch (p.creditor_kind[c]) {
    case 0:
    case 1:
      FillPersonOrEnterprise(h, court, p.creditor_kind[c] == 1, &party);
      party.account = (p.creditor_kind[c] == 1 ? "2703" : "6228") + Digits(Mix(h), 15);
      break;
    default:
      party.name = std::string(kBanks[h % kBanks.size()]) + court.county + "支行";
      party.kind = "financial_institution";
      party.account = "1000" + Digits(Mix(h), 15);
      break;
  }
  return party;
}

Party Workload::Impl::DebtorOf(const CasePlan& p, int n) const {
  const uint64_t h = Mix(seed_ ^ Mix(static_cast<uint64_t>(p.index) * 16 + 8 + n));
  const Court& court = kCourts[p.court];
  Party party;
  party.party_id = Prefix(p) + "-d" + std::to_string(n + 1);
  switch (p.debtor_kind[n]) {
    case 0:
    case 1:
      FillPersonOrEnterprise(h, court, p.debtor_kind[n] == 1, &party);
      break;
    default:
      party.name = std::string(court.county) + (h % 2 == 0 ? "住房和城乡建设局" : "人民政府");
      party.kind = "government";
      break;
  }
  return party;
}

std::string Workload::Impl::Payer(const CasePlan& p, const Step& s) const {
  const uint64_t h = Mix(seed_ ^ Mix(static_cast<uint64_t>(p.index) * 16 + 12 + s.a));
  switch (s.b) {
    case kAuction:
      return PersonName(h) + "（竞买人）";
    case kThirdParty:
      return PersonName(h) + "（担保人）";
    default:
      return DebtorOf(p, 0).name;
  }
}

void Workload::Impl::Row(int day, Direction direction, const Fen& amount,
                         const std::string& bank_ref, const std::string& counterparty,
                         const std::string& counterparty_account,
                         const std::string& virtual_account, const std::string& memo) {
  if (!sink_) return;
  StatementRow row{DateOf(day),          direction,       amount, bank_ref, counterparty,
                   counterparty_account, virtual_account, memo,   Fen(0)};
  rows_[day][direction == Direction::kIn ? 0 : 1].push_back(std::move(row));
}

// A day's money in before its money out, as the bank books it: the balance never dips below 0.
void Workload::Impl::FlushRows(int through_day) {
  while (!rows_.empty() && rows_.begin()->first <= through_day) {
    for (std::vector<StatementRow>& rows : rows_.begin()->second) {
      for (StatementRow& row : rows) {
        bank_balance_ += row.direction == Direction::kIn ? row.amount_fen : -row.amount_fen;
        row.balance_fen = bank_balance_;
        sink_(row);
        ++tally_.bank_lines;
      }
    }
    rows_.erase(rows_.begin());
  }
}

void Workload::Impl::Line(const std::string& op, std::string line) {
  ++tally_.lines;
  ++tally_.operations[op];
  lines_.push_back(std::move(line));
}

namespace {

// The envelope and the operation's object opened; Close() ends both.
json::Writer& Open(json::Writer& w, const std::string& request_id, const std::string& operator_name,
                   const std::string& on, const char* op) {
  w.BeginObject().Key("request_id").String(request_id).Key("operator").String(operator_name);
  return w.Key("on").String(on).Key(op).BeginObject();
}
std::string Close(json::Writer& w) { return w.EndObject().EndObject().str(); }

void WriteParty(json::Writer& w, const Party& party, bool creditor) {
  w.BeginObject().Key("party_id").String(party.party_id).Key("name").String(party.name);
  if (!party.kind.empty()) w.Key("kind").String(party.kind);
  if (!party.id_type.empty()) {
    w.Key("id_type").String(party.id_type).Key("id_number").String(party.id_number);
  }
  if (creditor && !party.account.empty()) w.Key("account").String(party.account);
  w.EndObject();
}

std::string Operator(const char* role, const CasePlan& p) {
  return std::string(role) + "." + kCourts[p.court].digits;
}
std::string Judge(const CasePlan& p) {
  return fmt::format("judge.{}.{}", kCourts[p.court].digits, p.judge + 1);
}
// The judge's name as the case records it.
std::string JudgeName(uint64_t seed, const CasePlan& p) {
  return PersonName(Mix(seed ^ Mix(0x1D6E + static_cast<uint64_t>(p.court) * 8 + p.judge)));
}
std::string DisbursementTag(const Step& s) {
  return fmt::format("{}{}{}", s.a + 1, static_cast<char>('a' + s.b), static_cast<int>(s.c));
}

}  // namespace

void Workload::Impl::Emit(const CasePlan& p, const Step& s) {
  switch (s.kind) {
    case Kind::kOpen:
      return EmitOpen(p, s);
    case Kind::kReceipt:
    case Kind::kWrongReceipt:
    case Kind::kReverseReceipt:
    case Kind::kUnidentified:
    case Kind::kClaim:
      return EmitMoneyIn(p, s);
    case Kind::kList:
    case Kind::kRestrict:
    case Kind::kDelist:
    case Kind::kLift:
      return EmitDefaulter(p, s);
    case Kind::kRequest:
    case Kind::kApprove:
    case Kind::kConfirm:
    case Kind::kFail:
    case Kind::kReturn:
      return EmitDisbursement(p, s);
    case Kind::kChargeFee:
    case Kind::kPayCosts:
    case Kind::kRefund:
      return EmitMoneyOut(p, s);
    case Kind::kHold:
    case Kind::kRelease:
    case Kind::kSuspend:
    case Kind::kResume:
    case Kind::kClose:
      return EmitCaseState(p, s);
    case Kind::kStrayReceipt:
    case Kind::kStrayRefund:
      return EmitStray(p, s);
    case Kind::kEventItem:
      return;  // paid by the event's line
  }
}

void Workload::Impl::EmitOpen(const CasePlan& p, const Step& s) {
  json::Writer w;
  Open(w, Prefix(p) + "-open", Operator("filing", p), DayText(s.day), "open_case");
  w.Key("case_no").String(CaseNo(p)).Key("claim").String(FormatAmount(p.claim));
  if (p.performance_due) {
    w.Key("performance_due").String(DateOf(p.filed + *p.performance_due).ToString());
  }
  w.Key("creditors").BeginArray();
  for (int c = 0; c < p.creditors; ++c) WriteParty(w, CreditorOf(p, c), true);
  w.EndArray().Key("debtors").BeginArray();
  for (int n = 0; n < p.debtors; ++n) WriteParty(w, DebtorOf(p, n), false);
  w.EndArray();
  if (p.livelihood || p.organized_crime) {
    w.Key("flags").BeginArray();
    if (p.livelihood) w.String("livelihood");
    if (p.organized_crime) w.String("organized_crime_property");
    w.EndArray();
  }
  w.Key("judge").String(JudgeName(seed_, p));
  if (p.closure_months != 6) w.Key("closure_months").Int(p.closure_months);
  Line("open_case", Close(w));
  ++tally_.cases_opened;
  if (p.claim < kSmallClaimFen) ++tally_.small_cases_opened;
}

void Workload::Impl::EmitMoneyIn(const CasePlan& p, const Step& s) {
  const int value_day = s.value_day;
  const std::string number = std::to_string(s.a + 1);
  const std::string bank_ref = Ref('B', value_day, p, number);
  const std::string account_no = MakeAccountNumber(p.index + 1);  // cases open in index order
  const std::string finance = Operator("finance", p);
  json::Writer w;
  Fen recovered = 0;
  if (s.kind == Kind::kUnidentified) {
    Open(w, "unid-" + bank_ref, finance, DayText(s.day), "unidentified_receipt");
    w.Key("amount").String(FormatAmount(s.amount)).Key("bank_ref").String(bank_ref);
    w.Key("payer").String(Payer(p, s)).Key("memo").String("汇款未注明案号");
    if (value_day != s.day) w.Key("value_date").String(DayText(value_day));
    Line("unidentified_receipt", Close(w));
    Row(value_day, Direction::kIn, s.amount, bank_ref, Payer(p, s), "", "", "汇款未注明案号");
    return;
  }
  if (s.kind == Kind::kClaim) {
    Open(w, Prefix(p) + "-claim" + number, finance, DayText(s.day), "claim");
    w.Key("bank_ref").String(bank_ref).Key("case_no").String(CaseNo(p));
    Line("claim", Close(w));
    recovered = s.amount;
  } else if (s.kind == Kind::kReverseReceipt) {
    Open(w, Prefix(p) + "-rev" + number, finance, DayText(s.day), "reverse");
    w.Key("target_request_id").String(Prefix(p) + "-rcpt" + number + "w");
    w.Key("reason").String("金额录入错误，冲正后按银行回单重新入账");
    Line("reverse", Close(w));
    recovered = -s.amount;
  } else {
    const bool wrong = s.kind == Kind::kWrongReceipt;
    Open(w, Prefix(p) + "-rcpt" + number + (wrong ? "w" : ""), finance, DayText(s.day), "receipt");
    if (s.d & kByAccountNumber) {
      w.Key("account_no").String(account_no);
    } else {
      w.Key("case_no").String(CaseNo(p));
    }
    w.Key("amount").String(FormatAmount(s.amount)).Key("bank_ref").String(bank_ref);
    w.Key("source").String(kSources[s.b]).Key("payer").String(Payer(p, s));
    if (value_day != s.day) w.Key("value_date").String(DayText(value_day));
    Line("receipt", Close(w));
    recovered = s.amount;
    if (!wrong) {
      const std::string statement_ref = s.d & kBankRefDiffers ? "C" + bank_ref : bank_ref;
      Row(value_day, Direction::kIn, s.amount, statement_ref, Payer(p, s), "", account_no,
          CaseNo(p) + " 执行款");
    }
  }
  tally_.recovered_fen += recovered;
  if (p.claim < kSmallClaimFen) tally_.small_recovered_fen += recovered;
}

void Workload::Impl::EmitDefaulter(const CasePlan& p, const Step& s) {
  const std::string debtor = DebtorOf(p, s.a).party_id;
  const std::string n = std::to_string(s.a + 1);
  json::Writer w;
  switch (s.kind) {
    case Kind::kList:
      Open(w, Prefix(p) + "-list" + n, Judge(p), DayText(s.day), "list_defaulter");
      w.Key("party_id").String(debtor).Key("case_no").String(CaseNo(p)).Key("ground").Int(s.b);
      if (s.c > 0) w.Key("extra_years").Int(s.c);
      return Line("list_defaulter", Close(w));
    case Kind::kRestrict:
      Open(w, Prefix(p) + "-restrict" + n, Judge(p), DayText(s.day), "restrict_consumption");
      w.Key("party_id").String(debtor).Key("case_no").String(CaseNo(p));
      return Line("restrict_consumption", Close(w));
    case Kind::kDelist:
      Open(w, Prefix(p) + "-delist" + n, Judge(p), DayText(s.day), "delist_defaulter");
      w.Key("party_id").String(debtor).Key("case_no").String(CaseNo(p));
      w.Key("reason").String(kDelistReasons[s.b]);
      return Line("delist_defaulter", Close(w));
    default:
      Open(w, Prefix(p) + "-lift" + n, Judge(p), DayText(s.day), "lift_restriction");
      w.Key("party_id").String(debtor).Key("case_no").String(CaseNo(p));
      w.Key("reason").String(p.role == Role::kWithdrawn ? "申请执行人撤回执行申请" : "已履行完毕");
      return Line("lift_restriction", Close(w));
  }
}

void Workload::Impl::EmitDisbursement(const CasePlan& p, const Step& s) {
  const std::string tag = DisbursementTag(s);
  const std::string id = "D" + Prefix(p) + "-" + tag;
  const Party creditor = CreditorOf(p, s.b);
  // After a refused or returned payment the creditor gives another account.
  const std::string account = s.c == 0 ? creditor.account : "6217" + creditor.account.substr(4);
  json::Writer w;
  switch (s.kind) {
    case Kind::kRequest:
      Open(w, Prefix(p) + "-req-" + tag, Judge(p), DayText(s.day), "request_disbursement");
      w.Key("disbursement_id").String(id).Key("case_no").String(CaseNo(p));
      w.Key("payee").String(creditor.party_id).Key("amount").String(FormatAmount(s.amount));
      if (s.c > 0) w.Key("account").String(account);
      return Line("request_disbursement", Close(w));
    case Kind::kApprove:
      Open(w, Prefix(p) + "-apv-" + tag, Operator("chief", p), DayText(s.day),
           "approve_disbursement");
      w.Key("disbursement_id").String(id);
      return Line("approve_disbursement", Close(w));
    case Kind::kConfirm: {
      const std::string bank_ref = Ref('P', s.day, p, tag);
      Open(w, Prefix(p) + "-cfm-" + tag, Operator("finance", p), DayText(s.day),
           "confirm_disbursement");
      w.Key("disbursement_id").String(id).Key("bank_ref").String(bank_ref);
      Line("confirm_disbursement", Close(w));
      return Row(s.day, Direction::kOut, s.amount, bank_ref, creditor.name, account,
                 MakeAccountNumber(p.index + 1), CaseNo(p) + " 执行款发放");
    }
    case Kind::kFail:
      Open(w, Prefix(p) + "-fail-" + tag, Operator("finance", p), DayText(s.day),
           "fail_disbursement");
      w.Key("disbursement_id").String(id).Key("reason").String("收款账户已销户，银行退票");
      return Line("fail_disbursement", Close(w));
    default: {  // kReturn: the payee's bank sent the payment back
      const std::string bank_ref = Ref('R', s.day, p, tag);
      Open(w, Prefix(p) + "-ret-" + tag, Operator("finance", p), DayText(s.day), "reverse");
      w.Key("target_request_id").String(Prefix(p) + "-cfm-" + tag);
      w.Key("bank_ref").String(bank_ref).Key("reason").String("收款人户名与账号不符，银行退回");
      Line("reverse", Close(w));
      return Row(s.day, Direction::kIn, s.amount, bank_ref, creditor.name, account,
                 MakeAccountNumber(p.index + 1), CaseNo(p) + " 发放退回");
    }
  }
}

void Workload::Impl::EmitMoneyOut(const CasePlan& p, const Step& s) {
  json::Writer w;
  const std::string finance = Operator("finance", p);
  if (s.kind == Kind::kChargeFee) {
    Open(w, Prefix(p) + "-fee", finance, DayText(s.day), "charge_fee");
    w.Key("case_no").String(CaseNo(p)).Key("amount").String(FormatAmount(s.amount));
    Line("charge_fee", Close(w));
    fee_account_ += s.amount;
    tally_.fees_charged_fen += s.amount;
    return;
  }
  const bool costs = s.kind == Kind::kPayCosts;
  const std::string bank_ref = Ref('P', s.day, p, costs ? "costs" : "refund");
  const uint64_t h = Mix(seed_ ^ Mix(static_cast<uint64_t>(p.index) * 16 + 15));
  const std::string payee = costs ? std::string(kCities[kCourts[p.court].city]) +
                                        kBrands[h % kBrands.size()] + "拍卖有限公司"
                                  : DebtorOf(p, 0).name;
  Open(w, Prefix(p) + (costs ? "-costs" : "-refund"), finance, DayText(s.day),
       costs ? "pay_costs" : "refund");
  w.Key("case_no").String(CaseNo(p)).Key("payee").String(payee);
  w.Key("amount").String(FormatAmount(s.amount)).Key("bank_ref").String(bank_ref);
  w.Key("reason").String(costs ? "评估拍卖费用" : "多缴执行款退回");
  Line(costs ? "pay_costs" : "refund", Close(w));
  Row(s.day, Direction::kOut, s.amount, bank_ref, payee, "", MakeAccountNumber(p.index + 1),
      CaseNo(p) + (costs ? " 执行费用" : " 退款"));
  if (!costs) {
    tally_.recovered_fen -= s.amount;
    if (p.claim < kSmallClaimFen) tally_.small_recovered_fen -= s.amount;
  }
}

void Workload::Impl::EmitCaseState(const CasePlan& p, const Step& s) {
  json::Writer w;
  const std::string n = std::to_string(s.a + 1);
  const std::string hold_id = "H" + Prefix(p) + "-" + n;
  switch (s.kind) {
    case Kind::kHold:
      Open(w, Prefix(p) + "-hold" + n, Judge(p), DayText(s.day), "hold");
      w.Key("hold_id").String(hold_id).Key("case_no").String(CaseNo(p));
      w.Key("ground").String(kHoldGrounds[s.b]).Key("approved_by").String(Operator("chief", p));
      return Line("hold", Close(w));
    case Kind::kRelease:
      Open(w, Prefix(p) + "-release" + n, Judge(p), DayText(s.day), "release_hold");
      w.Key("hold_id").String(hold_id);
      return Line("release_hold", Close(w));
    case Kind::kSuspend:
    case Kind::kResume: {
      const bool suspend = s.kind == Kind::kSuspend;
      const char* op = suspend ? "suspend_case" : "resume_case";
      Open(w, Prefix(p) + (suspend ? "-suspend" : "-resume") + n, Judge(p), DayText(s.day), op);
      w.Key("case_no").String(CaseNo(p));
      w.Key("reason").String(suspend ? "被执行人申请破产审查" : "中止事由消失");
      return Line(op, Close(w));
    }
    default:  // kClose
      Open(w, Prefix(p) + "-close", Judge(p), DayText(s.day), "close_case");
      w.Key("case_no").String(CaseNo(p)).Key("mode").String(kModes[s.b]);
      Line("close_case", Close(w));
      ++tally_.cases_closed;
      return;
  }
}

void Workload::Impl::EmitStray(const CasePlan& p, const Step& s) {
  const uint64_t h = Mix(seed_ ^ Mix(static_cast<uint64_t>(p.index) * 16 + 14));
  const std::string payer = PersonName(h);
  const std::string bank_ref = Ref('B', s.value_day, p, "s");
  json::Writer w;
  if (s.kind == Kind::kStrayReceipt) {
    Open(w, "unid-" + bank_ref, Operator("finance", p), DayText(s.day), "unidentified_receipt");
    w.Key("amount").String(FormatAmount(s.amount)).Key("bank_ref").String(bank_ref);
    w.Key("payer").String(payer).Key("memo").String("货款");
    Line("unidentified_receipt", Close(w));
    return Row(s.day, Direction::kIn, s.amount, bank_ref, payer, "", "", "货款");
  }
  const std::string refund_ref = Ref('P', s.day, p, "s");
  Open(w, "refund-" + bank_ref, Operator("finance", p), DayText(s.day), "refund_unidentified");
  w.Key("bank_ref").String(bank_ref).Key("payee").String(payer);
  w.Key("amount").String(FormatAmount(s.amount)).Key("refund_bank_ref").String(refund_ref);
  w.Key("reason").String("无法认领，原路退回");
  Line("refund_unidentified", Close(w));
  Row(s.day, Direction::kOut, s.amount, refund_ref, payer, "", "", "不明款退回");
}

// The collective day: one line per batch of its cases, each item a payment from the case's
// money to one of its creditors.
std::vector<int64_t> Workload::Impl::EventBatches(const EventShape& event) const {
  std::vector<int64_t> firsts;
  int64_t items = kEventItemsPerBatch;
  for (int64_t j = 0; j < event.members; ++j) {
    const int creditors = Build(EventMember(event, j)).creditors;
    if (items + creditors > kEventItemsPerBatch) {
      firsts.push_back(j);
      items = 0;
    }
    items += creditors;
  }
  return firsts;
}

// The collective day: one line per batch of its cases, each item a payment from the case's
// money to one of its creditors.
void Workload::Impl::EmitEvent(const EventShape& event) {
  const std::vector<int64_t> firsts = EventBatches(event);
  for (size_t batch = 0; batch < firsts.size(); ++batch) {
    const int64_t last = batch + 1 < firsts.size() ? firsts[batch + 1] : event.members;
    const std::string id =
        firsts.size() > 1 ? event.event_id + "-" + std::to_string(batch + 1) : event.event_id;
    json::Writer w;
    Open(w, id, "finance.gs", DayText(event.day), "collective_disbursement");
    w.Key("event_id").String(id).Key("title").String(event.title);
    w.Key("approved_by").String("chief.gs").Key("items").BeginArray();
    for (int64_t j = firsts[batch]; j < last; ++j) {
      const CasePlan p = Build(EventMember(event, j));
      for (const Step& s : p.steps) {
        if (s.kind != Kind::kEventItem) continue;
        const Party creditor = CreditorOf(p, s.b);
        const std::string bank_ref = Ref('J', event.day, p, std::to_string(s.b + 1));
        w.BeginObject().Key("case_no").String(CaseNo(p)).Key("payee").String(creditor.party_id);
        w.Key("amount").String(FormatAmount(s.amount)).Key("bank_ref").String(bank_ref);
        w.EndObject();
        Row(event.day, Direction::kOut, s.amount, bank_ref, creditor.name, creditor.account,
            MakeAccountNumber(p.index + 1), id + " 集中发放");
      }
    }
    w.EndArray();
    Line("collective_disbursement", Close(w));
  }
}

void Workload::Impl::EmitRules() {
  json::Writer w;
  Open(w, "rules-2021", "admin.gs", DayText(day_), "set_rules");
  w.Key("holidays").BeginArray();
  for (const auto& [month, first, last] : kHolidayRanges) {
    for (int day = first; day <= last; ++day) w.String(DayText(DayOf(month, day)));
  }
  w.EndArray().Key("workdays").BeginArray();
  for (const auto& [month, day] : kWorkdays) w.String(DayText(DayOf(month, day)));
  w.EndArray();
  Line("set_rules", Close(w));
}

// The month's fees go to the treasury on its last working day (收支两条线, RULES §1).
void Workload::Impl::EmitRemit() {
  const Date date = DateOf(day_);
  const std::string bank_ref =
      fmt::format("T{:02d}{:02d}{:02d}-fees", date.year() % 100, date.month(), date.day());
  json::Writer w;
  Open(w, fmt::format("remit-{}-{:02d}", date.year(), date.month()), "finance.gs", DayText(day_),
       "remit_fees");
  w.Key("amount").String(FormatAmount(fee_account_)).Key("bank_ref").String(bank_ref);
  Line("remit_fees", Close(w));
  Row(day_, Direction::kOut, fee_account_, bank_ref, "国家金库甘肃省分库", "", "",
      "执行费上缴国库");
  fee_account_ = 0;
}

// ---- Workload.

Workload::Workload(const WorkloadOptions& options) : impl_(std::make_unique<Impl>(options)) {}
Workload::~Workload() = default;
bool Workload::Next(std::string* line) { return impl_->Next(line); }
void Workload::SetStatementSink(std::function<void(const StatementRow&)> sink) {
  impl_->SetSink(std::move(sink));
}
int64_t Workload::cases() const { return impl_->cases(); }
int64_t Workload::small_cases() const { return impl_->small_cases(); }
int64_t Workload::CountLines() const { return impl_->CountLines(); }
std::string Workload::CaseNumberOf(int64_t index) const { return impl_->CaseNumberOf(index); }
Date Workload::FiledOnOf(int64_t index) const { return impl_->FiledOnOf(index); }
Date Workload::FirstDay() { return *Date::FromYmd(kYear, 1, 1); }
Date Workload::LastDay() { return *Date::FromYmd(kYear, 12, 31); }
const WorkloadTally& Workload::tally() const { return impl_->tally(); }

}  // namespace caseledger

#include "bench/parties.h"

#include <fmt/core.h>

#include <array>
#include <string_view>

#include "bench/random.h"
#include "bench/year.h"

namespace caseledger::bench {
namespace {

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

// Creditor or debtor (`role` 'c' or 'd') `n` of the case: its id and, when `kind` is a person
// (0) or an enterprise (1), its name and identity document drawn from `h`. Other kinds are the
// caller's to fill.
Party PersonOrEnterprise(uint64_t h, const CasePlan& p, char role, int n, int kind) {
  const Court& court = kCourts[p.court];
  Party party;
  party.party_id = CasePrefix(p) + "-" + role + std::to_string(n + 1);
  if (kind == 1) {
    party.name = EnterpriseName(h, court.city);
    party.kind = "enterprise";
    party.id_type = "uscc";
    party.id_number = Uscc(court.digits, h >> 5);
  } else if (kind == 0) {
    party.name = PersonName(h);
    party.id_type = "resident_id";
    party.id_number = ResidentId(court.digits, h >> 7);
  }
  return party;
}

}  // namespace

Party CreditorOf(uint64_t seed, const CasePlan& p, int c) {
  const uint64_t h = Mix(seed ^ Mix(static_cast<uint64_t>(p.index) * 16 + 2 + c));
  const int kind = p.creditor_kind[c];
  Party party = PersonOrEnterprise(h, p, 'c', c, kind);
  if (kind <= 1) {
    party.account = (kind == 1 ? "2703" : "6228") + Digits(Mix(h), 15);
  } else {
    party.name = std::string(kBanks[h % kBanks.size()]) + kCourts[p.court].county + "支行";
    party.kind = "financial_institution";
    party.account = "1000" + Digits(Mix(h), 15);
  }
  return party;
}

Party DebtorOf(uint64_t seed, const CasePlan& p, int n) {
  const uint64_t h = Mix(seed ^ Mix(static_cast<uint64_t>(p.index) * 16 + 8 + n));
  const int kind = p.debtor_kind[n];
  Party party = PersonOrEnterprise(h, p, 'd', n, kind);
  if (kind > 1) {
    const char* county = kCourts[p.court].county;
    party.name = std::string(county) + (h % 2 == 0 ? "住房和城乡建设局" : "人民政府");
    party.kind = "government";
  }
  return party;
}

std::string Payer(uint64_t seed, const CasePlan& p, const Step& s) {
  const uint64_t h = Mix(seed ^ Mix(static_cast<uint64_t>(p.index) * 16 + 12 + s.a));
  switch (s.b) {
    case kAuction:
      return PersonName(h) + "（竞买人）";
    case kThirdParty:
      return PersonName(h) + "（担保人）";
    default:
      return DebtorOf(seed, p, 0).name;
  }
}

std::string JudgeName(uint64_t seed, const CasePlan& p) {
  return PersonName(Mix(seed ^ Mix(0x1D6E + static_cast<uint64_t>(p.court) * 8 + p.judge)));
}

std::string AuctionHouse(uint64_t seed, const CasePlan& p) {
  const uint64_t h = Mix(seed ^ Mix(static_cast<uint64_t>(p.index) * 16 + 15));
  return std::string(kCities[kCourts[p.court].city]) + kBrands[h % kBrands.size()] + "拍卖有限公司";
}

std::string StrayPayer(uint64_t seed, const CasePlan& p) {
  return PersonName(Mix(seed ^ Mix(static_cast<uint64_t>(p.index) * 16 + 14)));
}

}  // namespace caseledger::bench

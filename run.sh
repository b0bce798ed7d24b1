#!/usr/bin/env bash
# caseledger set-up on Debian 12, as root (or with sudo):
#   ./run.sh demo   install what is missing, build, and run a month of one court on ./caseledger-data
#   ./run.sh test   install what is missing, build, and run every test through ctest
#   ./run.sh build  install what is missing and build only
set -euo pipefail
cd "$(dirname "$0")"

PACKAGES=(build-essential cmake ninja-build pkg-config
          librocksdb-dev libboost-dev libprotobuf-dev protobuf-compiler
          libgtest-dev libssl-dev libcli11-dev libfmt-dev libjemalloc-dev python3 hledger)

install_missing() {
  local missing=()
  for package in "${PACKAGES[@]}"; do
    dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" \
      || missing+=("$package")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  local sudo=""
  [ "$(id -u)" -ne 0 ] && sudo="sudo"
  echo "run.sh: installing ${missing[*]}" >&2
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
}

build() {
  cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
  cmake --build build -j2
}

demo() {
  # The demo month is March 2024; "today" is its last day, so deadlines read as they did then.
  export CASELEDGER_TODAY=2024-03-31
  local db=./caseledger-data
  echo "== 兰州市城关区人民法院, 2024年3月: applying demo/month.jsonl to $db" >&2
  # apply is idempotent: running the demo again records nothing new (created: false).
  ./build/caseledger --db "$db" apply demo/month.jsonl > build/demo-results.jsonl || true
  local total accepted
  total=$(wc -l < build/demo-results.jsonl)
  accepted=$(grep -c '"ok":true' build/demo-results.jsonl || true)
  echo "== $accepted of $total commands accepted (results in build/demo-results.jsonl)"
  local first_case
  first_case=$(grep -m1 -o '"case_no":"[^"]*"' demo/month.jsonl | cut -d'"' -f4)
  echo; echo "== caseledger case '$first_case'"
  ./build/caseledger --db "$db" case "$first_case"
  echo; echo "== caseledger cases"
  ./build/caseledger --db "$db" cases
  local event distribution
  event=$(grep -m1 -o '"event_id":"[^"]*"' demo/month.jsonl | cut -d'"' -f4)
  echo; echo "== caseledger event '$event'"
  ./build/caseledger --db "$db" event "$event"
  echo; echo "== caseledger defaulters"
  ./build/caseledger --db "$db" defaulters
  distribution=$(grep -m1 -o '"distribution_id":"[^"]*"' demo/month.jsonl | cut -d'"' -f4)
  echo; echo "== caseledger distribution '$distribution'"
  ./build/caseledger --db "$db" distribution "$distribution"
  echo; echo "== caseledger balance"
  ./build/caseledger --db "$db" balance
  echo; echo "== caseledger verify"
  ./build/caseledger --db "$db" verify
}

case "${1:-}" in
  demo) install_missing; build; demo ;;
  test) install_missing; build; ctest --test-dir build --output-on-failure -j2 ;;
  build) install_missing; build ;;
  *) echo "usage: ./run.sh demo | test | build" >&2; exit 2 ;;
esac

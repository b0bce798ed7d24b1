#!/usr/bin/env bash
# caseledger set-up on Debian 12, as root (or with sudo):
#   ./run.sh demo   install what is missing, build, and run a month of one court on ./caseledger-data
#   ./run.sh test   install what is missing, build, and run every test through ctest; then the
#                   unit tests built with clang under AddressSanitizer and UBSan (build-san/),
#                   and each fuzzer for a few seconds from its seeds (tests/fuzz/README.md)
#   ./run.sh fuzz [SECONDS]  the sanitizer build, then each fuzzer for SECONDS (default 600)
#   ./run.sh build  install what is missing and build only
set -euo pipefail
cd "$(dirname "$0")"

PACKAGES=(build-essential cmake ninja-build pkg-config
          librocksdb-dev libboost-dev libprotobuf-dev protobuf-compiler
          libgtest-dev libssl-dev libcli11-dev libfmt-dev libjemalloc-dev libicu-dev python3 hledger universal-ctags
          libgrpc++-dev protobuf-compiler-grpc openssl
          clang libclang-rt-14-dev llvm-14
          libcpp-httplib-dev chromium fonts-wqy-zenhei nodejs etcd-server etcd-client)

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

# The console's browser tests (tests/browser/): npm (Debian's, unless node came with its own, as
# NodeSource's does) and playwright-core at the version package-lock.json pins; it drives
# Debian's /usr/bin/chromium, so npm downloads no browser.
install_browser_tests() {
  if ! command -v npm >/dev/null; then
    local sudo=""
    [ "$(id -u)" -ne 0 ] && sudo="sudo"
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends npm
  fi
  [ -d tests/browser/node_modules/playwright-core ] && return 0
  (cd tests/browser && npm ci --no-audit --no-fund)
}

build() {
  cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
  cmake --build build -j2
}

# Clang, AddressSanitizer + UBSan, asserts on (Debug; CMakeLists.txt sets -O1), and the fuzzers.
build_sanitized() {
  CXX=clang++ cmake -S . -B build-san -G Ninja -DCMAKE_BUILD_TYPE=Debug -DCASELEDGER_SANITIZE=ON \
    >/dev/null
  cmake --build build-san -j2
}

# Any report fails: UBSan aborts (-fno-sanitize-recover), ASan exits non-zero, leaks included.
export ASAN_OPTIONS=detect_leaks=1:check_initialization_order=1
export UBSAN_OPTIONS=print_stacktrace=1
[ -x /usr/lib/llvm-14/bin/llvm-symbolizer ] \
  && export ASAN_SYMBOLIZER_PATH=/usr/lib/llvm-14/bin/llvm-symbolizer

# Runs one fuzzer (amount_fuzz, ...) for $2 seconds from its seeds (tests/fuzz/corpus/amount)
# and what it found before (build-san/fuzz-corpus/amount_fuzz); prints its executions; a crash
# is kept in build-san/fuzz-found/ and fails the run.
fuzz_one() {
  local name=$1 seconds=$2
  local corpus=build-san/fuzz-corpus/$name found=build-san/fuzz-found log=build-san/$name.log
  mkdir -p "$corpus" "$found"
  if "build-san/$name" -max_total_time="$seconds" -timeout=60 -print_final_stats=1 \
      -artifact_prefix="$found/$name-" "$corpus" "tests/fuzz/corpus/${name%_fuzz}" >"$log" 2>&1; then
    echo "fuzz $name: $(grep -o 'number_of_executed_units: [0-9]*' "$log" | grep -o '[0-9]*$') \
executions in ${seconds} s, $(ls "$corpus" | wc -l) inputs kept"
  else
    echo "fuzz $name: FAILED (log $log; the input is in $found/)" >&2
    grep -m1 -A30 -E 'ERROR|runtime error|invariant failed|deadly signal' "$log" >&2 || tail -40 "$log" >&2
    return 1
  fi
}

# Every fuzzer, two at a time (the machine has two cores).
fuzz() {
  local seconds=$1 failed=0 pids=() names=()
  for target in tests/fuzz/*_fuzz.cc; do
    names+=("$(basename "$target" .cc)")
  done
  for ((i = 0; i < ${#names[@]}; i += 2)); do
    pids=()
    for name in "${names[@]:i:2}"; do
      fuzz_one "$name" "$seconds" & pids+=($!)
    done
    for pid in "${pids[@]}"; do wait "$pid" || failed=1; done
  done
  return $failed
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
  echo; echo "== caseledger balance --statement demo/statement-2024-03.csv (the bank's March statement)"
  ./build/caseledger --db "$db" balance --statement demo/statement-2024-03.csv
  echo; echo "== caseledger reconcile demo/statement-2024-03.csv --period 2024-03-01:2024-03-31"
  ./build/caseledger --db "$db" reconcile demo/statement-2024-03.csv --period 2024-03-01:2024-03-31
  echo; echo "== caseledger verify"
  ./build/caseledger --db "$db" verify
  demo_server "$db" "$first_case"
}

# The same ledger served by caseledgerd on loopback (README "A bureau's server"): test
# certificates, the server, an auditor's reads through it, and SIGTERM.
demo_server() {
  local db=$1 first_case=$2 certs ready pid
  certs=$(mktemp -d)
  ready="$certs/ready"
  tools/make_certs.sh init "$certs" && tools/make_certs.sh operator "$certs" audit.zhao
  ./build/caseledgerd --db "$db" --listen 127.0.0.1:0 --tls-cert "$certs/server.pem" \
    --tls-key "$certs/server.key" --client-ca "$certs/ca.pem" --ready-file "$ready" &
  pid=$!
  for _ in $(seq 100); do [ -f "$ready" ] && break; sleep 0.1; done
  export CASELEDGER_SERVER=$(cat "$ready") CASELEDGER_TLS_SERVER_CA="$certs/ca.pem"
  export CASELEDGER_TLS_CERT="$certs/audit.zhao.pem" CASELEDGER_TLS_KEY="$certs/audit.zhao.key"
  echo; echo "== caseledgerd on $CASELEDGER_SERVER; as audit.zhao: caseledger case '$first_case'"
  ./build/caseledger case "$first_case"
  echo; echo "== as audit.zhao: caseledger balance"
  ./build/caseledger balance
  kill -TERM "$pid"; wait "$pid" || true
  unset CASELEDGER_SERVER CASELEDGER_TLS_SERVER_CA CASELEDGER_TLS_CERT CASELEDGER_TLS_KEY
  rm -rf "$certs"
}

case "${1:-}" in
  demo) install_missing; build; demo ;;
  test)
    install_missing; install_browser_tests; build; ctest --test-dir build --output-on-failure -j2
    # Under the sanitizers: the unit tests (core/, ledger/, the property and fault tests; the
    # sanitizer build leaves tests/cli/ out: the binary driven from outside at ~7x the cost, the
    # crash harness alone 285 s), then the fuzzers on the untrusted inputs (README "Reliability").
    build_sanitized
    ctest --test-dir build-san --output-on-failure -j2
    fuzz 5 ;;
  fuzz) install_missing; build_sanitized; fuzz "${2:-600}" ;;
  build) install_missing; build ;;
  *) echo "usage: ./run.sh demo | test | fuzz [SECONDS] | build" >&2; exit 2 ;;
esac

#!/usr/bin/env bash
# What a court's IT vendor would build instead of caseledger: the same entries loaded into a plain
# double-entry PostgreSQL schema, in transactions of the same batch size, durably committed.
# Prints entries per second. See tests/bench/README.md.
#
# usage: tests/bench/postgres_bench.sh EXPORT.jsonl [--batch N] [--keep] [--json]
#   EXPORT.jsonl  `caseledger export --format jsonl` of any ledger
#   --batch N     entries per transaction (default 1024, caseledger's commit group)
#   --keep        keep the cluster's directory (stopped) instead of removing it
#   --json        print one JSON object instead of the line for people
#
# Installs Debian's postgresql and python3-psycopg if they are missing (needs root for that),
# starts a throwaway cluster on 127.0.0.1 on a free port (as user postgres when run as root),
# and stops and removes it on exit. The cluster lives under ${TMPDIR:-/tmp}: put TMPDIR on the
# same disk as the caseledger database you compare with.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
export_file="" batch=1024 keep=0 json=0
while (($#)); do
  case "$1" in
    --batch) batch="${2:?--batch needs a number}"; shift 2 ;;
    --batch=*) batch="${1#--batch=}"; shift ;;
    --keep) keep=1; shift ;;
    --json) json=1; shift ;;
    -h|--help) sed -n '2,15p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    -*) echo "postgres_bench: unknown option $1" >&2; exit 2 ;;
    *) [[ -z "$export_file" ]] || { echo "postgres_bench: one export file only" >&2; exit 2; }
       export_file="$1"; shift ;;
  esac
done
[[ -n "$export_file" ]] || { echo "usage: $0 EXPORT.jsonl [--batch N] [--keep] [--json]" >&2; exit 2; }
[[ -r "$export_file" ]] || { echo "postgres_bench: cannot read $export_file" >&2; exit 2; }
[[ "$batch" =~ ^[1-9][0-9]*$ ]] || { echo "postgres_bench: --batch must be a positive integer" >&2; exit 2; }
export_file="$(cd "$(dirname "$export_file")" && pwd)/$(basename "$export_file")"
t_start=${EPOCHREALTIME/[.,]/}
log() {
  local ms=$(( (${EPOCHREALTIME/[.,]/} - t_start) / 1000 ))
  printf 'postgres_bench: [%d.%03ds] %s\n' $((ms / 1000)) $((ms % 1000)) "$*" >&2
}

# Debian's python3 (psycopg is installed for it), not whatever python3 comes first on PATH.
py=/usr/bin/python3
pg_bin() { ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1; }
missing=()
[[ -n "$(pg_bin)" && -x "$(pg_bin)/initdb" ]] || missing+=(postgresql)
"$py" -c 'import psycopg' 2>/dev/null || missing+=(python3-psycopg)
if ((${#missing[@]})); then
  [[ $EUID -eq 0 ]] || { log "missing ${missing[*]}: run as root to install them (apt-get)"; exit 2; }
  log "installing ${missing[*]} (apt-get)"
  export DEBIAN_FRONTEND=noninteractive
  apt-get install -y -q "${missing[@]}" >&2 ||
    { apt-get update -q >&2 && apt-get install -y -q "${missing[@]}" >&2; }
fi
bin="$(pg_bin)"

# Run the server's tools as postgres when we are root: pg_ctl and initdb refuse root.
as_pg() { if [[ $EUID -eq 0 ]]; then runuser -u postgres -- "$@"; else "$@"; fi; }

work="$(mktemp -d "${TMPDIR:-/tmp}/pgbench.XXXXXX")"
chmod 755 "$work"
[[ $EUID -ne 0 ]] || chown postgres: "$work"
data="$work/data"
started=0
cleanup() {
  local rc=$?
  if ((started)); then
    log "stopping PostgreSQL"
    # Thrown away: no need for the shutdown checkpoint, unless the cluster is kept.
    if ((keep)); then mode=fast; else mode=immediate; fi
    as_pg "$bin/pg_ctl" -D "$data" -m "$mode" -w stop >/dev/null 2>&1 || true
  fi
  if ((keep)); then log "kept the cluster in $data (start: $bin/pg_ctl -D $data -l $work/log start)"
  else rm -rf "$work"; fi
  log "done"
  exit $rc
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# --no-sync: initdb's own files need not reach the disk for a throwaway cluster; the load's
# commits are what is measured, and they are flushed to the WAL on disk (fsync=on).
log "initdb in $data"
as_pg "$bin/initdb" -D "$data" -U postgres -A trust -E UTF8 --locale=C --no-instructions \
  --no-sync >"$work/initdb.log" 2>&1 ||
  { cat "$work/initdb.log" >&2; exit 1; }

port="$("$py" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')"
# Durability exactly as shipped (stated, not left to defaults), and the memory and checkpoint
# settings a vendor tunes on a dedicated database server.
cat >>"$data/postgresql.conf" <<EOF

# ---- postgres_bench.sh
listen_addresses = '127.0.0.1'
port = $port
unix_socket_directories = '$work'
fsync = on
synchronous_commit = on
full_page_writes = on
wal_sync_method = fdatasync
shared_buffers = 1GB
max_wal_size = 4GB
checkpoint_completion_target = 0.9
EOF
log "starting PostgreSQL ($("$bin/postgres" --version | awk "{print \$3}")) on 127.0.0.1:$port"
as_pg "$bin/pg_ctl" -D "$data" -l "$work/log" -w -t 60 start >/dev/null ||
  { cat "$work/log" >&2; exit 1; }
started=1

args=(--host 127.0.0.1 --port "$port" --user postgres --dbname postgres --batch "$batch")
((json)) && args+=(--json)
log "loading $export_file in transactions of $batch"
"$py" "$here/pg_load.py" "$export_file" "${args[@]}"

#!/usr/bin/env bash
# `make bench`: starts its own stack (var/bench-stack/<data set>, port $BENCH_PORT) with the
# Russia-scale data set (scripts/bigdata.sh) or, with BENCH_DATA=demo, the demo data only,
# and measures each scenario four ways in the same run, one after the other:
#   api      wrk through nginx to the API (from a second process), the API's peak RSS
#            (VmHWM of /proc/<api pid>/status, reset before the scenario);
#   static   wrk against a second nginx serving a file of the scenario's response (the
#            bytes of a real response, so the same size);
#   pgbench  PostgreSQL running the handler's SQL directly, the same transaction as the API
#            sends it (backend/src/db.c), in one pipeline (\startpipeline … \endpipeline, one
#            round trip): BEGIN; app.session_check(sub, ep) with the request.sub/role/reg/
#            mun/sch settings, request.id and the role; the call; COMMIT (the XLSX export,
#            db_call_steps: BEGIN and the opening pipelined, then its statements and COMMIT);
#   minimal  the job's minimal transaction, what a conventional gateway (PHP) sends: BEGIN;
#            the request.* settings and the role (no session check, no request id); the
#            call; COMMIT — four statements, four round trips, no pipeline. Signed-in
#            scenarios only (not signin). The table prints API ÷ pgbench and API ÷ minimal.
# pgbench (both kinds) runs as many clients as the API holds database connections in total
# (its worker count, one connection each, × its instances), read from the running API (its
# "listening … with N workers" log line after the restart, i.e. ORIENTIR_WORKERS as the stack
# passes it or the binary's default; failing that, its connections in pg_stat_activity); a
# scenario with its own connection count (the seventh field) uses that for wrk and pgbench.
# It prints a table and writes var/bench/<timestamp>.json. Not part of `make test`.
#
# BENCH_BASELINE=<commit> additionally measures the report scenarios of this run (summary,
# summary-big, xlsx, xlsx-big: those measured here) at that commit, after this run: a worktree
# (git worktree add --detach) in var/bench-baseline/<commit>, its API built there (make -C
# <dir>/backend all), its own scripts/bench.sh with BENCH_SCENARIOS = those, BENCH_PORT + 10,
# its own stack and data in <dir>/var/bench-stack/<data> (loaded by its own bench.sh and
# migrations the first time: for big data minutes and ~3 GB per baseline commit; kept for
# the next run, removed with the directory), ORIENTIR_WORKERS and BENCH_CONNECTIONS of this
# run (so req/s compares code, not configuration). Both tables are printed, then one line per
# report scenario: baseline / now single-request ms and the req/s ratio (also in the JSON,
# "baseline"). Remove one with `git worktree remove --force var/bench-baseline/<commit>`.
#
# Settings (environment):
#   BENCH_DATA=big|demo       data set (default big; loaded once per stack, kept between runs)
#   BENCH_SECONDS=10          duration of each measurement
#   BENCH_CONNECTIONS=16      wrk connections (the targets' "at 16 connections"); pgbench always
#                             runs the API's database connections; a scenario's own count sets both
#   BENCH_THREADS=2           wrk threads (2 cores)
#   BENCH_PORT=18090          the bench stack's nginx (static nginx: BENCH_PORT + 1)
#   BENCH_REGION              region whose users the scenarios act as (big: ru-47, demo: 47)
#   BENCH_BIG_REGION=ru-99    the oversized region of summary-big (big data only)
#   BENCH_SINGLE=3            requests sent one at a time before wrk (median: "1 req ms")
#   BENCH_SCENARIOS=a,b       run only these scenarios
#   BENCH_VAR                 the stack's state directory (default var/bench-stack/<data>)
#   BENCH_KEEP=1              leave the stack running afterwards (not the baseline's)
#   BENCH_NICE=N              run the stack and the load generators under nice -n N
#   BENCH_BASELINE=<commit>   also measure the report scenarios at that commit (above)
#   ORIENTIR_WORKERS          the API's workers (passed to the stack; default: the binary's)
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
BENCH_DATA=${BENCH_DATA:-big}
BENCH_SECONDS=${BENCH_SECONDS:-10}
BENCH_CONNECTIONS=${BENCH_CONNECTIONS:-16}
BENCH_THREADS=${BENCH_THREADS:-2}
BENCH_PORT=${BENCH_PORT:-18090}
BENCH_VAR=${BENCH_VAR:-$root/var/bench-stack/$BENCH_DATA}
BENCH_NICE=${BENCH_NICE:-0}
BENCH_PASSWORD=${BENCH_PASSWORD:-orientir-demo}
case $BENCH_DATA in
  big) BENCH_REGION=${BENCH_REGION:-ru-47} ;;
  demo) BENCH_REGION=${BENCH_REGION:-47} ;;
  *) echo "bench: BENCH_DATA must be big or demo" >&2; exit 2 ;;
esac
BENCH_BIG_REGION=${BENCH_BIG_REGION:-ru-99}
BENCH_SINGLE=${BENCH_SINGLE:-3}
BENCH_BASELINE=${BENCH_BASELINE:-}
[[ $BENCH_CONNECTIONS =~ ^[1-9][0-9]*$ ]] \
  || { echo "bench: BENCH_CONNECTIONS must be a positive integer" >&2; exit 2; }
# The report scenarios, those BENCH_BASELINE measures at the other commit too.
REPORT_SCENARIOS=summary,summary-big,xlsx,xlsx-big
base_commit=""
if [ -n "$BENCH_BASELINE" ]; then   # checked now, not after minutes of measuring
  base_commit=$(git -C "$root" rev-parse --verify --quiet "$BENCH_BASELINE^{commit}") \
    || { echo "bench: BENCH_BASELINE=$BENCH_BASELINE is not a commit" >&2; exit 2; }
fi

# The scenarios, one line each:  name | actor | method | path | body | sql [| connections]
#   actor  whose token the request carries: {school}, {municipality}, {committee} (users of
#          BENCH_REGION, see fixtures below), anon (none), or {drafts}: one draft submission
#          per connection, saved into with If-Match (scripts/bench/wrk.lua, BENCH_ITEMS).
#   path, body: {key} is replaced by the fixture of that name (fixtures below).
#   sql    the SQL call the route's handler makes, for pgbench (:key = the fixture as a bind
#          parameter, as the API binds $n), wrapped in the request transaction (pgbench_script:
#          the API's and the minimal one); or @file in scripts/bench/ holding the call(s),
#          wrapped the same way (its \set lines go before the transaction), or a complete
#          pgbench script when it has its own BEGIN (login.sql; then no minimal transaction).
#   connections  optional: wrk connections and pgbench clients for this scenario (default:
#          wrk BENCH_CONNECTIONS, pgbench the API's database connections, 2 × 4 by
#          default). Sign-in uses 2, one per core: each is a CPU-bound PBKDF2 of
#          ~0.3 s, so 16 at once would each take ~3 s and few would finish in a short run.
#          The report scenarios (issue 6) use 2 where one request takes about a second or
#          more (the 10,000-school region, the XLSX export): 16 would only queue on 2 cores.
# A scenario whose fixtures are empty is skipped (summary-big, xlsx-big: there is no ru-99 in
# the demo data). Before wrk, BENCH_SINGLE (3) requests are sent one at a time; their median is the
# "1 req ms" column: the latency of a request alone, which is what the report targets of
# issue 6 (summary < 1 s / 10,000 schools < 2 s, its XLSX < 5 s) are about — p50 under 16 connections on 2 cores
# is mostly queueing.
SCENARIOS='
signin      | anon            | POST | /api/v1/auth/login | {"login":"{school_login}","password":"{password}"} | @login.sql | 2
me          | {school}        | GET  | /api/v1/me | | SELECT app.me()
schools     | {municipality}  | GET  | /api/v1/schools?municipality_id={municipality_id} | | SELECT app.schools_list(:municipality_id::bigint, NULL, NULL::int, NULL::int)
answer      | {drafts}        | PUT  | /api/v1/submissions/{submission_id}/answers/{indicator_id} | {"value":"{value}"} | @answer.sql
summary     | {committee}     | GET  | /api/v1/reports/summary?campaign_id={campaign_id} | | SELECT app.report_summary(:campaign_id::bigint)
summary-big | {big_committee} | GET  | /api/v1/reports/summary?campaign_id={big_campaign_id} | | SELECT app.report_summary(:big_campaign_id::bigint) | 2
xlsx        | {committee}     | GET  | /api/v1/reports/summary.xlsx?campaign_id={campaign_id} | | @xlsx.sql | 2
xlsx-big    | {big_committee} | GET  | /api/v1/reports/summary.xlsx?campaign_id={big_campaign_id} | | @xlsx-big.sql | 2
'

say() { printf 'bench: %s\n' "$*" >&2; }
nicely() { nice -n "$BENCH_NICE" "$@"; }
stack() { nicely env ORIENTIR_VAR="$BENCH_VAR" PORT="$BENCH_PORT" PG_FAST="${BENCH_PG_FAST:-1}" \
            API_BIN="$BENCH_VAR/orientir-api" "$root/scripts/stack.sh" "$@"; }

mkdir -p "$BENCH_VAR" "$root/var/bench"
BENCH_VAR=$(cd "$BENCH_VAR" && pwd)
work=$BENCH_VAR/run-bench
rm -rf "$work"; mkdir -p "$work/static/files" "$work/static/temp" "$work/pgbench"

# --- the stack ------------------------------------------------------------------------
# The binary is copied so that a rebuild during the run does not change what is measured.
cp "$root/backend/build/orientir-api" "$BENCH_VAR/orientir-api.new"
mv -f "$BENCH_VAR/orientir-api.new" "$BENCH_VAR/orientir-api"
# A stack still running from an earlier run (BENCH_KEEP=1) is reused as it is.
curl -fsS "http://127.0.0.1:$BENCH_PORT/api/v1/health" >/dev/null 2>&1 || stack up >/dev/null
api_log=$BENCH_VAR/log/api.log
log_mark=$(stat -c %s "$api_log" 2>/dev/null || echo 0)
stack api-restart   # a fresh API process: its peak RSS is this run's
eval "$(stack env)"
export PGHOST PGUSER PGDATABASE
if [ "$BENCH_DATA" = big ]; then
  ORIENTIR_VAR=$BENCH_VAR API_BIN=$BENCH_VAR/orientir-api BIGDATA_PASSWORD=$BENCH_PASSWORD \
    "$root/scripts/bigdata.sh" >&2
fi
# The API's processes: one per instance (run/api-<i>.pid; run/api.pid is their supervisor's).
api_pids=()
for f in "$BENCH_VAR"/run/api-[0-9]*.pid; do api_pids+=("$(cat "$f")"); done
url=http://127.0.0.1:$BENCH_PORT

# The API's database connections in total: its workers (one connection each; ORIENTIR_WORKERS
# as the stack passes it, or the binary's default) × its instances (ORIENTIR_INSTANCES, the
# supervisor's; counted from their pid files).
# Asked of the running API: its "listening on … with N workers" log line since the restart;
# without one (a log level above info), its connections in pg_stat_activity once settled.
# pgbench runs as many clients; wrk BENCH_CONNECTIONS.
api_connected() {
  psql -X -At -c "select count(*) from pg_stat_activity
                  where application_name = 'orientir-api' and backend_type = 'client backend'"
}
api_instances=${#api_pids[@]}
api_workers=""
for _ in $(seq 50); do
  api_workers=$(tail -c +"$((log_mark + 1))" "$api_log" 2>/dev/null \
                | sed -n 's/.*listening on .* with \([0-9][0-9]*\) workers.*/\1/p' | tail -n 1)
  [ -z "$api_workers" ] || break
  sleep 0.1
done
[ -n "$api_workers" ] || { sleep 2; api_workers=$(api_connected); }
api_db_connections=$((api_workers * api_instances))
[ "$api_db_connections" -gt 0 ] || { say "cannot tell the API's database connections"; exit 1; }
for _ in $(seq 100); do   # the workers connect as they start: measure once all have
  [ "$(api_connected)" -ne "$api_db_connections" ] || break
  sleep 0.1
done
n=$(api_connected)
[ "$n" -eq "$api_db_connections" ] || say "the API holds $n database connections, expected $api_db_connections"
say "API: $api_db_connections database connections ($api_workers workers × $api_instances instances);" \
    "pgbench: $api_db_connections clients; wrk: $BENCH_CONNECTIONS connections (a scenario's own count sets both)"
static_port=$((BENCH_PORT + 1))

cleanup() {
  if [ -f "$work/static/nginx.pid" ]; then
    nginx -p "$work/static" -c "$work/static/nginx.conf" -s quit 2>/dev/null || true
  fi
  if [ "${BENCH_KEEP:-0}" != 1 ]; then stack down; else say "stack left running at $url"; fi
}
trap cleanup EXIT

# --- fixtures: who acts and on what ---------------------------------------------------
# The municipality with the median number of schools in the region, its first school,
# the region's committee, its newest closed and its open campaign; the committee of
# BENCH_BIG_REGION and its newest closed campaign (empty when that region does not exist).
declare -A F
while IFS='=' read -r k v; do F[$k]=$v; done < <(psql -X -At -v ON_ERROR_STOP=1 -v region="$BENCH_REGION" \
                                                  -v big_region="$BENCH_BIG_REGION" <<'SQL'
with reg as (select id from app.regions where code = :'region'),
mun as (
  select m.id, (select u.login from app.users u where u.municipality_id = m.id and u.role = 'municipality'
                order by u.id limit 1) as login, count(*) as n,
         row_number() over (order by count(*), m.code) as rn, count(*) over () as total
  from app.municipalities m join app.schools s on s.municipality_id = m.id
  where m.region_id = (select id from reg) group by m.id
),
med as (select * from mun where rn = (total + 1) / 2),
sch as (select s.id, u.login, u.id as user_id from app.schools s
        join app.users u on u.school_id = s.id and u.role = 'school'
        where s.municipality_id = (select id from med) order by s.code limit 1)
select 'region_id=' || (select id from reg)
union all select 'municipality_id=' || (select id from med)
union all select 'municipality_login=' || (select login from med)
union all select 'municipality_schools=' || (select n from med)
union all select 'school_id=' || (select id from sch)
union all select 'school_login=' || (select login from sch)
union all select 'school_user_id=' || (select user_id from sch)
union all select 'committee_login=' || (select login from app.users where role = 'committee'
                                         and region_id = (select id from reg) order by id limit 1)
union all select 'campaign_id=' || coalesce((select id from app.campaigns where region_id = (select id from reg)
                                              and closes_on < current_date order by closes_on desc, id desc limit 1), 0)
union all select 'open_campaign_id=' || coalesce((select id from app.campaigns where region_id = (select id from reg)
                                              and current_date between opens_on and closes_on order by id limit 1), 0)
union all select 'big_committee_login=' || coalesce((select u.login from app.users u join app.regions r on r.id = u.region_id
                                              where r.code = :'big_region' and u.role = 'committee' order by u.id limit 1), '')
union all select 'big_campaign_id=' || coalesce((select c.id::text from app.campaigns c join app.regions r on r.id = c.region_id
                                              where r.code = :'big_region' and c.closes_on < current_date
                                              order by c.closes_on desc, c.id desc limit 1), '')
SQL
)
F[password]=$BENCH_PASSWORD
F[user_id]=${F[school_user_id]}
F[login]=${F[school_login]}
[ -n "${F[municipality_id]:-}" ] || { say "region $BENCH_REGION not found"; exit 1; }

declare -A TOKEN CLAIMS
# Signs in (four at a time: each sign-in is a PBKDF2 of 600,000 iterations) as each login
# not signed in yet; then token_of LOGIN sets TOKEN and CLAIMS (the access token's payload
# is the claims the API sets).
sign_in() {
  mkdir -p "$work/tokens"
  # shellcheck disable=SC2016  # $1… are the inner sh's arguments
  printf '%s\n' "$@" | xargs -P 4 -I{} sh -c '[ -s "$1/tokens/$2" ] || curl -fsS -H "Content-Type: application/json" \
      -d "{\"login\":\"$2\",\"password\":\"$3\"}" "$4/api/v1/auth/login" | jq -r .access_token >"$1/tokens/$2"' \
      _ "$work" {} "$BENCH_PASSWORD" "$url"
}
token_of() {
  local login=$1 payload
  if [ -z "${TOKEN[$login]:-}" ]; then
    [ -s "$work/tokens/$login" ] || sign_in "$login"
    TOKEN[$login]=$(cat "$work/tokens/$login")
    payload=$(cut -d. -f2 <<<"${TOKEN[$login]}" | tr '_-' '/+')
    while [ $((${#payload} % 4)) -ne 0 ]; do payload+='='; done
    CLAIMS[$login]=$(base64 -d <<<"$payload")
  fi
}

sign_in "${F[school_login]}" "${F[municipality_login]}"

# Draft submissions of the open campaign for the {drafts} actor: one per wrk connection or
# pgbench client, whichever are more (twice as many, so a connection always finds a free
# one) plus one for the sample response; each with up to 50 indicators and two values of
# each (its lowest and highest option).
drafts_file=$work/drafts.txt
make_drafts() {
  local most=$((WRK_CONNS > PG_CLIENTS ? WRK_CONNS : PG_CLIENTS)) login sub ver list
  local n=$((2 * most + 1))
  : >"$drafts_file"; : >"$drafts_file.logins"
  psql -X -At -v ON_ERROR_STOP=1 -v campaign="${F[open_campaign_id]}" -v n="$n" >"$work/drafts.sql.txt" <<'SQL'
select u.login, s.id, s.version,
       (select string_agg(format('%s:%s:%s:%s', x.id, o.lo, o.hi,
                                 coalesce((select a.version from app.answers a
                                           where a.submission_id = s.id and a.indicator_id = x.id), 0)),
                          ',' order by d.position, x.position)
        from (select x.* from app.indicators x join app.directions d0 on d0.id = x.direction_id
              where x.instrument_id = s.instrument_id order by d0.position, x.position limit 50) x
        join app.directions d on d.id = x.direction_id
        cross join lateral (select (array_agg(o.value order by o.points, o.position))[1] as lo,
                                   (array_agg(o.value order by o.points desc, o.position))[1] as hi
                            from app.indicator_options o where o.indicator_id = x.id) o)
from app.submissions s
join app.users u on u.school_id = s.school_id and u.role = 'school'
where s.campaign_id = :campaign and s.status in ('draft', 'returned')
order by s.id
limit :n
SQL
  # shellcheck disable=SC2046
  sign_in $(cut -d'|' -f1 "$work/drafts.sql.txt")
  while IFS='|' read -r login sub ver list; do
    token_of "$login"
    printf '%s %s %s %s\n' "${TOKEN[$login]}" "$sub" "$ver" "$list" >>"$drafts_file"
    printf '%s\n' "$login" >>"$drafts_file.logins"
  done <"$work/drafts.sql.txt"
  [ "$(wc -l <"$drafts_file")" -ge $((most + 1)) ] \
    || { say "fewer than $((most + 1)) drafts in campaign ${F[open_campaign_id]}"; exit 1; }
}

fill() {  # replaces {key} with fixture values
  local s=$1 k
  for k in "${!F[@]}"; do s=${s//\{$k\}/${F[$k]}}; done
  printf '%s' "$s"
}

# --- the static nginx -------------------------------------------------------------------
static_user="nobody nogroup"
runuser -u nobody -- test -x "$work/static/files" 2>/dev/null || static_user="root root"
cat >"$work/static/nginx.conf" <<CONF
user $static_user;
worker_processes 2;
pid $work/static/nginx.pid;
error_log $work/static/error.log warn;
events { worker_connections 1024; }
http {
    include /etc/nginx/mime.types;
    access_log $work/static/access.log;
    client_body_temp_path $work/static/temp/client;
    proxy_temp_path $work/static/temp/proxy;
    fastcgi_temp_path $work/static/temp/fastcgi;
    uwsgi_temp_path $work/static/temp/uwsgi;
    scgi_temp_path $work/static/temp/scgi;
    server_tokens off;
    sendfile on;
    keepalive_timeout 65;
    server {
        listen 127.0.0.1:$static_port;
        root $work/static/files;
        add_header Cache-Control no-store;
    }
}
CONF
nicely nginx -p "$work/static" -c "$work/static/nginx.conf" -e "$work/static/error.log"

# --- measuring --------------------------------------------------------------------------
run_wrk() {  # url → JSON line from wrk.lua's done()
  nicely wrk -t "$BENCH_THREADS" -c "$WRK_CONNS" -d "${BENCH_SECONDS}s" --timeout 10s \
    -s "$root/scripts/bench/wrk.lua" "$1" | grep '^{'
}

# The opening statements of the request transaction. The API's (backend/src/db.c): the account
# check of the token's user and epoch, its claims as settings, the request id and the database
# role of its role (anonymous: request id and orientir_anon); the job's minimal one: the
# settings and the role only, what a conventional gateway sends. :sub … :role are the token's,
# per client (client_vars).
SQL_API_OPENING="SELECT app.session_check(:sub::bigint, :ep::int),
       set_config('request.sub', :sub, true), set_config('request.role', :role_name, true),
       set_config('request.reg', :reg, true), set_config('request.mun', :mun, true),
       set_config('request.sch', :sch, true), set_config('request.id', 'bench-pgbench', true),
       set_config('role', :role, true);"
SQL_ANON_OPENING="SELECT set_config('request.id', 'bench-pgbench', true), set_config('role', 'orientir_anon', true);"
SQL_MINIMAL_OPENING="SELECT set_config('request.sub', :sub, true), set_config('request.role', :role_name, true),
       set_config('request.reg', :reg, true), set_config('request.mun', :mun, true),
       set_config('request.sch', :sch, true), set_config('role', :role, true);"

# The -D variables of pgbench client i, all in one place: the fixtures (F); the caller's
# claims from the access token's payload (PG_CLAIMS[i], empty for anon) as the API passes
# them: sub, ep (the token epoch), role_name (committee|loiro|municipality|school), reg, mun,
# sch (decimal ids) and role (its database role, orientir_<role>); and the scenario's own
# per-client values (PG_EXTRA[i], lines key=value). Sets PGVARS. pgbench refuses an empty
# -D value: an id claim that is null (the API passes '') is left out here and written as ''
# into the scenario's scripts instead (null_claims, pgbench_script) — the clients of a
# scenario act in one role, so the same claims are null for all of them.
declare -A CLAIM_VARS
client_vars() {  # client index → PGVARS
  local i=$1 claims=${PG_CLAIMS[$1]:-} k kv
  PGVARS=()
  for k in "${!F[@]}"; do [ -z "${F[$k]}" ] || PGVARS+=(-D "$k=${F[$k]}"); done
  if [ -n "$claims" ]; then
    [ -n "${CLAIM_VARS[$claims]:-}" ] || CLAIM_VARS[$claims]=$(jq -r '
      "sub=\(.sub)", "ep=\(.ep)", "role_name=\(.role)",
      (("reg", "mun", "sch") as $k | select(.[$k] != null) | "\($k)=\(.[$k])"),
      "role=orientir_\(.role)"' <<<"$claims")
    while IFS= read -r kv; do PGVARS+=(-D "$kv"); done <<<"${CLAIM_VARS[$claims]}"
  fi
  if [ -n "${PG_EXTRA[$i]:-}" ]; then
    while IFS= read -r kv; do PGVARS+=(-D "$kv"); done <<<"${PG_EXTRA[$i]}"
  fi
}

null_claims() {  # payload → the id claims it leaves null, of reg mun sch (none for anon)
  [ -z "$1" ] || jq -r '[("reg", "mun", "sch") as $k | select(.[$k] == null) | $k] | join(" ")' <<<"$1"
}

# pgbench: one process per client (-c 1), so that each client can carry its own variables
# (the {drafts} scenario: its own submission and school), PG_CLIENTS of them. TPS summed;
# p50/p99 from the per-transaction logs of all clients.
run_pgbench() {  # name kind script → JSON
  local name=$1 kind=$2 script=$3 i pids=() dir=$work/pgbench/$1.$2
  mkdir -p "$dir"
  for i in $(seq 0 $((PG_CLIENTS - 1))); do
    client_vars "$i"
    (cd "$dir" && nicely pgbench -n -M extended -c 1 -j 1 -T "$BENCH_SECONDS" -U orientir_api -l \
       --log-prefix="$dir/log" "${PGVARS[@]}" -f "$script" orientir >"$dir/out.$i" 2>&1) &
    pids+=($!)
  done
  local failed=0
  for i in "${pids[@]}"; do wait "$i" || failed=$((failed + 1)); done
  local tps aborted
  tps=$({ grep -h 'without initial connection time' "$dir"/out.* || true; } | sed 's/.*tps = \([0-9.]*\).*/\1/' \
        | awk '{s += $1} END {printf "%.1f", s}')
  aborted=$(grep -hc 'aborted' "$dir"/out.* | awk '{s += $1} END {print s + 0}')
  [ "$failed" -eq 0 ] || say "$name ($kind): $failed pgbench client(s) failed; see $dir/out.*"
  { cat "$dir"/log.* 2>/dev/null || true; } | awk '{print $3}' | sort -n | awk -v tps="$tps" -v aborted="$aborted" '
    {v[NR] = $1} END {
      p50 = NR ? v[int(NR * 0.50 + 0.5) > 0 ? int(NR * 0.50 + 0.5) : 1] : 0
      p99 = NR ? v[int(NR * 0.99 + 0.5) > 0 ? int(NR * 0.99 + 0.5) : 1] : 0
      printf "{\"transactions\": %d, \"tps\": %s, \"p50_ms\": %.3f, \"p99_ms\": %.3f, \"aborted_clients\": %d}\n",
             NR, tps == "" ? 0 : tps, p50 / 1000, p99 / 1000, aborted }'
}

# The pgbench script of a scenario, of one kind:
#   api      the transaction the API sends (db_call): all of it in one pipeline, one round
#            trip: BEGIN; the opening (SQL_API_OPENING, or SQL_ANON_OPENING for anon); the
#            call; COMMIT. Several statements are db_call_steps' (the XLSX export): BEGIN
#            and the opening in one pipeline, then each statement and COMMIT a round trip.
#   minimal  the job's minimal transaction, no pipeline: BEGIN; SQL_MINIMAL_OPENING; the
#            call(s); COMMIT — four round trips for one call. Signed-in scenarios only.
# sql is the call or @file (scripts/bench/): its meta-commands (\set …) go before the
# transaction, its other lines (comments aside) are the call(s), each ending with ";" at
# the end of a line. A file with a BEGIN of its own is a complete script (login.sql): the
# api kind as it is, no minimal kind. nulls: the id claims null for the scenario's clients
# (null_claims), written as ''. Prints the script's path, or nothing when the kind does not
# apply. (-M extended: the API prepares its opening once per connection, pgbench sends it
# unnamed each time, as both send the call.)
pgbench_script() {  # sql name kind anon(0|1) nulls → path of the script
  local sql=$1 name=$2 kind=$3 anon=$4 nulls=$5 file meta="" calls out=$work/pgbench/$2.$3.sql opening n
  local minimal=$SQL_MINIMAL_OPENING
  if [ "${sql:0:1}" = @ ]; then
    file=$root/scripts/bench/${sql:1}
    if grep -qix 'BEGIN;' "$file"; then
      [ "$kind" != api ] || printf '%s' "$file"
      return
    fi
    meta=$(grep '^[\]' "$file" || true)
    calls=$(grep -v -e '^[\]' -e '^[[:space:]]*--' -e '^[[:space:]]*$' "$file")
  else
    calls="$sql;"
  fi
  opening=$SQL_API_OPENING; [ "$anon" = 0 ] || opening=$SQL_ANON_OPENING
  for n in $nulls; do opening=${opening//":$n,"/"'',"}; minimal=${minimal//":$n,"/"'',"}; done
  case $kind/$anon in
    api/*)
      if [ "$(grep -c ';[[:space:]]*$' <<<"$calls")" -le 1 ]; then
        printf '%s\n' "-- pgbench: $name, the transaction the API sends (backend/src/db.c db_call): one pipeline" \
          "$meta" '\startpipeline' 'BEGIN;' "$opening" "$calls" 'COMMIT;' '\endpipeline'
      else
        printf '%s\n' "-- pgbench: $name, the transaction the API sends (backend/src/db.c db_call_steps):" \
          "-- the opening in one pipeline, then a round trip per statement" \
          "$meta" '\startpipeline' 'BEGIN;' "$opening" '\endpipeline' "$calls" 'COMMIT;'
      fi ;;
    minimal/0) printf '%s\n' "-- pgbench: $name, the job's minimal transaction, a round trip per statement" \
                 "$meta" 'BEGIN;' "$minimal" "$calls" 'COMMIT;' ;;
    *) return ;;
  esac >"$out"
  printf '%s' "$out"
}

rss_kb() {  # the largest peak of the instances
  local p; for p in "${api_pids[@]}"; do awk '/^VmHWM:/ {print $2}' "/proc/$p/status"; done | sort -n | tail -n 1
}
# Waits (up to 5 s) until the API instances use no CPU over 200 ms: the previous scenario's
# last requests (a sign-in's PBKDF2 takes ~0.3 s) must not be counted in this one's latency.
api_cpu() { local p; for p in "${api_pids[@]}"; do cat "/proc/$p/stat"; done | awk '{s += $14 + $15} END {print s}'; }
settle() {
  local before after i
  for i in $(seq 25); do
    before=$(api_cpu); sleep 0.2; after=$(api_cpu)
    [ "$before" != "$after" ] || return 0
  done
  say "the API was still busy after 5 s"
}
median() { sort -n | awk '{v[NR] = $1} END {printf "%.1f", NR ? v[int((NR + 1) / 2)] * 1000 : 0}'; }  # s → ms

# A scenario is skipped when a fixture it names ({key} in actor, path or body) is empty.
missing_fixture() {  # actor path body → the first empty fixture's name, or nothing
  local k
  for k in "${!F[@]}"; do
    if [ -z "${F[$k]}" ] && [[ "$1 $2 $3" == *"{$k}"* || "$1" == "{${k%_login}}" ]]; then
      printf '%s' "$k"; return
    fi
  done
}

results=()
load_before=$(cut -d' ' -f1-3 /proc/loadavg)
while IFS='|' read -r name actor method path body sql conns; do
  name=$(xargs <<<"$name"); [ -n "$name" ] || continue
  if [ -n "${BENCH_SCENARIOS:-}" ] && [[ ",$BENCH_SCENARIOS," != *",$name,"* ]]; then continue; fi
  conns=$(xargs <<<"${conns:-}")
  WRK_CONNS=${conns:-$BENCH_CONNECTIONS}      # wrk's connections
  PG_CLIENTS=${conns:-$api_db_connections}    # pgbench's clients
  actor=$(xargs <<<"$actor"); method=$(xargs <<<"$method"); path=$(xargs <<<"$path")
  body=$(sed 's/^ *//; s/ *$//' <<<"$body"); sql=$(sed 's/^ *//; s/ *$//' <<<"$sql")
  gap=$(missing_fixture "$actor" "$path" "$body")
  if [ -n "$gap" ]; then say "$name: skipped (no $gap in the $BENCH_DATA data)"; continue; fi
  say "$name: $method $path"
  path=$(fill "$path"); body=$(fill "$body")
  # the static file: the bytes of one real response, with its extension (its Content-Type)
  ext=json; [[ "$path" =~ \.(xlsx|csv)(\?|$) ]] && ext=${BASH_REMATCH[1]}
  sample=$work/static/files/$name.$ext
  settle
  for p in "${api_pids[@]}"; do echo 5 >"/proc/$p/clear_refs"; done   # reset VmHWM: this scenario's peak
  unset PG_CLAIMS PG_EXTRA; declare -a PG_CLAIMS PG_EXTRA   # per pgbench client (client_vars)
  items=""
  token=""
  anon=0; [ "$actor" != anon ] || anon=1
  if [ "$actor" = "{drafts}" ]; then
    make_drafts
    # The sample response comes from the last draft; wrk and pgbench use the others.
    IFS=' ' read -r t sub ver list < <(tail -n 1 "$drafts_file")
    first=${list%%,*}; ind=${first%%:*}; val=$(cut -d: -f3 <<<"$first")
    sample_path=${path//\{submission_id\}/$sub}; sample_path=${sample_path//\{indicator_id\}/$ind}
    sample_body=${body//\{value\}/$val}
    single=$(curl -fsS -o "$sample" -w '%{time_total}\n' -X "$method" -H "Authorization: Bearer $t" \
      -H 'Content-Type: application/json' -d "$sample_body" "$url$sample_path" | median)
    head -n -1 "$drafts_file" >"$work/items.txt"
    items=$work/items.txt
    i=0
    while IFS=' ' read -r t sub ver list && [ "$i" -lt "$PG_CLIENTS" ]; do
      login=$(sed -n "$((i + 1))p" "$drafts_file.logins")
      PG_CLAIMS[i]=${CLAIMS[$login]}
      inds=$(tr ',' '\n' <<<"$list" | cut -d: -f1 | paste -sd,)
      va=$(tr ',' '\n' <<<"$list" | cut -d: -f2 | paste -sd,)
      vb=$(tr ',' '\n' <<<"$list" | cut -d: -f3 | paste -sd,)
      PG_EXTRA[i]=$(printf 'submission_id=%s\nindicators={%s}\nvalues_a={%s}\nvalues_b={%s}\nn=%s' \
                       "$sub" "$inds" "$va" "$vb" "$(tr ',' '\n' <<<"$list" | wc -l)")
      i=$((i + 1))
    done <"$work/items.txt"
  else
    claims=""
    if [ "$anon" = 0 ]; then
      key=${actor#\{}; key=${key%\}}; login=${F[${key}_login]:-}
      [ -n "$login" ] || { say "$name: no fixture ${key}_login"; exit 1; }
      token_of "$login"; token=${TOKEN[$login]}; claims=${CLAIMS[$login]}
    fi
    for i in $(seq 0 $((PG_CLIENTS - 1))); do PG_CLAIMS[i]=$claims; done
    single=$(for i in $(seq "$BENCH_SINGLE"); do
               curl -fsS -o "$sample" -w '%{time_total}\n' -X "$method" ${token:+-H "Authorization: Bearer $token"} \
                 ${body:+-H 'Content-Type: application/json' -d "$body"} "$url$path"
             done | median)
  fi
  bytes=$(stat -c %s "$sample")

  api=$(BENCH_METHOD=$method BENCH_PATH=$path BENCH_BODY=$body BENCH_TOKEN=$token BENCH_ITEMS=$items \
        BENCH_THREADS=$BENCH_THREADS run_wrk "$url$path")
  rss=$(rss_kb)
  static=$(run_wrk "http://127.0.0.1:$static_port/${sample##*/}")
  nulls=$(null_claims "${PG_CLAIMS[0]:-}")
  pgb=$(run_pgbench "$name" api "$(pgbench_script "$sql" "$name" api "$anon" "$nulls")")
  script=$(pgbench_script "$sql" "$name" minimal "$anon" "$nulls")
  minimal=null
  [ -z "$script" ] || minimal=$(run_pgbench "$name" minimal "$script")
  results+=("$(jq -nc --arg name "$name" --arg method "$method" --arg path "$path" --argjson bytes "$bytes" \
    --argjson connections "$WRK_CONNS" --argjson clients "$PG_CLIENTS" \
    --argjson api "$api" --argjson rss "$rss" --argjson single "$single" --argjson static "$static" \
    --argjson pgbench "$pgb" --argjson minimal "$minimal" '
    {name: $name, method: $method, path: $path, response_bytes: $bytes, connections: $connections,
     pgbench_clients: $clients,
     api: ($api + {single_ms: $single, peak_rss_mb: ($rss / 1024 | . * 10 | round / 10)}), static: $static,
     pgbench: $pgbench, minimal: $minimal,
     api_to_pgbench: (if $pgbench.tps > 0 then ($api.rps / $pgbench.tps * 100 | round / 100) else null end),
     api_to_minimal: (if $minimal.tps > 0 then ($api.rps / $minimal.tps * 100 | round / 100) else null end),
     api_to_static: (if $static.rps > 0 then ($api.rps / $static.rps * 1000 | round / 1000) else null end)}')")
done <<<"$SCENARIOS"
load_after=$(cut -d' ' -f1-3 /proc/loadavg)
schools=$(psql -X -At -c 'select count(*) from app.schools')
answers=$(psql -X -At -c "select reltuples::bigint from pg_class where oid = 'app.answers'::regclass")

# --- the baseline: the report scenarios at BENCH_BASELINE (see the top) -----------------
run_baseline() {  # scenarios (a,b) → the path of the baseline's JSON; its stdout in $work/baseline.out
  local names=$1 dir=$root/var/bench-baseline/$base_short json
  if [ ! -e "$dir/.git" ]; then
    mkdir -p "$root/var/bench-baseline"
    git -C "$root" worktree prune   # a registration left by a removed var/
    git -C "$root" worktree add --detach "$dir" "$base_commit" >&2 || return 1
  fi
  say "baseline $base_short: building $dir/backend"
  make -s -C "$dir/backend" all >&2 || return 1
  say "baseline $base_short: $names with its own scripts/bench.sh on port $((BENCH_PORT + 10))"
  env -u BENCH_BASELINE BENCH_DATA="$BENCH_DATA" BENCH_SECONDS="$BENCH_SECONDS" \
      BENCH_CONNECTIONS="$BENCH_CONNECTIONS" ORIENTIR_WORKERS="$api_workers" BENCH_THREADS="$BENCH_THREADS" \
      BENCH_PORT=$((BENCH_PORT + 10)) BENCH_VAR="$dir/var/bench-stack/$BENCH_DATA" \
      BENCH_REGION="$BENCH_REGION" BENCH_BIG_REGION="$BENCH_BIG_REGION" BENCH_SINGLE="$BENCH_SINGLE" \
      BENCH_NICE="$BENCH_NICE" BENCH_PASSWORD="$BENCH_PASSWORD" BENCH_KEEP=0 BENCH_SCENARIOS="$names" \
      "$dir/scripts/bench.sh" >"$work/baseline.out" || return 1
  json=$(sed -n 's/^bench: results in //p' "$work/baseline.out" | tail -n 1)
  [ -n "$json" ] && [ -f "$dir/$json" ] || return 1
  printf '%s' "$dir/$json"
}
baseline=null base_json=""
if [ -n "$base_commit" ]; then
  base_short=$(git -C "$root" rev-parse --short=12 "$base_commit")
  base_names=$(printf '%s\n' "${results[@]}" | jq -r .name | grep -Fx -f <(tr ',' '\n' <<<"$REPORT_SCENARIOS") \
               | paste -sd, || true)
  if [ -z "$base_names" ]; then
    say "baseline: no report scenario ($REPORT_SCENARIOS) measured in this run; skipped"
  else
    cleanup; trap - EXIT   # this run's stack is done: the baseline runs alone
    if base_json=$(run_baseline "$base_names"); then
      baseline=$(jq -c --arg commit "$base_short" --arg results "${base_json#"$root"/}" \
                   --slurpfile now <(printf '%s\n' "${results[@]}") '
        {commit: $commit, results: $results, scenarios: [.scenarios[] as $b | $now[] | select(.name == $b.name) |
          {name, single_ms: {baseline: $b.api.single_ms, now: .api.single_ms},
           rps: {baseline: $b.api.rps, now: .api.rps},
           rps_ratio: (if $b.api.rps > 0 then (.api.rps / $b.api.rps * 100 | round / 100) else null end)}]}' "$base_json")
    else
      say "baseline $base_short failed; see $work/baseline.out and the messages above"
      base_json=""
      baseline=$(jq -nc --arg commit "$base_short" '{commit: $commit, error: "failed"}')
    fi
  fi
fi

# --- report -----------------------------------------------------------------------------
stamp=$(date -u +%Y%m%dT%H%M%SZ)
out=$root/var/bench/$stamp.json
printf '%s\n' "${results[@]}" | jq -s \
  --arg at "$(date -Iseconds)" --arg data "$BENCH_DATA" --arg region "$BENCH_REGION" \
  --argjson seconds "$BENCH_SECONDS" --argjson connections "$BENCH_CONNECTIONS" \
  --argjson api_db_connections "$api_db_connections" --argjson api_workers "$api_workers" \
  --argjson api_instances "$api_instances" \
  --argjson threads "$BENCH_THREADS" --arg commit "$(git -C "$root" rev-parse --short HEAD 2>/dev/null || echo unknown)" \
  --arg load_before "$load_before" --arg load_after "$load_after" \
  --argjson cores "$(nproc)" --argjson fixtures "$(for k in "${!F[@]}"; do [ "$k" = password ] || jq -nc --arg k "$k" --arg v "${F[$k]}" '{($k): $v}'; done | jq -sc add)" \
  --argjson schools "$schools" --argjson answers "$answers" --argjson baseline "$baseline" '
  {at: $at, data: $data, region: $region, seconds: $seconds, connections: $connections, threads: $threads,
   api_db_connections: $api_db_connections, api_workers: $api_workers, api_instances: $api_instances,
   pgbench_clients: $api_db_connections,
   commit: $commit, cores: $cores, loadavg_before: $load_before, loadavg_after: $load_after,
   database: {schools: $schools, answers_estimate: $answers}, fixtures: $fixtures, scenarios: .}
  + (if $baseline != null then {baseline: $baseline} else {} end)' >"$out"

table() {  # a bench JSON → the table (an older baseline's JSON lacks some columns: "-")
  jq -r '
    ["scenario", "conn", "pg cl", "1 req ms", "API req/s", "p50 ms", "p99 ms", "RSS MB", "static req/s", "p50", "p99",
     "pgbench tps", "p50", "p99", "minimal tps", "p50", "API/pgbench", "API/minimal", "API/static", "bytes"],
    (.scenarios[] | [.name, .connections, (.pgbench_clients // .connections), .api.single_ms, .api.rps, .api.p50_ms,
     .api.p99_ms, .api.peak_rss_mb, .static.rps, .static.p50_ms, .static.p99_ms, .pgbench.tps, .pgbench.p50_ms,
     .pgbench.p99_ms, .minimal.tps, .minimal.p50_ms, .api_to_pgbench, .api_to_minimal, .api_to_static,
     .response_bytes] | map(. // "-")) | @tsv' "$1" | column -t -s $'\t'
}
echo "bench: API $api_db_connections database connections ($api_workers workers × $api_instances instance(s))," \
     "pgbench $api_db_connections clients, wrk $BENCH_CONNECTIONS connections (conn / pg cl: a scenario's own count)"
table "$out"
jq -r '.scenarios[] | select(.api.errors.status + .api.errors.timeout + .api.errors.connect
                             + .pgbench.aborted_clients + (.minimal.aborted_clients // 0) > 0)
  | "bench: \(.name): errors \(.api.errors) pgbench aborted clients \(.pgbench.aborted_clients)"
    + (if .minimal then ", minimal \(.minimal.aborted_clients)" else "" end)' "$out" >&2
echo "bench: data $BENCH_DATA (region $BENCH_REGION), ${BENCH_SECONDS}s each, $BENCH_THREADS wrk threads; load $load_before → $load_after"
echo "bench: results in ${out#"$root"/}"
if [ -n "$base_json" ]; then
  echo
  echo "bench: baseline $base_short (${base_json#"$root"/}):"
  grep -v '^bench: results in ' "$work/baseline.out" || true
  echo
  jq -r '.baseline.scenarios[] | "bench: \(.name): baseline \(.single_ms.baseline) ms / now \(.single_ms.now) ms (single request);"
    + " req/s baseline \(.rps.baseline) / now \(.rps.now) = \(.rps_ratio // "-")× the baseline"' "$out"
fi

#!/usr/bin/env bash
# `make bench`: starts its own stack (var/bench-stack/<data set>, port $BENCH_PORT) with the
# Russia-scale data set (scripts/bigdata.sh) or, with BENCH_DATA=demo, the demo data only,
# and measures each scenario three ways in the same run, one after the other:
#   api      wrk through nginx to the API (from a second process), the API's peak RSS
#            (VmHWM of /proc/<api pid>/status, reset before the scenario);
#   static   wrk against a second nginx serving a file of the scenario's response (the
#            bytes of a real response, so the same size);
#   pgbench  PostgreSQL running the handler's SQL directly, the same transaction as the API
#            sends it (BEGIN, claims, request id and role, the active check, the call,
#            COMMIT), with as many clients as wrk has connections.
# It prints a table and writes var/bench/<timestamp>.json. Not part of `make test`.
#
# Settings (environment):
#   BENCH_DATA=big|demo       data set (default big; loaded once per stack, kept between runs)
#   BENCH_SECONDS=10          duration of each measurement
#   BENCH_CONNECTIONS=16      wrk connections = pgbench clients (the API has 16 workers)
#   BENCH_THREADS=2           wrk threads (2 cores)
#   BENCH_PORT=18090          the bench stack's nginx (static nginx: BENCH_PORT + 1)
#   BENCH_REGION              region whose users the scenarios act as (big: ru-47, demo: 47)
#   BENCH_BIG_REGION=ru-99    the oversized region of summary-big (big data only)
#   BENCH_SINGLE=3            requests sent one at a time before wrk (median: "1 req ms")
#   BENCH_SCENARIOS=a,b       run only these scenarios
#   BENCH_VAR                 the stack's state directory (default var/bench-stack/<data>)
#   BENCH_KEEP=1              leave the stack running afterwards
#   BENCH_NICE=N              run the stack and the load generators under nice -n N
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

# The scenarios, one line each:  name | actor | method | path | body | sql [| connections]
#   actor  whose token the request carries: {school}, {municipality}, {committee} (users of
#          BENCH_REGION, see fixtures below), anon (none), or {drafts}: one draft submission
#          per connection, saved into with If-Match (scripts/bench/wrk.lua, BENCH_ITEMS).
#   path, body: {key} is replaced by the fixture of that name (fixtures below).
#   sql    the SQL call the route's handler makes, for pgbench (:key = the fixture as a bind
#          parameter, as the API binds $n), wrapped in the request transaction; or @file for
#          a complete pgbench script in scripts/bench/.
#   connections  optional: wrk connections and pgbench clients for this scenario (default
#          BENCH_CONNECTIONS). Sign-in uses 2, one per core: each is a CPU-bound PBKDF2 of
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
stack api-restart   # a fresh API process: its peak RSS is this run's
eval "$(stack env)"
export PGHOST PGUSER PGDATABASE
if [ "$BENCH_DATA" = big ]; then
  ORIENTIR_VAR=$BENCH_VAR API_BIN=$BENCH_VAR/orientir-api BIGDATA_PASSWORD=$BENCH_PASSWORD \
    "$root/scripts/bigdata.sh" >&2
fi
api_pid=$(cat "$BENCH_VAR/run/api.pid")
url=http://127.0.0.1:$BENCH_PORT
static_port=$((BENCH_PORT + 1))

cleanup() {
  [ -f "$work/static/nginx.pid" ] && nginx -p "$work/static" -c "$work/static/nginx.conf" -s quit 2>/dev/null || true
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

# Draft submissions of the open campaign for the {drafts} actor: one per connection (twice
# as many, so a connection always finds a free one) plus one for the sample response; each
# with up to 50 indicators and two values of each (its lowest and highest option).
drafts_file=$work/drafts.txt
make_drafts() {
  local n=$((2 * BENCH_CONNECTIONS + 1)) login sub ver list
  : >"$drafts_file"; : >"$drafts_file.logins"
  psql -X -At -v ON_ERROR_STOP=1 -v campaign="${F[open_campaign_id]}" -v n="$n" >"$work/drafts.sql.txt" <<'SQL'
select u.login, s.id, s.version,
       (select string_agg(format('%s:%s:%s', x.id, o.lo, o.hi), ',' order by d.position, x.position)
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
  [ "$(wc -l <"$drafts_file")" -ge $((BENCH_CONNECTIONS + 1)) ] \
    || { say "fewer than $((BENCH_CONNECTIONS + 1)) drafts in campaign ${F[open_campaign_id]}"; exit 1; }
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
  nicely wrk -t "$BENCH_THREADS" -c "$BENCH_CONNECTIONS" -d "${BENCH_SECONDS}s" --timeout 10s \
    -s "$root/scripts/bench/wrk.lua" "$1" | grep '^{'
}

# pgbench: one process per client (-c 1), so that each client can carry its own variables
# (the {drafts} scenario: its own submission and school). TPS summed; p50/p99 from the
# per-transaction logs of all clients.
run_pgbench() {  # name script → JSON
  local name=$1 script=$2 i vars pids=() dir=$work/pgbench/$1
  mkdir -p "$dir"
  for i in $(seq 0 $((BENCH_CONNECTIONS - 1))); do
    vars=()
    for k in "${!F[@]}"; do [ -z "${F[$k]}" ] || vars+=(-D "$k=${F[$k]}"); done
    vars+=(-D "claims=${PG_CLAIMS[$i]}" -D "role=${PG_ROLE[$i]}")
    if [ -n "${PG_EXTRA[$i]:-}" ]; then
      while IFS= read -r kv; do vars+=(-D "$kv"); done <<<"${PG_EXTRA[$i]}"
    fi
    (cd "$dir" && nicely pgbench -n -M extended -c 1 -j 1 -T "$BENCH_SECONDS" -U orientir_api -l \
       --log-prefix="$dir/log" "${vars[@]}" -f "$script" orientir >"$dir/out.$i" 2>&1) &
    pids+=($!)
  done
  local failed=0
  for i in "${pids[@]}"; do wait "$i" || failed=$((failed + 1)); done
  local tps aborted
  tps=$(grep -h 'without initial connection time' "$dir"/out.* | sed 's/.*tps = \([0-9.]*\).*/\1/' \
        | awk '{s += $1} END {printf "%.1f", s}')
  aborted=$(grep -hc 'aborted' "$dir"/out.* | awk '{s += $1} END {print s + 0}')
  [ "$failed" -eq 0 ] || say "$name: $failed pgbench client(s) failed; see $dir/out.*"
  cat "$dir"/log.* | awk '{print $3}' | sort -n | awk -v tps="$tps" -v aborted="$aborted" '
    {v[NR] = $1} END {
      p50 = NR ? v[int(NR * 0.50 + 0.5) > 0 ? int(NR * 0.50 + 0.5) : 1] : 0
      p99 = NR ? v[int(NR * 0.99 + 0.5) > 0 ? int(NR * 0.99 + 0.5) : 1] : 0
      printf "{\"transactions\": %d, \"tps\": %s, \"p50_ms\": %.3f, \"p99_ms\": %.3f, \"aborted_clients\": %d}\n",
             NR, tps == "" ? 0 : tps, p50 / 1000, p99 / 1000, aborted }'
}

pgbench_script() {  # sql name → path of the script
  local sql=$1 name=$2
  if [ "${sql:0:1}" = @ ]; then printf '%s' "$root/scripts/bench/${sql:1}"; return; fi
  cat >"$work/pgbench/$name.sql" <<SQL
-- pgbench: $name, the transaction the API sends (backend/src/db.c): the opening in one
-- pipelined round trip, the handler's call, COMMIT.
\\startpipeline
BEGIN;
SELECT set_config('request.claims', :claims, true), set_config('request.id', 'bench-pgbench', true),
       set_config('role', :role, true);
SELECT app.current_user_is_active();
\\endpipeline
$sql;
COMMIT;
SQL
  printf '%s' "$work/pgbench/$name.sql"
}

rss_kb() { awk '/^VmHWM:/ {print $2}' "/proc/$api_pid/status"; }
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
default_connections=$BENCH_CONNECTIONS
load_before=$(cut -d' ' -f1-3 /proc/loadavg)
while IFS='|' read -r name actor method path body sql conns; do
  name=$(xargs <<<"$name"); [ -n "$name" ] || continue
  conns=$(xargs <<<"${conns:-}"); BENCH_CONNECTIONS=${conns:-$default_connections}
  if [ -n "${BENCH_SCENARIOS:-}" ] && [[ ",$BENCH_SCENARIOS," != *",$name,"* ]]; then continue; fi
  actor=$(xargs <<<"$actor"); method=$(xargs <<<"$method"); path=$(xargs <<<"$path")
  body=$(sed 's/^ *//; s/ *$//' <<<"$body"); sql=$(sed 's/^ *//; s/ *$//' <<<"$sql")
  gap=$(missing_fixture "$actor" "$path" "$body")
  if [ -n "$gap" ]; then say "$name: skipped (no $gap in the $BENCH_DATA data)"; continue; fi
  say "$name: $method $path"
  path=$(fill "$path"); body=$(fill "$body")
  # the static file: the bytes of one real response, with its extension (its Content-Type)
  ext=json; [[ "$path" =~ \.(xlsx|csv)(\?|$) ]] && ext=${BASH_REMATCH[1]}
  sample=$work/static/files/$name.$ext
  echo 5 >"/proc/$api_pid/clear_refs"   # reset VmHWM: the peak of this scenario only
  unset PG_CLAIMS PG_ROLE PG_EXTRA; declare -a PG_CLAIMS PG_ROLE PG_EXTRA
  items=""
  token=""
  if [ "$actor" = "{drafts}" ]; then
    make_drafts
    # The sample response comes from the last draft; wrk and pgbench use the others.
    IFS=' ' read -r t sub ver list < <(tail -n 1 "$drafts_file")
    first=${list%%,*}; ind=${first%%:*}; val=${first##*:}
    sample_path=${path//\{submission_id\}/$sub}; sample_path=${sample_path//\{indicator_id\}/$ind}
    sample_body=${body//\{value\}/$val}
    single=$(curl -fsS -o "$sample" -w '%{time_total}\n' -X "$method" -H "Authorization: Bearer $t" \
      -H 'Content-Type: application/json' -d "$sample_body" "$url$sample_path" | median)
    head -n -1 "$drafts_file" >"$work/items.txt"
    items=$work/items.txt
    i=0
    while IFS=' ' read -r t sub ver list && [ "$i" -lt "$BENCH_CONNECTIONS" ]; do
      login=$(sed -n "$((i + 1))p" "$drafts_file.logins")
      PG_CLAIMS[$i]=${CLAIMS[$login]}; PG_ROLE[$i]=orientir_school
      inds=$(tr ',' '\n' <<<"$list" | cut -d: -f1 | paste -sd,)
      va=$(tr ',' '\n' <<<"$list" | cut -d: -f2 | paste -sd,)
      vb=$(tr ',' '\n' <<<"$list" | cut -d: -f3 | paste -sd,)
      PG_EXTRA[$i]=$(printf 'submission_id=%s\nindicators={%s}\nvalues_a={%s}\nvalues_b={%s}\nn=%s' \
                       "$sub" "$inds" "$va" "$vb" "$(tr ',' '\n' <<<"$list" | wc -l)")
      i=$((i + 1))
    done <"$work/items.txt"
  else
    claims='{}' role=orientir_anon
    if [ "$actor" != anon ]; then
      key=${actor#\{}; key=${key%\}}; login=${F[${key}_login]:-}
      [ -n "$login" ] || { say "$name: no fixture ${key}_login"; exit 1; }
      token_of "$login"; token=${TOKEN[$login]}; claims=${CLAIMS[$login]}
      role=orientir_$(jq -r .role <<<"$claims")
    fi
    for i in $(seq 0 $((BENCH_CONNECTIONS - 1))); do PG_CLAIMS[$i]=$claims; PG_ROLE[$i]=$role; done
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
  pgb=$(run_pgbench "$name" "$(pgbench_script "$sql" "$name")")
  results+=("$(jq -nc --arg name "$name" --arg method "$method" --arg path "$path" --argjson bytes "$bytes" \
    --argjson connections "$BENCH_CONNECTIONS" \
    --argjson api "$api" --argjson rss "$rss" --argjson single "$single" --argjson static "$static" --argjson pgbench "$pgb" '
    {name: $name, method: $method, path: $path, response_bytes: $bytes, connections: $connections,
     api: ($api + {single_ms: $single, peak_rss_mb: ($rss / 1024 | . * 10 | round / 10)}), static: $static, pgbench: $pgbench,
     api_to_pgbench: (if $pgbench.tps > 0 then ($api.rps / $pgbench.tps * 100 | round / 100) else null end),
     api_to_static: (if $static.rps > 0 then ($api.rps / $static.rps * 1000 | round / 1000) else null end)}')")
done <<<"$SCENARIOS"
BENCH_CONNECTIONS=$default_connections

# --- report -----------------------------------------------------------------------------
stamp=$(date -u +%Y%m%dT%H%M%SZ)
out=$root/var/bench/$stamp.json
printf '%s\n' "${results[@]}" | jq -s \
  --arg at "$(date -Iseconds)" --arg data "$BENCH_DATA" --arg region "$BENCH_REGION" \
  --argjson seconds "$BENCH_SECONDS" --argjson connections "$BENCH_CONNECTIONS" \
  --argjson threads "$BENCH_THREADS" --arg commit "$(git -C "$root" rev-parse --short HEAD 2>/dev/null || echo unknown)" \
  --arg load_before "$load_before" --arg load_after "$(cut -d' ' -f1-3 /proc/loadavg)" \
  --argjson cores "$(nproc)" --argjson fixtures "$(for k in "${!F[@]}"; do [ "$k" = password ] || jq -nc --arg k "$k" --arg v "${F[$k]}" '{($k): $v}'; done | jq -sc add)" \
  --argjson schools "$(psql -X -At -c 'select count(*) from app.schools')" \
  --argjson answers "$(psql -X -At -c "select reltuples::bigint from pg_class where oid = 'app.answers'::regclass")" '
  {at: $at, data: $data, region: $region, seconds: $seconds, connections: $connections, threads: $threads,
   commit: $commit, cores: $cores, loadavg_before: $load_before, loadavg_after: $load_after,
   database: {schools: $schools, answers_estimate: $answers}, fixtures: $fixtures, scenarios: .}' >"$out"

jq -r '
  ["scenario", "conn", "1 req ms", "API req/s", "p50 ms", "p99 ms", "RSS MB", "static req/s", "p50", "p99",
   "pgbench tps", "p50", "p99", "API/pgbench", "API/static", "bytes"],
  (.scenarios[] | [.name, .connections, .api.single_ms, .api.rps, .api.p50_ms, .api.p99_ms, .api.peak_rss_mb, .static.rps, .static.p50_ms,
   .static.p99_ms, .pgbench.tps, .pgbench.p50_ms, .pgbench.p99_ms, .api_to_pgbench, .api_to_static,
   .response_bytes]) | @tsv' "$out" | column -t -s $'\t'
jq -r '.scenarios[] | select(.api.errors.status + .api.errors.timeout + .api.errors.connect + .pgbench.aborted_clients > 0)
  | "bench: \(.name): errors \(.api.errors) pgbench aborted clients \(.pgbench.aborted_clients)"' "$out" >&2
echo "bench: data $BENCH_DATA (region $BENCH_REGION), ${BENCH_SECONDS}s each, $BENCH_CONNECTIONS connections/clients, $BENCH_THREADS wrk threads; load $load_before → $(cut -d' ' -f1-3 /proc/loadavg)"
echo "bench: results in ${out#$root/}"

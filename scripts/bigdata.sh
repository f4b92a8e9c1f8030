#!/usr/bin/env bash
# Loads the Russia-scale data set (sql/bigdata/) into the stack's database, beside the
# demo data: 89 regions, ~2,000 municipalities, ~41,000 schools and an oversized region
# of 10,000 schools, with two closed campaigns answered in full (~10 million answers).
# Used by `make bigdata` (the stack of `make run`, var/) and `make bench` (its own stack).
#
#   scripts/bigdata.sh          load unless already loaded, then print the row counts
#   scripts/bigdata.sh counts   only print the row counts
#
# The stack must be up (scripts/stack.sh up); ORIENTIR_VAR chooses which one, as for
# stack.sh. Every user's password is $BIGDATA_PASSWORD (default: the demo password);
# one PBKDF2 hash is computed once. Heavy: it runs under nice.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
API_BIN=${API_BIN:-$root/backend/build/orientir-api}
BIGDATA_PASSWORD=${BIGDATA_PASSWORD:-${DEMO_PASSWORD:-orientir-demo}}
eval "$("$root/scripts/stack.sh" env)"
export PGHOST PGUSER PGDATABASE

say() { printf 'bigdata: %s\n' "$*"; }
psql_q() { psql -X -q -v ON_ERROR_STOP=1 "$@"; }

counts() {
  psql_q -P footer=off -c "
    with big as (select r.id from app.regions r where r.code ~ '^ru-[0-9]{2}\$')
    select 'regions' as rows, count(*) as n from big
    union all select 'municipalities', count(*) from app.municipalities m where m.region_id in (select id from big)
    union all select 'schools', count(*) from app.schools s join app.municipalities m on m.id = s.municipality_id
                                where m.region_id in (select id from big)
    union all select 'users', count(*) from app.users u
                                where u.login ~ '^(committee|loiro|mo|school)-ru-'
    union all select 'instruments', count(*) from app.instruments i where i.region_id in (select id from big)
    union all select 'indicators', count(*) from app.indicators x join app.instruments i on i.id = x.instrument_id
                                where i.region_id in (select id from big)
    union all select 'campaigns', count(*) from app.campaigns c where c.region_id in (select id from big)
    union all select 'campaign_schools', count(*) from app.campaign_schools cs join app.campaigns c on c.id = cs.campaign_id
                                where c.region_id in (select id from big)
    union all select 'submissions accepted', count(*) from app.submissions s join app.campaigns c on c.id = s.campaign_id
                                where c.region_id in (select id from big) and s.status = 'accepted'
    union all select 'submissions draft', count(*) from app.submissions s join app.campaigns c on c.id = s.campaign_id
                                where c.region_id in (select id from big) and s.status = 'draft'
    union all select 'answers (all data)', count(*) from app.answers
    union all select 'submission_directions (all data)', count(*) from app.submission_directions
    union all select 'deficits (all data)', count(*) from app.deficits
    union all select 'submission_events (all data)', count(*) from app.submission_events
    union all select 'database size, MB', pg_database_size(current_database()) / 1048576"
}

if [ "${1:-}" = counts ]; then counts; exit 0; fi

psql_q -At -c 'select 1' >/dev/null 2>&1 || { say "no database at $PGHOST (scripts/stack.sh up first)"; exit 1; }
if [ "$(psql_q -At -c "select count(*) from app.regions where code = 'ru-01'")" != 0 ]; then
  say "already loaded"
  exit 0
fi
[ -x "$API_BIN" ] || { say "no API binary at $API_BIN (run make)"; exit 1; }

# The instrument: the demo's shmr document with one more yes/no indicator per direction
# (104 in all) and no applies_to, so that one variant fits every school.
doc=$(mktemp); trap 'rm -f "$doc"' EXIT
jq '
  .code = "shmr-ru" | .version = 1 | del(.applies_to)
  | .title = "Самодиагностика «Школа Минпросвещения России» (единая форма, 104 показателя)"
  | .directions |= [ .[] as $d
      | ($d.indicators[-1].code | capture("^(?<p>[A-Za-z]+)(?<n>[0-9]+)$")) as $c
      | $d | .indicators += [{
          code: ($c.p + (($c.n | tonumber) + 1 | tostring | if length < 2 then "0" + . else . end)),
          text: ({knowledge: "Результаты ВПР анализируются, по ним скорректированы рабочие программы",
                  upbringing: "В начальных классах реализуется программа «Орлята России»",
                  health: "Организовано горячее питание с участием родительского контроля",
                  creativity: "Работает школьный музей или музейная комната",
                  career: "Школа участвует в проекте «Билет в будущее»",
                  team: "Учителя прошли повышение квалификации по федеральным образовательным программам за три года",
                  climate: "Работает школьная служба примирения (медиации)",
                  environment: "ФГИС «Моя школа» используется в учебном процессе"}[$d.code]
                 // "Дополнительный показатель направления"),
          options: [{value: "no", label: "Нет", points: 0}, {value: "yes", label: "Да", points: 1}]}] ]
' "$root/sql/demo/instruments/shmr-v1.json" >"$doc"
[ "$(jq '[.directions[].indicators[]] | length' "$doc")" -ge 100 ] || { say "instrument has < 100 indicators"; exit 1; }

hash=$(printf '%s' "$BIGDATA_PASSWORD" | "$API_BIN" hash-password)
say "loading into $PGHOST (a few minutes)"
start=$(date +%s)
# The work happens in the server process: lower its priority (the machine may be shared).
PGAPPNAME=orientir-bigdata psql -X -q -v ON_ERROR_STOP=1 -v bigdata_password_hash="$hash" \
  -v bigdata_doc_file="$doc" -f "$root/sql/bigdata/load.sql" &
psql_pid=$!
for _ in $(seq 50); do
  backend=$(psql_q -At -c "select pid from pg_stat_activity where application_name = 'orientir-bigdata'" || true)
  [ -n "$backend" ] && { renice -n 10 -p "$backend" >/dev/null 2>&1 || true; break; }
  sleep 0.1
done
wait "$psql_pid"
loaded=$(date +%s)
say "loaded in $((loaded - start)) s; vacuum analyze"
PGOPTIONS='-c vacuum_cost_delay=0' psql_q -c 'vacuum (analyze) app.regions, app.municipalities, app.schools, app.users, app.instruments,
  app.directions, app.indicators, app.indicator_options, app.campaigns, app.campaign_instruments,
  app.campaign_schools, app.submissions, app.answers, app.submission_directions, app.submission_events,
  app.deficits, app.audit_log'
end=$(date +%s)
say "done in $((end - start)) s (load $((loaded - start)) s, vacuum analyze $((end - loaded)) s)"
counts

// Monitoring summaries and exports (issue 6): the JSON reports recomputed from the raw rows
// and compared, the XLSX export read back by openpyxl (tests/api/xlsx_check.py), the CSV
// export parsed back, scope (403 for a school, 404 outside the caller's scope), and the audit
// row of every export.
//
// Most checks run in a region made for this file (psql inserts the region, its municipalities
// and users; everything else goes through the API), so every number is known in advance:
//   municipality A «Альфа; район «Кавычки» "двойные"» (a name CSV must quote): schools A1, A2, A3
//   municipality B: schools B1..B4;   municipality C: no school at all (a row of zeros)
//   previous campaign P: A1 high, A2 below basic, B1 high (all accepted)
//   campaign C: A1 accepted below basic (fell; deficits K01 critical, H01; approved program),
//               A2 accepted high (rose), A3 draft, B1 accepted high (same), B2 submitted,
//               B3 returned, B4 not started
//   execution: one item for the committee, municipality A and school A1 (A's record reported
//              done), one overdue item for municipality B
// The demo region's campaigns are recomputed too, for the committee and a municipality.
import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  API, ROOT, assertFieldError, assertProblem, auditRowsSince, demoActors, get, lastAuditId, psql, psqlValue, tokenOf,
} from './lib.mjs';
import { act, answerAll, createCampaign, createInstrument, moscowDate, openSubmission } from './diag.mjs';
import { addItem, createDocument, moscowDay, recordsOf, report } from './execution.mjs';
import { DEFICIT_ANSWERS, FULL_ANSWERS, newSchool, programIn } from './programs.mjs';

const SUMMARY_ROUTES = ['summary', 'summary.xlsx', 'summary.csv', 'schools', 'deficits', 'programs'];
const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
const SHEETS = ['Параметры', 'Сводка по МО', 'Школы', 'Дефициты', 'Программы', 'Исполнение'];
const NAME_A = 'Альфа; район «Кавычки» "двойные"';
const NAME_B = 'Бета муниципальный район';
const NAME_C = 'Вега округ без школ';

// ---------------------------------------------------------------------------------------
// The region of this file.

const fx = {};
let made = null;
const fixtures = () => (made ??= makeRegion());

async function makeRegion() {
  const tag = `${Date.now().toString(36)}${process.pid.toString(36)}`.slice(-11);
  const code = `r${tag}`;
  const hash = psqlValue("select password_hash from app.users where login = 'committee'");
  psql(`
    insert into app.regions (code, name, committee_name, institute_name)
      values (:'code', 'Тестовая область отчётов', 'Комитет области отчётов', 'Институт области отчётов');
    insert into app.municipalities (region_id, code, name)
      select id, :'code' || '-a', :'na' from app.regions where code = :'code'
      union all select id, :'code' || '-b', :'nb' from app.regions where code = :'code'
      union all select id, :'code' || '-c', :'nc' from app.regions where code = :'code';
    insert into app.users (login, full_name, role, region_id, password_hash)
      select 'rpt-committee-' || :'code', 'Отчётова Анна Сергеевна', 'committee', id, :'hash' from app.regions where code = :'code'
      union all
      select 'rpt-loiro-' || :'code', 'Методистов Олег Ильич', 'loiro', id, :'hash' from app.regions where code = :'code';
    insert into app.users (login, full_name, role, municipality_id, password_hash)
      select 'rpt-mo-' || m.code, 'Районов Пётр ' || m.code, 'municipality', m.id, :'hash'
        from app.municipalities m where m.code in (:'code' || '-a', :'code' || '-b');
  `, { code, na: NAME_A, nb: NAME_B, nc: NAME_C, hash });
  const mun = (suffix) => Number(psqlValue(`select id from app.municipalities where code = '${code}-${suffix}'`));
  fx.regionId = Number(psqlValue(`select id from app.regions where code = '${code}'`));
  fx.munA = mun('a');
  fx.munB = mun('b');
  fx.munC = mun('c');
  fx.committee = await tokenOf(`rpt-committee-${code}`);
  fx.committeeUserId = Number(psqlValue(`select id from app.users where login = 'rpt-committee-${code}'`));
  fx.loiro = await tokenOf(`rpt-loiro-${code}`);
  fx.moA = await tokenOf(`rpt-mo-${code}-a`);
  fx.moB = await tokenOf(`rpt-mo-${code}-b`);

  const c = fx.committee;
  fx.instrument = await createInstrument(fx.loiro);
  const s = {};
  for (const k of ['A1', 'A2', 'A3']) s[k] = await newSchool(c, fx.munA, `Школа отчётов ${k}`);
  for (const k of ['B1', 'B2', 'B3', 'B4']) s[k] = await newSchool(c, fx.munB, `Школа отчётов ${k}`);
  for (const k of Object.keys(s)) s[k].munToken = k.startsWith('A') ? fx.moA : fx.moB;
  fx.s = s;

  // Drives a school's submission in a campaign to `until`: draft | submitted | returned | accepted.
  const drive = async (school, campaignId, values, until) => {
    const sub = await openSubmission(school.token, campaignId);
    if (until === 'draft') return sub;
    await answerAll(school.token, sub.id, fx.instrument, values);
    await act(school.token, sub.id, 'submit');
    if (until === 'returned') return act(school.munToken, sub.id, 'return', { comment: 'Уточните ответы' });
    if (until === 'accepted') return act(school.munToken, sub.id, 'accept');
    return sub;
  };
  const ids = (...keys) => keys.map((k) => s[k].id);
  fx.previous = await createCampaign(c, [fx.instrument.id], { school_ids: ids('A1', 'A2', 'B1') }, {
    title: `Отчёты: прошлая кампания ${tag}`, opens_on: moscowDate(-5),
  });
  await drive(s.A1, fx.previous.id, FULL_ANSWERS, 'accepted');
  await drive(s.A2, fx.previous.id, DEFICIT_ANSWERS, 'accepted');
  await drive(s.B1, fx.previous.id, FULL_ANSWERS, 'accepted');
  fx.campaign = await createCampaign(c, [fx.instrument.id], { school_ids: ids('A1', 'A2', 'A3', 'B1', 'B2', 'B3', 'B4') }, {
    title: `Отчёты: кампания ${tag}`,
  });
  const C = fx.campaign.id;
  await drive(s.A1, C, DEFICIT_ANSWERS, 'accepted');
  await drive(s.A2, C, FULL_ANSWERS, 'accepted');
  await drive(s.A3, C, DEFICIT_ANSWERS, 'draft');
  await drive(s.B1, C, FULL_ANSWERS, 'accepted');
  await drive(s.B2, C, DEFICIT_ANSWERS, 'submitted');
  await drive(s.B3, C, DEFICIT_ANSWERS, 'returned');
  fx.program = (await programIn('approved', s.A1, fx.moA, C)).program;

  const doc = await createDocument(c, { title: 'Распоряжение для отчётов' });
  const recs = recordsOf(await addItem(c, doc.id, [
    { kind: 'committee' }, { kind: 'municipality', id: fx.munA }, { kind: 'school', id: s.A1.id },
  ]));
  const done = await report(fx.moA, recs[`municipality:${fx.munA}`]);
  assert.equal(done.status, 200, done.text);
  await addItem(c, doc.id, [{ kind: 'municipality', id: fx.munB }], { deadline: moscowDay(-3) });

  const demo = await demoActors();
  fx.demo = demo;
  fx.demoCampaigns = psql(`select id from app.campaigns where region_id = ${demo.committee.user.region_id} order by id`)
    .map((r) => Number(r[0]));
}

// ---------------------------------------------------------------------------------------
// The summary recomputed from the raw rows (psql as the superuser), by the rules of
// docs/design.md: statuses over every targeted school; levels, means, change, deficits and
// programs over accepted submissions; execution over the records of each municipality and
// its schools; each municipality of the scope a row, zeros included.

const RANK = { below_basic: 0, basic: 1, medium: 2, high: 3 };

/** The raw rows a summary is made of, in one psql round (ids as strings, NULL as null). */
function rawRows(campaignId, municipalityId) {
  const c = Number(campaignId);
  const mun = municipalityId ? Number(municipalityId) : null;
  const only = mun ? `and sc.municipality_id = ${mun}` : '';
  const accepted = `select s.id, s.school_id from app.submissions s join app.schools sc on sc.id = s.school_id
                    where s.campaign_id = ${c} and s.status = 'accepted' ${only}`;
  const rows = (sql) => `(select coalesce(json_agg(json_build_array(${sql})), '[]')`;
  const text = psqlValue(`
    with cur as (select region_id, opens_on from app.campaigns where id = ${c}),
    prev as (select p.id from app.campaigns p, cur where p.region_id = cur.region_id and p.opens_on < cur.opens_on
             order by p.opens_on desc, p.id desc limit 1)
    select json_build_object(
      'schools', ${rows(`cs.school_id::text, sc.municipality_id::text, coalesce(s.status, 'not_started'),
                         case when s.status = 'accepted' then s.level end, ps.level`)}
        from app.campaign_schools cs join app.schools sc on sc.id = cs.school_id
        left join app.submissions s on s.campaign_id = cs.campaign_id and s.school_id = cs.school_id
        left join app.submissions ps on ps.campaign_id = (select id from prev) and ps.school_id = cs.school_id
                                    and ps.status = 'accepted'
        where cs.campaign_id = ${c} ${only}),
      'directions', ${rows('a.school_id::text, d.code, sd.points')}
        from app.submission_directions sd join app.directions d on d.id = sd.direction_id
        join (${accepted}) a on a.id = sd.submission_id),
      'deficits', ${rows('a.school_id::text, x.code, df.critical')}
        from app.deficits df join app.indicators x on x.id = df.indicator_id
        join (${accepted}) a on a.id = df.submission_id where df.kind = 'deficit'),
      'programs', ${rows('p.school_id::text, p.id::text, p.status, p.revision')}
        from app.programs p where p.campaign_id = ${c}),
      'measures', ${rows('pm.program_id::text, pm.status, pm.due_date < app.moscow_today()')}
        from app.program_measures pm join app.programs p on p.id = pm.program_id where p.campaign_id = ${c}),
      'execution', ${rows('a.municipality_id::text, a.status, i.deadline < app.moscow_today()')}
        from app.assignments a join app.document_items i on i.id = a.item_id, cur
        where a.region_id = cur.region_id and a.municipality_id is not null
          ${mun ? `and a.municipality_id = ${mun}` : ''}),
      'municipalities', ${rows('m.id::text')}
        from app.municipalities m, cur where m.region_id = cur.region_id ${mun ? `and m.id = ${mun}` : ''}))`);
  const r = JSON.parse(text);
  return {
    schools: r.schools.map(([id, m, status, level, prevLevel]) => ({ id, mun: m, status, level, prevLevel })),
    directions: r.directions.map(([school, code, points]) => ({ school, code, points })),
    deficits: r.deficits.map(([school, code, critical]) => ({ school, code, critical })),
    programs: r.programs.map(([school, id, status, revision]) => ({ school, id, status, revision })),
    measures: r.measures.map(([program, status, pastDue]) => ({ program, status, pastDue })),
    execution: r.execution.map(([m, status, pastDue]) => ({ mun: m, status, pastDue })),
    municipalities: r.municipalities.map(([id]) => id),
  };
}

/** COUNTERS of the schools (and records) for which `inScope(municipality_id)` holds. */
function countersOf(raw, inScope) {
  const schools = raw.schools.filter((s) => inScope(s.mun));
  const acceptedIds = new Set(schools.filter((s) => s.status === 'accepted').map((s) => s.id));
  const count = (pred) => schools.filter(pred).length;
  const c = {
    schools: schools.length,
    not_started: count((s) => s.status === 'not_started'),
    in_progress: count((s) => s.status === 'draft'),
    submitted: count((s) => s.status === 'submitted'),
    accepted: acceptedIds.size,
    returned: count((s) => s.status === 'returned'),
    levels: Object.fromEntries(Object.keys(RANK).map((l) => [l, count((s) => s.status === 'accepted' && s.level === l)])),
  };
  const compared = schools.filter((s) => s.level && s.prevLevel);
  c.change = {
    compared: compared.length,
    rose: compared.filter((s) => RANK[s.level] > RANK[s.prevLevel]).length,
    fell: compared.filter((s) => RANK[s.level] < RANK[s.prevLevel]).length,
    same: compared.filter((s) => RANK[s.level] === RANK[s.prevLevel]).length,
  };
  const byCode = new Map();
  for (const d of raw.directions.filter((x) => acceptedIds.has(x.school))) {
    byCode.set(d.code, [...(byCode.get(d.code) ?? []), d.points]);
  }
  c.directionMeans = Object.fromEntries([...byCode].map(([code, pts]) => [code, pts.reduce((a, b) => a + b, 0) / pts.length]));
  const deficitCodes = new Map();
  const deficitsOf = new Map();
  for (const d of raw.deficits.filter((x) => acceptedIds.has(x.school))) {
    const e = deficitCodes.get(d.code) ?? { indicator_code: d.code, critical: false, schools: 0 };
    e.critical ||= d.critical;
    e.schools += 1;
    deficitCodes.set(d.code, e);
    deficitsOf.set(d.school, (deficitsOf.get(d.school) ?? 0) + 1);
  }
  c.top_deficits = [...deficitCodes.values()]
    .sort((x, y) => (y.critical - x.critical) || (y.schools - x.schools) || (x.indicator_code < y.indicator_code ? -1 : 1))
    .slice(0, 10);
  // Each accepted school counts once, by its current program: the approved revision, else the newest.
  const current = new Map();
  for (const p of raw.programs.filter((x) => acceptedIds.has(x.school))) {
    const had = current.get(p.school);
    const better = !had || (p.status === 'approved') > (had.status === 'approved')
      || ((p.status === 'approved') === (had.status === 'approved') && p.revision > had.revision);
    if (better) current.set(p.school, p);
  }
  const currentIds = new Set([...current.values()].map((p) => p.id));
  const ms = raw.measures.filter((m) => currentIds.has(m.program));
  const statusCount = (st) => [...current.values()].filter((p) => p.status === st).length;
  c.programs = {
    needed: [...acceptedIds].filter((id) => deficitsOf.get(id) > 0).length,
    not_started: [...acceptedIds].filter((id) => deficitsOf.get(id) > 0 && !current.has(id)).length,
    draft: statusCount('draft'),
    submitted: statusCount('submitted'),
    returned: statusCount('returned'),
    approved: statusCount('approved'),
    measures_total: ms.length,
    measures_done: ms.filter((m) => m.status === 'done').length,
    measures_overdue: ms.filter((m) => m.pastDue && (m.status === 'planned' || m.status === 'in_progress')).length,
  };
  const ex = raw.execution.filter((e) => inScope(e.mun));
  c.execution = {
    total: ex.length,
    done: ex.filter((e) => e.status === 'done').length,
    accepted: ex.filter((e) => e.status === 'accepted').length,
    overdue: ex.filter((e) => e.pastDue && e.status !== 'done' && e.status !== 'accepted').length,
  };
  return c;
}

/** Asserts that the API's COUNTERS equal the recomputed ones. */
function assertCounters(got, want, label) {
  for (const k of ['schools', 'not_started', 'in_progress', 'submitted', 'accepted', 'returned', 'levels', 'change', 'programs', 'execution']) {
    assert.deepEqual(got[k], want[k], `${label}: ${k}`);
  }
  assert.equal(got.not_started + got.in_progress + got.submitted + got.accepted + got.returned, got.schools, `${label}: statuses sum to schools`);
  for (const d of got.directions) {
    const mean = want.directionMeans[d.code];
    if (mean === undefined) assert.equal(d.mean_points, null, `${label}: ${d.code} has no accepted answer`);
    else assert.ok(Math.abs(d.mean_points - mean) <= 0.0051, `${label}: mean of ${d.code} ${d.mean_points} ≠ ${mean}`);
  }
  assert.deepEqual(
    got.top_deficits.map((t) => ({ indicator_code: t.indicator_code, critical: t.critical, schools: t.schools })),
    want.top_deficits, `${label}: top_deficits`,
  );
}

/** The summary as `token` equals the recomputation over `municipalityId`'s scope (null: region). */
async function assertSummaryRecomputed(token, campaignId, municipalityId) {
  const res = await get(`/reports/summary?campaign_id=${campaignId}`, token);
  assert.equal(res.status, 200, res.text);
  const raw = rawRows(campaignId, municipalityId);
  const body = res.body;
  assert.deepEqual(body.municipalities.map((m) => String(m.municipality_id)).sort(), [...raw.municipalities].sort(),
    'a row for every municipality of the scope');
  for (const m of body.municipalities) {
    assertCounters(m, countersOf(raw, (mun) => mun === String(m.municipality_id)), `${m.name} in campaign ${campaignId}`);
  }
  assertCounters(body.region, countersOf(raw, () => true), `scope of campaign ${campaignId}`);
  return body;
}

/** Every count of `region` is the sum of the rows' counts. */
function assertRegionIsTheSum(body) {
  const sum = (f) => body.municipalities.reduce((a, m) => a + f(m), 0);
  const r = body.region;
  for (const k of ['schools', 'not_started', 'in_progress', 'submitted', 'accepted', 'returned']) assert.equal(r[k], sum((m) => m[k]), k);
  for (const k of Object.keys(r.levels)) assert.equal(r.levels[k], sum((m) => m.levels[k]), `levels.${k}`);
  for (const k of Object.keys(r.change)) assert.equal(r.change[k], sum((m) => m.change[k]), `change.${k}`);
  for (const k of Object.keys(r.programs)) assert.equal(r.programs[k], sum((m) => m.programs[k]), `programs.${k}`);
  for (const k of Object.keys(r.execution)) assert.equal(r.execution[k], sum((m) => m.execution[k]), `execution.${k}`);
}

// ---------------------------------------------------------------------------------------
// Files: raw bytes, openpyxl, CSV.

/** GET as `token`, the body as bytes. Returns {status, headers, bytes, text}. */
async function download(path, token) {
  const res = await fetch(`${API}${path}`, { headers: { Authorization: `Bearer ${token}` } });
  const bytes = Buffer.from(await res.arrayBuffer());
  return { status: res.status, headers: res.headers, bytes, text: bytes.toString('utf8') };
}

/** Reads XLSX bytes with openpyxl (tests/api/xlsx_check.py) and returns its JSON description. */
function readXlsx(bytes) {
  const dir = mkdtempSync(join(tmpdir(), 'orientir-xlsx-'));
  try {
    const file = join(dir, 'export.xlsx');
    writeFileSync(file, bytes);
    const out = execFileSync('/usr/bin/python3', [join(ROOT, 'tests/api/xlsx_check.py'), file], { encoding: 'utf8' });
    return JSON.parse(out);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The rows of CSV text (fields separated by `sep`), read by Python's csv module: [[field, …], …]. */
function parseCsv(text, sep) {
  const reader = 'import csv, io, json, sys\n'
    + 'rows = csv.reader(io.TextIOWrapper(sys.stdin.buffer, encoding="utf-8", newline=""), delimiter=sys.argv[1], strict=True)\n'
    + 'print(json.dumps(list(rows)))';
  return JSON.parse(execFileSync('/usr/bin/python3', ['-c', reader, sep], { input: text, encoding: 'utf8' }));
}

/** The row of a table (header + rows) as an object keyed by the header. */
const asObjects = (rows) => rows.slice(1).map((r) => Object.fromEntries(rows[0].map((h, i) => [h, r[i]])));

/** Columns of «Сводка по МО» and the COUNTERS member each one shows. */
const SUMMARY_COLUMNS = {
  'Школ в кампании': (c) => c.schools,
  'Не начали': (c) => c.not_started,
  'Заполняют': (c) => c.in_progress,
  'На проверке': (c) => c.submitted,
  'Приняты': (c) => c.accepted,
  'Возвращены': (c) => c.returned,
  'Ниже базового': (c) => c.levels.below_basic,
  'Базовый': (c) => c.levels.basic,
  'Средний': (c) => c.levels.medium,
  'Высокий': (c) => c.levels.high,
  'Уровень повысился': (c) => c.change.rose,
  'Уровень понизился': (c) => c.change.fell,
  'Нужна программа': (c) => c.programs.needed,
  'Программ утверждено': (c) => c.programs.approved,
  'Мероприятий всего': (c) => c.programs.measures_total,
  'Поручений всего': (c) => c.execution.total,
  'Поручений просрочено': (c) => c.execution.overdue,
};

/** Asserts that table rows (objects by header; values numbers or numeric text) equal the summary's. */
function assertSummaryRows(objects, body, label) {
  assert.deepEqual(objects.map((o) => o['Муниципалитет']), [...body.municipalities.map((m) => m.name), 'Итого'],
    `${label}: a row per municipality by name, then «Итого»`);
  const counters = [...body.municipalities, body.region];
  objects.forEach((o, i) => {
    for (const [col, pick] of Object.entries(SUMMARY_COLUMNS)) {
      assert.equal(Number(o[col]), pick(counters[i]), `${label}: ${o['Муниципалитет']} / ${col}`);
    }
  });
}

// ---------------------------------------------------------------------------------------

describe('GET /reports/summary', () => {
  before(fixtures);

  test('the committee: every municipality of the region incl. one without schools, by name', async () => {
    const res = await get(`/reports/summary?campaign_id=${fx.campaign.id}`, fx.committee);
    assert.equal(res.status, 200, res.text);
    const b = res.body;
    assert.deepEqual(b.municipalities.map((m) => m.name), [NAME_A, NAME_B, NAME_C]);
    assert.deepEqual(b.campaign, {
      id: fx.campaign.id, title: fx.campaign.title, status: 'open', opens_on: fx.campaign.opens_on, closes_on: fx.campaign.closes_on,
    });
    assert.deepEqual(b.previous_campaign, { id: fx.previous.id, title: fx.previous.title });
    assert.equal(b.scope.kind, 'region');
    assert.equal(b.scope.region_id, fx.regionId);
    const [a, bb, c] = b.municipalities;
    assert.deepEqual([a.schools, a.accepted, a.in_progress, a.not_started], [3, 2, 1, 0]);
    assert.deepEqual([bb.schools, bb.accepted, bb.submitted, bb.returned, bb.not_started], [4, 1, 1, 1, 1]);
    assert.equal(c.schools, 0, 'the empty municipality is a row of zeros');
    assert.deepEqual(c.levels, { below_basic: 0, basic: 0, medium: 0, high: 0 });
    assert.ok(c.directions.every((d) => d.mean_points === null));
    assert.deepEqual(a.levels, { below_basic: 1, basic: 0, medium: 0, high: 1 });
    assert.deepEqual(a.change, { compared: 2, rose: 1, fell: 1, same: 0 });
    assert.deepEqual(bb.change, { compared: 1, rose: 0, fell: 0, same: 1 });
    assert.deepEqual(b.region.top_deficits.map((t) => [t.indicator_code, t.critical, t.schools]), [['K01', true, 1], ['H01', false, 1]]);
    assert.deepEqual(a.programs, {
      needed: 1, not_started: 0, draft: 0, submitted: 0, returned: 0, approved: 1, measures_total: 2, measures_done: 0, measures_overdue: 0,
    });
    assert.deepEqual(a.execution, { total: 2, done: 1, accepted: 0, overdue: 0 });
    assert.deepEqual(bb.execution, { total: 1, done: 0, accepted: 0, overdue: 1 });
    const know = b.region.directions.find((d) => d.code === 'knowledge');
    assert.equal(know.max_points, 3);
    assert.equal(know.mean_points, 2.33, 'knowledge over the accepted: A1 1, A2 3, B1 3 of 3');
  });

  test('the committee: every row and the region equal a recomputation from the raw rows', async () => {
    const body = await assertSummaryRecomputed(fx.committee, fx.campaign.id, null);
    assertRegionIsTheSum(body);
    await assertSummaryRecomputed(fx.committee, fx.previous.id, null);
  });

  test('ЛОИРО sees what the committee sees', async () => {
    const c = await get(`/reports/summary?campaign_id=${fx.campaign.id}`, fx.committee);
    const l = await get(`/reports/summary?campaign_id=${fx.campaign.id}`, fx.loiro);
    assert.equal(l.status, 200, l.text);
    assert.deepEqual(l.body.region, c.body.region);
    assert.deepEqual(l.body.municipalities, c.body.municipalities);
  });

  test('a municipality gets only its own row, and region is that row', async () => {
    const body = await assertSummaryRecomputed(fx.moA, fx.campaign.id, fx.munA);
    assert.deepEqual(body.municipalities.map((m) => m.municipality_id), [fx.munA]);
    assert.equal(body.scope.kind, 'municipality');
    assert.equal(body.scope.municipality_id, fx.munA);
    const { municipality_id: _id, name: _name, ...row } = body.municipalities[0];
    assert.deepEqual(body.region, row);
    assertRegionIsTheSum(body);
  });

  test('the demo region: the committee\'s and a municipality\'s summaries equal the recomputation', async () => {
    assert.ok(fx.demoCampaigns.length > 0, 'the demo data has campaigns');
    for (const id of fx.demoCampaigns) {
      const body = await assertSummaryRecomputed(fx.demo.committee.token, id, null);
      assert.equal(body.municipalities.length, 18, 'all 18 municipalities, zeros included');
      assertRegionIsTheSum(body);
      await assertSummaryRecomputed(fx.demo.municipality.token, id, fx.demo.municipality.user.municipality_id);
    }
  });
});

describe('report routes: who may ask, and about what', () => {
  before(fixtures);

  test('a school may use no summary route: 403', async () => {
    const schoolToken = fx.s.A1.token;
    for (const r of SUMMARY_ROUTES) {
      assertProblem(await get(`/reports/${r}?campaign_id=${fx.campaign.id}`, schoolToken), 403, 'auth.forbidden');
    }
  });

  test('campaign_id is required (422), limit of /reports/schools at most 500, sep one of two', async () => {
    for (const r of SUMMARY_ROUTES) assertFieldError(await get(`/reports/${r}`, fx.committee), 'campaign_id');
    assertFieldError(await get(`/reports/schools?campaign_id=${fx.campaign.id}&limit=501`, fx.committee), 'limit');
    assertFieldError(await get(`/reports/summary.csv?campaign_id=${fx.campaign.id}&sep=tab`, fx.committee), 'sep');
    assertFieldError(await get(`/reports/summary?campaign_id=${fx.campaign.id}&municipality_id=${fx.munA}`, fx.committee), 'municipality_id');
  });

  test('another region\'s campaign is 404 on every route, and an export of it is not audited', async () => {
    const since = lastAuditId();
    for (const r of SUMMARY_ROUTES) {
      assertProblem(await get(`/reports/${r}?campaign_id=${fx.campaign.id}`, fx.demo.committee.token), 404);
      assertProblem(await get(`/reports/${r}?campaign_id=${fx.demoCampaigns[0]}`, fx.moA), 404);
    }
    assertProblem(await get('/reports/summary?campaign_id=999999999', fx.committee), 404);
    assert.deepEqual(auditRowsSince(since).filter((a) => a.action === 'export'), []);
  });

  test('a school card: the school\'s own, its municipality\'s, the region\'s; 404 for anyone else', async () => {
    const { A1, A2, B1 } = fx.s;
    for (const token of [A1.token, fx.moA, fx.committee, fx.loiro]) {
      const res = await get(`/schools/${A1.id}/card`, token);
      assert.equal(res.status, 200, res.text);
      assert.equal(res.body.school.id, A1.id);
    }
    assertProblem(await get(`/schools/${A1.id}/card`, A2.token), 404);
    assertProblem(await get(`/schools/${B1.id}/card`, fx.moA), 404);
    assertProblem(await get(`/schools/${A1.id}/card`, fx.demo.committee.token), 404);
    assertProblem(await get(`/schools/${fx.demo.school.user.school_id}/card`, A1.token), 404);
  });

  test('the card holds results over the campaigns, the latest deficits and the program in force', async () => {
    const res = await get(`/schools/${fx.s.A1.id}/card`, fx.s.A1.token);
    const card = res.body;
    assert.deepEqual(card.results.map((r) => r.campaign_id), [fx.campaign.id, fx.previous.id], 'newest campaign first');
    assert.deepEqual(card.results.map((r) => r.level), ['below_basic', 'high']);
    assert.equal(card.deficits.campaign_id, fx.campaign.id);
    assert.deepEqual(card.deficits.items.filter((d) => d.kind === 'deficit').map((d) => d.indicator_code).sort(), ['H01', 'K01']);
    assert.equal(card.program.id, fx.program.id);
    assert.equal(card.program.status, 'approved');
    assert.ok(card.generated_at);
  });
});

describe('GET /reports/schools, /reports/deficits, /reports/programs', () => {
  before(fixtures);

  test('schools: every targeted school with result, change and program; paged up to 500', async () => {
    const res = await get(`/reports/schools?campaign_id=${fx.campaign.id}&limit=500`, fx.committee);
    assert.equal(res.status, 200, res.text);
    assert.equal(res.body.total, 7);
    assert.equal(res.body.limit, 500);
    const byId = Object.fromEntries(res.body.items.map((i) => [i.school_id, i]));
    const a1 = byId[fx.s.A1.id];
    assert.deepEqual([a1.status, a1.level, a1.previous_level, a1.change, a1.program_status], ['accepted', 'below_basic', 'high', 'fell', 'approved']);
    assert.equal(a1.deficits, 2);
    assert.equal(byId[fx.s.A2.id].change, 'rose');
    assert.equal(byId[fx.s.B1.id].change, 'same');
    assert.equal(byId[fx.s.B4.id].status, 'not_started');
    assert.equal(byId[fx.s.B4.id].level, null);
    assert.deepEqual(res.body.items.map((i) => i.municipality_id), [fx.munA, fx.munA, fx.munA, fx.munB, fx.munB, fx.munB, fx.munB]);
    const page = await get(`/reports/schools?campaign_id=${fx.campaign.id}&limit=2&offset=2`, fx.committee);
    assert.deepEqual(page.body.items.map((i) => i.school_id), res.body.items.slice(2, 4).map((i) => i.school_id));
    const onlyB = await get(`/reports/schools?campaign_id=${fx.campaign.id}&municipality_id=${fx.munB}`, fx.committee);
    assert.equal(onlyB.body.total, 4);
    const mine = await get(`/reports/schools?campaign_id=${fx.campaign.id}`, fx.moA);
    assert.deepEqual(mine.body.items.map((i) => i.municipality_id), [fx.munA, fx.munA, fx.munA], 'a municipality: its schools');
  });

  test('deficits: over the accepted submissions, shares of the assessed, states of the deficits', async () => {
    const res = await get(`/reports/deficits?campaign_id=${fx.campaign.id}`, fx.committee);
    assert.equal(res.status, 200, res.text);
    assert.equal(res.body.assessed, 3);
    const [k01, h01] = res.body.items;
    assert.equal(k01.indicator_code, 'K01', 'critical first');
    assert.equal(k01.critical, true);
    assert.equal(k01.deficit_schools, 1);
    assert.equal(k01.share, 0.3333);
    assert.equal(h01.indicator_code, 'H01');
    const states = psql(`select df.status, count(*) from app.deficits df join app.submissions s on s.id = df.submission_id
                          where s.campaign_id = ${fx.campaign.id} and s.status = 'accepted' and df.kind = 'deficit'
                          group by df.status`);
    const total = (st) => Number(states.find((r) => r[0] === st)?.[1] ?? 0);
    const sum = (st) => res.body.items.reduce((a, i) => a + i.states[st], 0);
    for (const st of ['open', 'in_work', 'eliminated', 'closed']) assert.equal(sum(st), total(st), st);
    assert.equal(k01.states.in_work, 1, 'the approved program addresses it');
    const growthOnly = res.body.items.find((i) => i.indicator_code === 'K02');
    assert.equal(growthOnly.deficit_schools, 0);
    assert.equal(growthOnly.growth_schools, 1);
    const munB = await get(`/reports/deficits?campaign_id=${fx.campaign.id}&municipality_id=${fx.munB}`, fx.committee);
    assert.equal(munB.body.assessed, 1);
    assert.deepEqual(munB.body.items, [], 'B1 answered everything in full');
  });

  test('programs: the same counters as the summary\'s, per municipality and for the region', async () => {
    const res = await get(`/reports/programs?campaign_id=${fx.campaign.id}`, fx.committee);
    const sum = await get(`/reports/summary?campaign_id=${fx.campaign.id}`, fx.committee);
    assert.equal(res.status, 200, res.text);
    assert.deepEqual(res.body.region, sum.body.region.programs);
    assert.deepEqual(res.body.municipalities.map((m) => [m.municipality_id, m.approved, m.needed]),
      sum.body.municipalities.map((m) => [m.municipality_id, m.programs.approved, m.programs.needed]));
    const mine = await get(`/reports/programs?campaign_id=${fx.campaign.id}`, fx.moB);
    assert.deepEqual(mine.body.municipalities.map((m) => m.municipality_id), [fx.munB]);
  });
});

describe('GET /reports/summary.xlsx', () => {
  before(fixtures);

  test('the committee\'s workbook: sheets in order, headers, totals equal to the JSON, and audited', async () => {
    const since = lastAuditId();
    const res = await download(`/reports/summary.xlsx?campaign_id=${fx.campaign.id}`, fx.committee);
    assert.equal(res.status, 200, res.text.slice(0, 300));
    assert.equal(res.headers.get('content-type'), XLSX_TYPE);
    assert.equal(res.headers.get('cache-control'), 'no-store');
    assert.equal(Number(res.headers.get('content-length')), res.bytes.length);
    assert.match(res.headers.get('content-disposition'),
      new RegExp(`^attachment; filename="orientir-summary-${fx.campaign.id}-\\d{8}-\\d{4}\\.xlsx"$`));
    assert.equal(res.bytes.subarray(0, 4).toString('latin1'), 'PK\x03\x04');
    const book = readXlsx(res.bytes);
    assert.deepEqual(book.sheets, SHEETS);
    assert.deepEqual(book.warnings, [], 'openpyxl reads it without complaint');

    const params = Object.fromEntries(book.sheet['Параметры'].rows);
    assert.deepEqual(Object.keys(params), ['Кампания', 'Сроки', 'Охват', 'Выгрузил', 'Дата выгрузки']);
    assert.equal(params['Кампания'], fx.campaign.title);
    assert.equal(params['Охват'], 'Тестовая область отчётов');
    assert.match(params['Выгрузил'], /^Отчётова Анна Сергеевна, /);
    assert.match(params['Дата выгрузки'], /^\d{2}\.\d{2}\.\d{4} \d{2}:\d{2}$/);

    for (const name of SHEETS.slice(1)) {
      const s = book.sheet[name];
      assert.ok(s.rows.length >= 1 && s.rows[0].every((h) => typeof h === 'string' && h.length > 0), `${name}: a header row`);
      assert.equal(s.bold_header, true, `${name}: bold header`);
      assert.equal(s.freeze, 'A2', `${name}: header row frozen`);
      assert.match(s.filter ?? '', new RegExp(`^A1:[A-Z]+${s.rows.length}$`), `${name}: autofilter over header and data`);
      assert.ok(s.widths.every((w) => w >= 6), `${name}: column widths set`);
      // Printed on A4 landscape, the columns fitted to the page's width, the header on every page.
      assert.equal(s.print.orientation, 'landscape', `${name}: landscape`);
      assert.equal(Number(s.print.paper), 9, `${name}: A4`);
      assert.equal(s.print.fit_to_page, true, `${name}: fitted to the page`);
      assert.equal(Number(s.print.fit_width ?? 1), 1, `${name}: one page wide (1 is OOXML's default when absent)`);
      assert.equal(Number(s.print.fit_height), 0, `${name}: as many pages down as it takes`);
      assert.equal(s.print.title_rows.replaceAll('$', ''), '1:1', `${name}: the header row repeated`);
    }
    const summary = (await get(`/reports/summary?campaign_id=${fx.campaign.id}`, fx.committee)).body;
    const main = book.sheet['Сводка по МО'];
    assert.equal(main.rows[0][0], 'Муниципалитет');
    assertSummaryRows(asObjects(main.rows), summary, 'XLSX');
    const header = main.rows[0];
    const pct = header.findIndex((h) => h.endsWith('%'));
    assert.ok(pct > 0, 'a percentage column');
    assert.equal(main.formats[pct], '0.0%');
    assert.equal(typeof main.rows[1][header.indexOf('Школ в кампании')], 'number', 'numbers as numbers');

    assert.equal(book.sheet['Школы'].rows.length, 1 + 7, 'a row per targeted school');
    const programs = asObjects(book.sheet['Программы'].rows);
    assert.deepEqual(programs.map((p) => p['Код школы']), [fx.s.A1.code]);
    const execution = book.sheet['Исполнение'];
    assert.equal(execution.rows.length, 1 + 4, 'every record of the region');
    const dateCol = execution.rows[0].indexOf('Срок');
    assert.equal(execution.formats[dateCol], 'dd.mm.yyyy');
    assert.match(execution.rows[1][dateCol], /^\d{4}-\d{2}-\d{2}$/, 'dates as dates');

    const audit = auditRowsSince(since).filter((a) => a.action === 'export');
    assert.equal(audit.length, 1);
    assert.equal(audit[0].entity, 'reports');
    assert.equal(Number(audit[0].entity_id), fx.campaign.id);
    assert.equal(audit[0].user_id, fx.committeeUserId);
    assert.deepEqual(audit[0].after, { kind: 'summary', format: 'xlsx' });
  });

  test('a municipality\'s workbook holds only its own schools', async () => {
    const res = await download(`/reports/summary.xlsx?campaign_id=${fx.campaign.id}`, fx.moB);
    assert.equal(res.status, 200, res.text.slice(0, 300));
    const book = readXlsx(res.bytes);
    assert.deepEqual(book.sheets, SHEETS);
    assert.equal(Object.fromEntries(book.sheet['Параметры'].rows)['Охват'], NAME_B);
    const summary = (await get(`/reports/summary?campaign_id=${fx.campaign.id}`, fx.moB)).body;
    assertSummaryRows(asObjects(book.sheet['Сводка по МО'].rows), summary, 'XLSX of a municipality');
    const schools = asObjects(book.sheet['Школы'].rows);
    assert.equal(schools.length, 4);
    assert.ok(schools.every((s) => s['Муниципалитет'] === NAME_B));
    assert.equal(book.sheet['Исполнение'].rows.length, 1 + 1, 'its own record only');
  });

  test('the demo region exports too (348 schools), and its totals equal the JSON', async () => {
    const id = fx.demoCampaigns[0];
    const res = await download(`/reports/summary.xlsx?campaign_id=${id}`, fx.demo.committee.token);
    assert.equal(res.status, 200, res.text.slice(0, 300));
    const book = readXlsx(res.bytes);
    const summary = (await get(`/reports/summary?campaign_id=${id}`, fx.demo.committee.token)).body;
    assertSummaryRows(asObjects(book.sheet['Сводка по МО'].rows), summary, 'demo XLSX');
    assert.equal(book.sheet['Школы'].rows.length, 1 + summary.region.schools);
  });
});

describe('GET /reports/summary.csv', () => {
  before(fixtures);

  test('UTF-8 with a BOM, «;» by default, a row per municipality and «Итого», quoting RFC 4180', async () => {
    const since = lastAuditId();
    const res = await download(`/reports/summary.csv?campaign_id=${fx.campaign.id}`, fx.committee);
    assert.equal(res.status, 200, res.text.slice(0, 300));
    assert.equal(res.headers.get('content-type'), 'text/csv; charset=utf-8');
    assert.equal(Number(res.headers.get('content-length')), res.bytes.length);
    assert.match(res.headers.get('content-disposition'),
      new RegExp(`^attachment; filename="orientir-summary-${fx.campaign.id}-\\d{8}-\\d{4}\\.csv"$`));
    assert.deepEqual([...res.bytes.subarray(0, 3)], [0xef, 0xbb, 0xbf]);
    const text = res.bytes.subarray(3).toString('utf8');
    assert.ok(text.startsWith('Муниципалитет;'), text.slice(0, 100));
    assert.ok(text.includes('"Альфа; район «Кавычки» ""двойные"""'), 'a name with ; and " is quoted, its quotes doubled');
    const rows = parseCsv(text, ';');
    assert.ok(rows.every((r) => r.length === rows[0].length), 'every row as wide as the header');
    const summary = (await get(`/reports/summary?campaign_id=${fx.campaign.id}`, fx.committee)).body;
    assertSummaryRows(asObjects(rows), summary, 'CSV');
    const audit = auditRowsSince(since).filter((a) => a.action === 'export');
    assert.equal(audit.length, 1);
    assert.deepEqual(audit[0].after, { kind: 'summary', format: 'csv' });
    assert.equal(Number(audit[0].entity_id), fx.campaign.id);
  });

  test('sep=comma separates by commas; sep=semicolon is the default', async () => {
    const res = await download(`/reports/summary.csv?campaign_id=${fx.campaign.id}&sep=comma`, fx.committee);
    assert.equal(res.status, 200, res.text.slice(0, 300));
    const text = res.bytes.subarray(3).toString('utf8');
    assert.ok(text.startsWith('Муниципалитет,Школ в кампании,'), text.slice(0, 100));
    const rows = parseCsv(text, ',');
    assert.ok(rows.every((r) => r.length === rows[0].length));
    assert.deepEqual(rows.slice(1).map((r) => r[0]), [NAME_A, NAME_B, NAME_C, 'Итого']);
    const semi = await download(`/reports/summary.csv?campaign_id=${fx.campaign.id}&sep=semicolon`, fx.committee);
    assert.ok(semi.text.slice(1).startsWith('Муниципалитет;'));
    // «… %» columns hold 0–100 with one decimal: a comma beside semicolons (Russian Excel reads a
    // number), a point beside commas; other numbers are integers without thousands separators.
    const semiRows = parseCsv(semi.bytes.subarray(3).toString('utf8'), ';');
    for (const [table, mark] of [[rows, '.'], [semiRows, ',']]) {
      const head = table[0];
      const share = head.indexOf('Доля принятых %');
      const total = table.find((r) => r[0] === 'Итого');
      const want = (100 * Number(total[head.indexOf('Приняты')]) / Number(total[head.indexOf('Школ в кампании')])).toFixed(1);
      assert.equal(total[share], want.replace('.', mark), `«Доля принятых %» of «Итого» beside «${mark === '.' ? ',' : ';'}»`);
      const pcts = head.map((h, i) => (h.endsWith('%') ? i : -1)).filter((i) => i >= 0);
      const pattern = mark === ',' ? /^(\d{1,3},\d)?$/ : /^(\d{1,3}\.\d)?$/;
      for (const r of table.slice(1)) for (const i of pcts) assert.match(r[i], pattern, `${head[i]}: ${r[i]}`);
      for (const r of table.slice(1)) {
        r.forEach((v, i) => { if (i > 0 && !pcts.includes(i)) assert.match(v, /^\d*$/, `${head[i]}: ${v}`); });
      }
    }
  });

  test('text a spreadsheet would take for a formula is neutralised in CSV and a string in XLSX; numbers stay numbers', async () => {
    const formula = '=HYPERLINK("http://x","mun")';
    psql(`update app.municipalities set name = :'n' where id = ${fx.munC}`, { n: formula });
    try {
      const csv = await download(`/reports/summary.csv?campaign_id=${fx.campaign.id}`, fx.committee);
      assert.equal(csv.status, 200, csv.text.slice(0, 300));
      const rows = parseCsv(csv.bytes.subarray(3).toString('utf8'), ';');
      const row = rows.find((r) => r[0].includes('HYPERLINK'));
      assert.equal(row[0], `'${formula}`, 'a leading apostrophe: the cell is text');
      assert.ok(row.slice(1).every((v) => /^-?[0-9]*(,[0-9])?$/.test(v)), `numbers stay numbers: ${row.join(';')}`);
      for (const r of rows.slice(1)) assert.doesNotMatch(r[0], /^[=+\-@\t\r]/, r[0]);
      const xlsx = readXlsx((await download(`/reports/summary.xlsx?campaign_id=${fx.campaign.id}`, fx.committee)).bytes);
      const sheet = xlsx.sheet['Сводка по МО'];
      assert.ok(sheet.rows.some((r) => r[0] === formula), 'XLSX keeps the name as it is…');
      assert.equal(sheet.formulas, 0, '…stored as a string, not a formula');
    } finally {
      psql(`update app.municipalities set name = :'n' where id = ${fx.munC}`, { n: NAME_C });
    }
  });

  test('a municipality\'s CSV: its row and «Итого»', async () => {
    const res = await download(`/reports/summary.csv?campaign_id=${fx.campaign.id}`, fx.moA);
    assert.equal(res.status, 200, res.text.slice(0, 300));
    const rows = parseCsv(res.bytes.subarray(3).toString('utf8'), ';');
    assert.deepEqual(rows.slice(1).map((r) => r[0]), [NAME_A, 'Итого']);
  });
});

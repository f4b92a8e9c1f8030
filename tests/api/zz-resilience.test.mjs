// Resilience of the running stack; this file runs last (zz-) because it stops the API and
// the database. (0) One of the two API instances SIGKILLed under a stream of GETs: no GET
// fails (nginx passes it to the other instance) and the supervisor starts it again within
// 2 s. (a) SIGTERM while a request is in flight: the request completes, then the API (the
// supervisor and every instance) exits 0. (b) PostgreSQL stopped while the API runs: 503 problem+json, and after
// PostgreSQL is back the same API process serves again without a restart. (c) nginx limits
// sign-in attempts per address and answers 429 problem+json.
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import {
  ENV, ROOT, VAR, apiBinary, assertProblem, get, login, request, sleep,
} from './lib.mjs';

const run = promisify(execFile);
const stackEnv = { ...ENV, ORIENTIR_VAR: VAR, API_BIN: process.env.API_BIN || apiBinary() || '' };
const stack = (cmd) => run(join(ROOT, 'scripts', 'stack.sh'), [cmd], { env: stackEnv, timeout: 60_000 });

const pidFile = join(VAR, 'run', 'api.pid'); // the supervisor of the instances
const exitFile = join(VAR, 'run', 'api.exit');
const apiPid = () => Number(readFileSync(pidFile, 'utf8').trim());

/** True while the process exists and is not a zombie. */
function alive(pid) {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return false;
  }
}

async function waitFor(what, cond, ms = 15_000, step = 100) {
  const end = Date.now() + ms;
  for (;;) {
    if (await cond()) return;
    if (Date.now() > end) assert.fail(`timed out waiting for ${what}`);
    await sleep(step);
  }
}

async function healthStatus() {
  try {
    return (await request('GET', '/health')).status;
  } catch {
    return 0;
  }
}

// Whatever happens here, leave a healthy stack behind for the layers that follow.
after(async () => {
  if ((await healthStatus()) === 200) return;
  await stack('pg-start').catch(() => {});
  if (!existsSync(pidFile) || !alive(apiPid())) await stack('api-restart').catch(() => {});
  await waitFor('the stack to be healthy again', async () => (await healthStatus()) === 200, 30_000).catch(() => {});
});

describe('an API instance killed under a stream of GETs', { timeout: 60_000 }, () => {
  test('no GET fails, and the supervisor starts the instance again within 2 s', async (t) => {
    assert.equal(await healthStatus(), 200, 'the stack is healthy to begin with');
    const token = (await login('loiro')).body.access_token;
    const instanceFile = join(VAR, 'run', 'api-1.pid');
    const socket = join(VAR, 'run', 'api-1.sock');
    const victim = Number(readFileSync(instanceFile, 'utf8').trim());
    assert.ok(alive(victim), `instance 1 (pid ${victim}) alive`);
    const statuses = new Map();
    let running = true;
    const stream = Array.from({ length: 8 }, async () => {
      while (running) {
        let status;
        try {
          status = (await get('/regions', token)).status;
        } catch (e) {
          status = `network error: ${e.cause?.code ?? e.message}`;
        }
        statuses.set(status, (statuses.get(status) ?? 0) + 1);
      }
    });
    await sleep(500);
    const killedAt = Date.now();
    process.kill(victim, 'SIGKILL');
    let backAfter = null;
    while (Date.now() - killedAt < 5_000) {
      const now = Number(readFileSync(instanceFile, 'utf8').trim());
      if (now !== victim && alive(now) && existsSync(socket)) {
        backAfter = Date.now() - killedAt;
        break;
      }
      await sleep(20);
    }
    await sleep(1_500); // the stream goes on against both instances again
    running = false;
    await Promise.all(stream);
    const total = [...statuses.values()].reduce((a, b) => a + b, 0);
    t.diagnostic(`${total} GETs, by status ${JSON.stringify(Object.fromEntries(statuses))}; instance back after ${backAfter} ms`);
    assert.ok(total > 50, `a stream, not a trickle: ${total}`);
    assert.deepEqual([...statuses.keys()], [200], JSON.stringify(Object.fromEntries(statuses)));
    assert.ok(backAfter !== null && backAfter < 2_000, `back after ${backAfter} ms`);
  });
});

describe('SIGTERM while a request is in flight', { timeout: 120_000 }, () => {
  let pid;
  let inflight;

  test('the in-flight request completes with 200 after SIGTERM', async () => {
    assert.equal(await healthStatus(), 200, 'the stack is healthy to begin with');
    pid = apiPid();
    assert.ok(alive(pid), `API pid ${pid} alive`);
    const started = Date.now();
    inflight = login('committee'); // PBKDF2 with 600 000 iterations: several hundred ms
    await sleep(100);
    process.kill(pid, 'SIGTERM');
    const res = await inflight;
    assert.equal(res.status, 200, res.text);
    assert.equal(typeof res.body.access_token, 'string');
    assert.ok(Date.now() - started > 100, 'the request was still running when SIGTERM arrived');
  });

  test('then the process exits with status 0', async () => {
    assert.ok(pid, 'previous step ran');
    await waitFor('the API process to exit', () => !alive(pid), 20_000);
    await waitFor('api.exit to be written', () => existsSync(exitFile) && readFileSync(exitFile, 'utf8').trim() !== '', 10_000);
    assert.equal(readFileSync(exitFile, 'utf8').trim(), '0');
  });

  test('while the API is down, nginx answers 502 problem+json, not an HTML page', async () => {
    const res = await request('GET', '/regions');
    assert.ok([502, 503].includes(res.status), `${res.status} ${res.text.slice(0, 200)}`);
    assertProblem(res, res.status, 'service.unavailable');
  });

  test('after `stack.sh api-restart` the API is healthy again', async () => {
    await stack('api-restart');
    await waitFor('health 200', async () => (await healthStatus()) === 200, 20_000);
    assert.notEqual(apiPid(), pid, 'a new process');
    const res = await login('loiro');
    assert.equal(res.status, 200, res.text);
  });
});

describe('PostgreSQL stopped while the API runs', { timeout: 120_000 }, () => {
  let pid;
  let token;

  test('with the database stopped, /health answers 503 problem+json', async () => {
    assert.equal(await healthStatus(), 200, 'healthy to begin with');
    token = (await login('committee')).body.access_token;
    assert.ok(token);
    pid = apiPid();
    await stack('pg-stop');
    const res = await request('GET', '/health');
    assertProblem(res, 503, 'service.unavailable');
  });

  test('an authenticated read answers 503 problem+json service.unavailable', async () => {
    const res = await get('/schools', token);
    assertProblem(res, 503, 'service.unavailable');
    const again = await get('/me', token);
    assertProblem(again, 503, 'service.unavailable');
  });

  test('a sign-in answers 503 problem+json, not 401', async () => {
    const res = await login('loiro');
    assertProblem(res, 503, 'service.unavailable');
  });

  test('the API process keeps running while the database is away', async () => {
    await sleep(500);
    assert.ok(alive(pid), 'the API did not exit');
    assert.equal(apiPid(), pid);
  });

  test('after PostgreSQL starts again, requests succeed within 15 s without restarting the API', async () => {
    await stack('pg-start');
    const deadline = Date.now() + 15_000;
    await waitFor('health 200', async () => (await healthStatus()) === 200, 15_000, 250);
    // Every worker reconnects: several reads in a row all succeed.
    await waitFor('authenticated reads', async () => {
      const results = await Promise.all(Array.from({ length: 24 }, () => get('/schools?limit=1', token)));
      return results.every((r) => r.status === 200);
    }, Math.max(deadline - Date.now(), 0), 250);
    const me = await get('/me', token);
    assert.equal(me.status, 200, me.text);
    assert.equal(apiPid(), pid, 'the same API process');
    assert.ok(alive(pid));
  });
});

describe('nginx limits sign-in attempts per address', { timeout: 120_000 }, () => {
  test('a flood of sign-in requests gets 429 problem+json request.rate_limited with Retry-After, then recovers', async () => {
    // Malformed bodies: nginx counts them like any sign-in, the API answers them without
    // hashing a password, so the flood costs little.
    const flood = await Promise.all(Array.from({ length: 320 }, () => request('POST', '/auth/login', { body: '{' })));
    const limited = flood.filter((r) => r.status === 429);
    assert.ok(limited.length > 0, `some of 320 requests are limited: ${[...new Set(flood.map((r) => r.status))]}`);
    for (const r of flood) assert.ok([400, 429].includes(r.status), `${r.status} ${r.text.slice(0, 100)}`);
    const r = limited[0];
    assertProblem(r, 429, 'request.rate_limited');
    assert.ok(r.headers.get('retry-after'), 'Retry-After');
    assert.match(r.headers.get('content-security-policy') || '', /default-src 'self'/);
    // Other paths are not limited.
    assert.equal(await healthStatus(), 200);
    // The bucket drains (10 a second): sign-in works again. Wait until it is empty, so the
    // test layers that follow get their whole burst back.
    await waitFor('sign-in to be accepted again', async () => (await request('POST', '/auth/login', { body: '{' })).status === 400, 60_000, 500);
    await sleep(21_000);
    const ok = await login('loiro');
    assert.equal(ok.status, 200, ok.text);
  });
});

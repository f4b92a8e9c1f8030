// Errors nginx answers itself, before the API sees the request, are problem+json with a
// machine code and a Russian title — never nginx's HTML pages. Sent over a raw socket:
// fetch() refuses TRACE and NUL bytes, which is the point of these requests.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import { BASE } from './lib.mjs';

const { hostname, port } = new URL(BASE);

/** Sends raw bytes, returns {status, headers, body} of the answer. */
function raw(bytes) {
  return new Promise((resolve, reject) => {
    const chunks = [];
    const s = net.connect({ host: hostname, port: Number(port) }, () => s.end(bytes));
    s.on('data', (c) => chunks.push(c));
    s.on('error', reject);
    s.on('close', () => {
      const text = Buffer.concat(chunks).toString('utf8');
      const [head, ...rest] = text.split('\r\n\r\n');
      const [statusLine, ...lines] = head.split('\r\n');
      const headers = Object.fromEntries(lines.map((l) => [l.split(':')[0].toLowerCase(), l.slice(l.indexOf(':') + 1).trim()]));
      resolve({ status: Number(statusLine.split(' ')[1]), headers, body: rest.join('\r\n\r\n') });
    });
  });
}

const get = (target, extra = '') => raw(`GET ${target} HTTP/1.1\r\nHost: localhost\r\n${extra}Connection: close\r\n\r\n`);

for (const [name, send, status, code] of [
  ['a NUL byte in a header', () => get('/api/v1/health', 'X-A: a\0b\r\n'), 400, 'request.malformed'],
  ['an oversized header', () => get('/api/v1/health', `X-Big: ${'b'.repeat(9000)}\r\n`), 400, 'request.malformed'],
  ['TRACE', () => raw('TRACE /api/v1/health HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n'), 405, 'method.not_allowed'],
  ['a 9 KB URL', () => get(`/api/v1/health?${'a'.repeat(9000)}`), 414, 'request.uri_too_long'],
]) {
  test(`${name} → ${status} problem+json ${code}`, async () => {
    const res = await send();
    assert.equal(res.status, status, res.body.slice(0, 200));
    assert.match(res.headers['content-type'] ?? '', /^application\/problem\+json/);
    const body = JSON.parse(res.body);
    assert.equal(body.status, status);
    assert.equal(body.code, code);
    assert.match(body.title, /[А-Яа-яЁё]/);
  });
}

// One catalogue of field error codes and their Russian messages, used by C and SQL alike:
// backend/src/field_messages.h (FM_<CODE>) and app.field_messages() list the same codes
// with the same text, so that «required» reads the same whichever side finds the error.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT, psql, post, roleToken } from './lib.mjs';

const header = readFileSync(join(ROOT, 'backend', 'src', 'field_messages.h'), 'utf8');
const fromC = new Map([...header.matchAll(/^#define FM_([A-Z0-9_]+) "((?:[^"\\]|\\.)*)"$/gm)]
  .map(([, code, text]) => [code.toLowerCase(), text.replace(/\\(.)/g, '$1')]));
const fromSql = new Map(psql('select code, message from app.field_messages() order by code'));

test('the C header and app.field_messages() list the same codes with the same messages', () => {
  assert.ok(fromC.size >= 3, `${fromC.size} entries read from field_messages.h`);
  assert.deepEqual(Object.fromEntries([...fromSql].sort()), Object.fromEntries([...fromC].sort()));
});

test('required reads «Обязательное поле» from C and from SQL', async () => {
  assert.equal(fromC.get('required'), 'Обязательное поле');
  const token = await roleToken('committee');
  // C: a body without a required member (the input shape finds it).
  const c = await post('/campaigns', token, {});
  assert.equal(c.status, 422);
  const cTitle = c.body.errors.find((e) => e.code === 'required');
  assert.equal(cTitle?.message, 'Обязательное поле');
  // SQL: a blank title passes the shape (a string) and SQL finds it required.
  const sql = psql(`select app.text_errors('  ', 'title', true, 10) ->> 0`)[0][0];
  assert.equal(JSON.parse(sql).message, 'Обязательное поле');
});

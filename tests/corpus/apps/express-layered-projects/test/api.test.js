// File: test/api.test.js
'use strict';
const test = require('node:test');
const assert = require('node:assert');
const os = require('node:os');
const path = require('node:path');
const fs = require('node:fs');

process.env.JWT_SECRET = process.env.JWT_SECRET || 'x'.repeat(40);
process.env.DATABASE_PATH = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'projects-')), 'test.db');
require('../src/db/migrate').up();
const app = require('../src/app');

const PASSWORD = 'Corr3ct-Horse-Battery';

test('projects are private to their owner', async (t) => {
  const server = app.listen(0);
  t.after(() => server.close());
  const base = `http://127.0.0.1:${server.address().port}/api/v1`;
  const post = (url, body, token) =>
    fetch(base + url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: JSON.stringify(body),
    });
  const signIn = async (email) => {
    await post('/auth/register', { email, password: PASSWORD });
    const res = await post('/auth/login', { email, password: PASSWORD });
    return (await res.json()).data.accessToken;
  };
  const a = await signIn('a@example.com');
  const b = await signIn('b@example.com');
  const created = await (await post('/projects', { name: 'roadmap' }, a)).json();
  const id = created.data.id;
  assert.equal((await fetch(`${base}/projects/${id}`, { headers: { authorization: `Bearer ${a}` } })).status, 200);
  assert.equal((await fetch(`${base}/projects/${id}`, { headers: { authorization: `Bearer ${b}` } })).status, 404);
  assert.equal((await fetch(`${base}/projects`)).status, 401);
});

const { test } = require('node:test');
const assert = require('node:assert/strict');
const { total } = require('../app');

test('total of nothing is zero', () => {
  assert.equal(total([]), 0);
});

test('the running app answers on its port', async () => {
  const res = await fetch(`http://127.0.0.1:${process.env.PORT}/health`);
  assert.equal(res.status, 200);
});

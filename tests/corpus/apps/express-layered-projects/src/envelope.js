// File: src/envelope.js
// The response shape every route uses.
'use strict';

function ok(res, data, message = 'OK', status = 200, meta = undefined) {
  const body = { success: true, data, message };
  if (meta) body.meta = meta;
  body.timestamp = new Date().toISOString();
  return res.status(status).json(body);
}

function fail(res, status, code, message, details = {}) {
  return res.status(status).json({
    success: false,
    error: { code, message, details },
    timestamp: new Date().toISOString(),
  });
}

module.exports = { ok, fail };

// File: src/repositories/userRepository.js
// Users and refresh tokens: prepared statements only.
'use strict';
const db = require('../db');

const stmts = {
  byEmail: db.prepare('SELECT id, email, password_hash FROM users WHERE email = ?'),
  byId: db.prepare('SELECT id, email, created_at FROM users WHERE id = ?'),
  insert: db.prepare('INSERT INTO users (email, password_hash, created_at, updated_at) VALUES (?, ?, ?, ?)'),
  insertRefresh: db.prepare(
    'INSERT INTO refresh_tokens (user_id, token_hash, expires_at, created_at) VALUES (?, ?, ?, ?)',
  ),
  liveRefresh: db.prepare(
    'SELECT id, user_id FROM refresh_tokens WHERE token_hash = ? AND revoked_at IS NULL AND expires_at > ?',
  ),
  revokeRefresh: db.prepare('UPDATE refresh_tokens SET revoked_at = ? WHERE id = ?'),
};

module.exports = {
  findByEmail: (email) => stmts.byEmail.get(email),
  findById: (id) => stmts.byId.get(id),
  create(email, passwordHash) {
    const now = new Date().toISOString();
    const { lastInsertRowid } = stmts.insert.run(email, passwordHash, now, now);
    return stmts.byId.get(lastInsertRowid);
  },
  saveRefresh: (userId, digest, expiresAt) =>
    stmts.insertRefresh.run(userId, digest, expiresAt, new Date().toISOString()),
  findLiveRefresh: (digest) => stmts.liveRefresh.get(digest, new Date().toISOString()),
  revokeRefresh: (id) => stmts.revokeRefresh.run(new Date().toISOString(), id),
  transaction: (fn) => db.transaction(fn),
};

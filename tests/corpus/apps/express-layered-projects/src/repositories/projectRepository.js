// File: src/repositories/projectRepository.js
// Projects, always filtered by owner; soft-deleted rows are invisible.
'use strict';
const db = require('../db');

const COLUMNS = 'id, name, description, status, created_at, updated_at';
const stmts = {
  list: db.prepare(
    `SELECT ${COLUMNS} FROM projects WHERE owner_id = ? AND deleted_at IS NULL ORDER BY id LIMIT ? OFFSET ?`,
  ),
  count: db.prepare('SELECT COUNT(*) AS n FROM projects WHERE owner_id = ? AND deleted_at IS NULL'),
  get: db.prepare(`SELECT ${COLUMNS} FROM projects WHERE id = ? AND owner_id = ? AND deleted_at IS NULL`),
  insert: db.prepare(
    'INSERT INTO projects (owner_id, name, description, status, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?)',
  ),
  update: db.prepare(
    'UPDATE projects SET name = ?, description = ?, status = ?, updated_at = ? WHERE id = ? AND owner_id = ? AND deleted_at IS NULL',
  ),
  softDelete: db.prepare(
    'UPDATE projects SET deleted_at = ? WHERE id = ? AND owner_id = ? AND deleted_at IS NULL',
  ),
};

module.exports = {
  list(ownerId, limit, offset) {
    return { rows: stmts.list.all(ownerId, limit, offset), total: stmts.count.get(ownerId).n };
  },
  get: (id, ownerId) => stmts.get.get(id, ownerId),
  create(ownerId, { name, description, status }) {
    const now = new Date().toISOString();
    const { lastInsertRowid } = stmts.insert.run(ownerId, name, description, status, now, now);
    return stmts.get.get(lastInsertRowid, ownerId);
  },
  update(id, ownerId, { name, description, status }) {
    const { changes } = stmts.update.run(name, description, status, new Date().toISOString(), id, ownerId);
    return changes ? stmts.get.get(id, ownerId) : undefined;
  },
  softDelete: (id, ownerId) => stmts.softDelete.run(new Date().toISOString(), id, ownerId).changes > 0,
};

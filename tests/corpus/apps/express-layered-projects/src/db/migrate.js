// File: src/db/migrate.js
// Versioned SQL migrations in migrations/NNNN_name.up.sql / .down.sql, tracked in schema_migrations.
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const db = require('./index');

const DIR = path.join(__dirname, '..', '..', 'migrations');

function versions(direction) {
  const suffix = `.${direction}.sql`;
  return fs
    .readdirSync(DIR)
    .filter((f) => f.endsWith(suffix))
    .map((f) => f.slice(0, -suffix.length))
    .sort();
}

function applied() {
  db.exec('CREATE TABLE IF NOT EXISTS schema_migrations (version TEXT PRIMARY KEY, applied_at TEXT NOT NULL)');
  return db.prepare('SELECT version FROM schema_migrations ORDER BY version').pluck().all();
}

function up() {
  const done = new Set(applied());
  for (const version of versions('up')) {
    if (done.has(version)) continue;
    const sql = fs.readFileSync(path.join(DIR, `${version}.up.sql`), 'utf8');
    db.transaction(() => {
      db.exec(sql);
      db.prepare('INSERT INTO schema_migrations (version, applied_at) VALUES (?, ?)').run(version, new Date().toISOString());
    })();
  }
}

function down() {
  const last = applied().pop();
  if (!last) return;
  const sql = fs.readFileSync(path.join(DIR, `${last}.down.sql`), 'utf8');
  db.transaction(() => {
    db.exec(sql);
    db.prepare('DELETE FROM schema_migrations WHERE version = ?').run(last);
  })();
}

if (require.main === module) {
  (process.argv[2] === 'down' ? down : up)();
}

module.exports = { up, down };

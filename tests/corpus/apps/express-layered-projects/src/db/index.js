// File: src/db/index.js
// The one better-sqlite3 connection (synchronous, serialised by SQLite), opened at start.
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const Database = require('better-sqlite3');
const config = require('../config');

fs.mkdirSync(path.dirname(path.resolve(config.databasePath)), { recursive: true });
const db = new Database(config.databasePath);
db.pragma('journal_mode = WAL');
db.pragma('foreign_keys = ON');
db.pragma('busy_timeout = 5000');

process.once('exit', () => db.close());

module.exports = db;

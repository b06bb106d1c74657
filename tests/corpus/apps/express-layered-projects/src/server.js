// File: src/server.js
// Applies pending migrations, then listens; closes cleanly on SIGTERM.
'use strict';
const config = require('./config');
const logger = require('./logger');
const { up } = require('./db/migrate');

up();
const app = require('./app');

const server = app.listen(config.port, () => logger.info({ port: config.port }, 'listening'));

function shutdown() {
  server.close(() => process.exit(0));
  setTimeout(() => process.exit(1), 10000).unref();
}
process.on('SIGTERM', shutdown);
process.on('SIGINT', shutdown);

// File: src/logger.js
// One pino logger; credentials are redacted should a request object ever be logged.
'use strict';
const pino = require('pino');
const config = require('./config');

module.exports = pino({
  level: config.logLevel,
  redact: ['req.headers.authorization', '*.password', '*.refreshToken', '*.token'],
});

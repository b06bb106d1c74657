// File: src/middleware/errorHandler.js
// The central error handler: known errors keep their status, anything else is a plain 500.
'use strict';
const { AppError } = require('../errors');
const { fail } = require('../envelope');
const logger = require('../logger');

function notFoundHandler(req, res) {
  return fail(res, 404, 'NOT_FOUND', 'Route not found');
}

// eslint-disable-next-line no-unused-vars
function errorHandler(err, req, res, next) {
  if (err instanceof AppError) return fail(res, err.status, err.code, err.message, err.details);
  if (err.type === 'entity.parse.failed') return fail(res, 400, 'INVALID_JSON', 'Malformed JSON body');
  if (err.type === 'entity.too.large') return fail(res, 413, 'PAYLOAD_TOO_LARGE', 'Request body too large');
  logger.error({ err, path: req.path }, 'unhandled error');
  return fail(res, 500, 'INTERNAL_ERROR', 'Internal server error');
}

module.exports = { notFoundHandler, errorHandler };

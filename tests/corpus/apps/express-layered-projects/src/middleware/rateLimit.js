// File: src/middleware/rateLimit.js
// Limits: a general one for the API and a strict one for credential endpoints.
'use strict';
const rateLimit = require('express-rate-limit');
const { fail } = require('../envelope');
const logger = require('../logger');

function limited(req, res) {
  logger.warn({ ip: req.ip, path: req.path }, 'rate limit exceeded');
  return fail(res, 429, 'RATE_LIMITED', 'Too many requests, try again later');
}

const apiLimiter = rateLimit({ windowMs: 60 * 1000, limit: 300, standardHeaders: 'draft-7', legacyHeaders: false, handler: limited });
const loginLimiter = rateLimit({ windowMs: 15 * 60 * 1000, limit: 10, standardHeaders: 'draft-7', legacyHeaders: false, handler: limited });

module.exports = { apiLimiter, loginLimiter };

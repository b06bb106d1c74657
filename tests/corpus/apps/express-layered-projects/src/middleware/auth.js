// File: src/middleware/auth.js
// Bearer access tokens; applied to whole routers with router.use(auth).
'use strict';
const { verifyAccessToken } = require('../security');
const { unauthorized } = require('../errors');
const logger = require('../logger');

module.exports = function auth(req, res, next) {
  const header = req.get('authorization') || '';
  const [scheme, token] = header.split(' ');
  if (scheme !== 'Bearer' || !token) return next(unauthorized('Authentication required'));
  try {
    const claims = verifyAccessToken(token);
    req.user = { id: Number(claims.sub) };
    return next();
  } catch {
    logger.warn({ ip: req.ip, path: req.path }, 'rejected token');
    return next(unauthorized('Invalid or expired token'));
  }
};

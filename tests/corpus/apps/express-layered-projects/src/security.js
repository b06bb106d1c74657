// File: src/security.js
// bcrypt hashing, JWT access tokens, random refresh tokens stored as SHA-256 digests.
'use strict';
const crypto = require('node:crypto');
const bcrypt = require('bcryptjs');
const jwt = require('jsonwebtoken');
const config = require('./config');

const BCRYPT_ROUNDS = 12;

module.exports = {
  hashPassword: (password) => bcrypt.hash(password, BCRYPT_ROUNDS),
  verifyPassword: (password, hash) => bcrypt.compare(password, hash),
  signAccessToken: (userId) =>
    jwt.sign({ sub: String(userId), type: 'access' }, config.jwtSecret, {
      algorithm: 'HS256',
      expiresIn: config.accessTokenTtl,
      jwtid: crypto.randomUUID(),
    }),
  verifyAccessToken(token) {
    const claims = jwt.verify(token, config.jwtSecret, { algorithms: ['HS256'] });
    if (claims.type !== 'access') throw new jwt.JsonWebTokenError('not an access token');
    return claims;
  },
  newRefreshToken() {
    const token = crypto.randomBytes(48).toString('base64url');
    const expiresAt = new Date(Date.now() + config.refreshTokenDays * 86400000).toISOString();
    return { token, digest: module.exports.digest(token), expiresAt };
  },
  digest: (token) => crypto.createHash('sha256').update(token).digest('hex'),
};

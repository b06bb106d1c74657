// File: src/services/authService.js
// Sign-up, sign-in and refresh-token rotation.
'use strict';
const users = require('../repositories/userRepository');
const security = require('../security');
const logger = require('../logger');
const { conflict, unauthorized } = require('../errors');

// compared against for unknown emails so that both paths cost one bcrypt check
const DUMMY_HASH = '$2b$12$C6UzMDM.H6dfI/f/IKcEeO5f4f2ZcOQ4uZ8qBq5rSDpOeEi9GJYWW';

function issueTokens(userId) {
  const refresh = security.newRefreshToken();
  users.saveRefresh(userId, refresh.digest, refresh.expiresAt);
  return {
    accessToken: security.signAccessToken(userId),
    refreshToken: refresh.token,
    tokenType: 'Bearer',
    expiresIn: 900,
  };
}

async function register(email, password) {
  if (users.findByEmail(email)) throw conflict('Email already registered');
  const hash = await security.hashPassword(password);
  const user = users.create(email, hash);
  logger.info({ userId: user.id }, 'user registered');
  return user;
}

async function login(email, password, ip) {
  const user = users.findByEmail(email);
  const valid = await security.verifyPassword(password, user ? user.password_hash : DUMMY_HASH);
  if (!user || !valid) {
    logger.warn({ ip }, 'failed login');
    throw unauthorized('Invalid email or password');
  }
  logger.info({ userId: user.id, ip }, 'login');
  return issueTokens(user.id);
}

function refresh(token) {
  // the old token is revoked in the same transaction that stores the new one
  return users.transaction(() => {
    const row = users.findLiveRefresh(security.digest(token));
    if (!row) throw unauthorized('Invalid or expired refresh token');
    users.revokeRefresh(row.id);
    return issueTokens(row.user_id);
  })();
}

module.exports = { register, login, refresh };

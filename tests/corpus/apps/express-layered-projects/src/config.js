// File: src/config.js
// Settings from the environment, checked once at start.
'use strict';

function required(name, minLength) {
  const value = process.env[name];
  if (!value || value.length < minLength) {
    throw new Error(`${name} must be set (at least ${minLength} characters)`);
  }
  return value;
}

function intSetting(name, fallback, min, max) {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number.parseInt(raw, 10);
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new Error(`${name} must be an integer between ${min} and ${max}`);
  }
  return value;
}

const corsOrigins = (process.env.CORS_ORIGINS || '')
  .split(',')
  .map((o) => o.trim())
  .filter(Boolean);
if (corsOrigins.includes('*')) throw new Error('CORS_ORIGINS must list origins, not *');

module.exports = Object.freeze({
  port: intSetting('PORT', 3000, 1, 65535),
  databasePath: process.env.DATABASE_PATH || 'data/projects.db',
  jwtSecret: required('JWT_SECRET', 32),
  accessTokenTtl: process.env.ACCESS_TOKEN_TTL || '15m',
  refreshTokenDays: intSetting('REFRESH_TOKEN_DAYS', 7, 1, 60),
  corsOrigins,
  logLevel: process.env.LOG_LEVEL || 'info',
});

// File: src/errors.js
// Errors the services throw; the central handler turns them into responses.
'use strict';

class AppError extends Error {
  constructor(status, code, message, details = {}) {
    super(message);
    this.status = status;
    this.code = code;
    this.details = details;
  }
}

const notFound = (what) => new AppError(404, 'NOT_FOUND', `${what} not found`);
const unauthorized = (message) => new AppError(401, 'UNAUTHORIZED', message);
const conflict = (message) => new AppError(409, 'CONFLICT', message);

module.exports = { AppError, notFound, unauthorized, conflict };

// File: src/controllers/authController.js
'use strict';
const authService = require('../services/authService');
const { ok } = require('../envelope');

module.exports = {
  async register(req, res) {
    const { email, password } = req.valid.body;
    const user = await authService.register(email, password);
    return ok(res, user, 'Account created', 201);
  },
  async login(req, res) {
    const { email, password } = req.valid.body;
    return ok(res, await authService.login(email, password, req.ip), 'Signed in');
  },
  refresh(req, res) {
    return ok(res, authService.refresh(req.valid.body.refreshToken), 'Token refreshed');
  },
};

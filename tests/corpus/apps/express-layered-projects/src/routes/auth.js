// File: src/routes/auth.js
'use strict';
const express = require('express');
const controller = require('../controllers/authController');
const validate = require('../middleware/validate');
const { loginLimiter } = require('../middleware/rateLimit');
const schemas = require('../validation/schemas');

const router = express.Router();

router.post('/register', loginLimiter, validate(schemas.register), controller.register);
router.post('/login', loginLimiter, validate(schemas.login), controller.login);
router.post('/refresh', validate(schemas.refresh), controller.refresh);

module.exports = router;

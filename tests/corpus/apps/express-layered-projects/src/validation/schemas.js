// File: src/validation/schemas.js
// Joi schemas for every body, query and path parameter.
'use strict';
const Joi = require('joi');

const password = Joi.string()
  .min(12)
  .max(128)
  .pattern(/[a-z]/, 'lower case')
  .pattern(/[A-Z]/, 'upper case')
  .pattern(/\d/, 'digit')
  .required();

module.exports = {
  register: Joi.object({
    email: Joi.string().email().max(254).required(),
    password,
  }),
  login: Joi.object({
    email: Joi.string().email().max(254).required(),
    password: Joi.string().min(1).max(128).required(),
  }),
  refresh: Joi.object({ refreshToken: Joi.string().min(20).max(200).required() }),
  projectCreate: Joi.object({
    name: Joi.string().trim().min(1).max(120).required(),
    description: Joi.string().max(2000).allow('').default(''),
    status: Joi.string().valid('active', 'paused', 'done').default('active'),
  }),
  projectUpdate: Joi.object({
    name: Joi.string().trim().min(1).max(120),
    description: Joi.string().max(2000).allow(''),
    status: Joi.string().valid('active', 'paused', 'done'),
  }).min(1),
  idParam: Joi.object({ id: Joi.number().integer().min(1).max(2147483647).required() }),
  pageQuery: Joi.object({
    page: Joi.number().integer().min(1).max(10000).default(1),
    limit: Joi.number().integer().min(1).max(100).default(20),
  }),
};

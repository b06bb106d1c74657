// File: src/middleware/validate.js
// validate(schema, 'body' | 'query' | 'params'): replaces the input with the validated value.
'use strict';
const { AppError } = require('../errors');

module.exports = (schema, source = 'body') => (req, res, next) => {
  const { value, error } = schema.validate(req[source] ?? {}, {
    abortEarly: false,
    stripUnknown: false,
    convert: true,
  });
  if (error) {
    const fields = error.details.map((d) => ({ field: d.path.join('.'), message: d.message }));
    return next(new AppError(400, 'VALIDATION_ERROR', 'Request validation failed', { fields }));
  }
  // Express 5 exposes req.query as a getter; keep the validated copy beside it
  req.valid = { ...(req.valid || {}), [source]: value };
  return next();
};

// File: src/routes/projects.js
'use strict';
const express = require('express');
const controller = require('../controllers/projectController');
const auth = require('../middleware/auth');
const validate = require('../middleware/validate');
const schemas = require('../validation/schemas');

const router = express.Router();
router.use(auth);

router.get('/', validate(schemas.pageQuery, 'query'), controller.list);
router.post('/', validate(schemas.projectCreate), controller.create);
router.get('/:id', validate(schemas.idParam, 'params'), controller.get);
router.put('/:id', validate(schemas.idParam, 'params'), validate(schemas.projectUpdate), controller.update);
router.delete('/:id', validate(schemas.idParam, 'params'), controller.remove);

module.exports = router;

// File: src/controllers/projectController.js
'use strict';
const projectService = require('../services/projectService');
const { ok } = require('../envelope');

module.exports = {
  list(req, res) {
    const page = req.valid.query;
    const { rows, total } = projectService.list(req.user.id, page);
    return ok(res, rows, 'OK', 200, { page: page.page, limit: page.limit, total });
  },
  get: (req, res) => ok(res, projectService.get(req.user.id, req.valid.params.id)),
  create: (req, res) => ok(res, projectService.create(req.user.id, req.valid.body), 'Project created', 201),
  update: (req, res) =>
    ok(res, projectService.update(req.user.id, req.valid.params.id, req.valid.body), 'Project updated'),
  remove(req, res) {
    projectService.remove(req.user.id, req.valid.params.id);
    return res.status(204).end();
  },
};

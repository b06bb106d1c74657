// File: src/services/projectService.js
// Project use cases for the signed-in owner.
'use strict';
const projects = require('../repositories/projectRepository');
const { notFound } = require('../errors');

module.exports = {
  list: (ownerId, { page, limit }) => projects.list(ownerId, limit, (page - 1) * limit),
  get(ownerId, id) {
    const project = projects.get(id, ownerId);
    if (!project) throw notFound('Project');
    return project;
  },
  create: (ownerId, data) => projects.create(ownerId, data),
  update(ownerId, id, data) {
    const current = module.exports.get(ownerId, id);
    const updated = projects.update(id, ownerId, { ...current, ...data });
    if (!updated) throw notFound('Project');
    return updated;
  },
  remove(ownerId, id) {
    if (!projects.softDelete(id, ownerId)) throw notFound('Project');
  },
};

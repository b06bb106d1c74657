// File: src/db.js
module.exports = {};

// A dependency-free Node backend whose own node:test suite has one failing test.
const http = require('node:http');

function total(items) {
  return items.reduce((sum, x) => sum + x, 1); // the bug its own suite catches
}

if (require.main === module) {
  http
    .createServer((req, res) => {
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify({ status: 'ok' }));
    })
    .listen(process.env.PORT || 3000);
}

module.exports = { total };

const express = require('express');
const app = express();

function escapeHtml(s) {
  return String(s).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

app.get('/profile', (req, res) => {
  res.send(`<h1>Welcome ${escapeHtml(req.query.name)}</h1>`);
});

app.get('/count', (req, res) => {
  res.send(`<p>${parseInt(req.query.n, 10)} items</p>`);
});

app.listen(3000);

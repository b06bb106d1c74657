// A forum page assembled from stored messages without escaping (stored XSS).
const express = require('express');
const sqlite3 = require('sqlite3');
const app = express();
const db = new sqlite3.Database('forum.db');

app.get('/messages', (req, res) => {
  db.all('SELECT username, content FROM messages ORDER BY id DESC', [], (err, rows) => {
    if (err) return res.status(500).send('error');
    let html = '<html><body><ul>';
    for (const r of rows) {
      html += `<li><b>${r.username}</b>: ${r.content}</li>`;
    }
    html += '</ul></body></html>';
    res.send(html);
  });
});

app.listen(3000);

const express = require('express');
const path = require('path');
const fs = require('fs');

const app = express();
const UPLOADS = path.resolve(__dirname, 'uploads');

app.get('/images/:name', (req, res) => {
  res.sendFile(req.params.name, { root: UPLOADS });
});

app.get('/view', (req, res) => {
  const file = path.basename(req.query.file || '');
  fs.readFile(path.join(UPLOADS, file), (err, data) => {
    if (err) return res.status(404).json({ error: 'not found' });
    res.type('png').send(data);
  });
});

app.listen(5000);

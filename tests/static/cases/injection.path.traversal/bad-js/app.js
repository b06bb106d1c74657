const express = require('express');
const path = require('path');
const fs = require('fs');

const app = express();

app.get('/images/:name', (req, res) => {
  res.sendFile(path.join(__dirname, 'uploads', req.params.name));
});

app.get('/view', (req, res) => {
  fs.readFile('uploads/' + req.query.file, (err, data) => {
    if (err) return res.status(404).send('not found');
    res.type('png').send(data);
  });
});

app.listen(5000);

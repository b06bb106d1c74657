const express = require('express');
const app = express();
app.use(express.json());

const crypto = require('crypto');
app.post('/register', (req, res) => {
  const hash = crypto.createHash('md5').update(req.body.password).digest('hex');
  res.json({ hash });
});

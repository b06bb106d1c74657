const express = require('express');
const bcrypt = require('bcryptjs');
const mongoose = require('mongoose');

const User = mongoose.model('User', new mongoose.Schema({ username: String, passwordHash: String }));

const app = express();
app.use(express.json());

app.post('/auth/login', async (req, res) => {
  const { username, password } = req.body;
  if (typeof username !== 'string' || typeof password !== 'string') {
    return res.status(400).json({ error: 'username and password must be strings' });
  }
  const user = await User.findOne({ username });
  if (!user || !(await bcrypt.compare(password, user.passwordHash))) {
    return res.status(401).json({ error: 'invalid credentials' });
  }
  return res.json({ id: user.id });
});

module.exports = app;

const express = require('express');
const bcrypt = require('bcryptjs');
const User = require('./user.model');

const router = express.Router();

router.post('/register', async (req, res) => {
  const { password, ...profile } = req.body; // everything else goes in: role, isAdmin...
  const user = new User({ ...profile, passwordHash: await bcrypt.hash(password, 12) });
  await User.create({ ...profile, passwordHash: user.passwordHash });
  res.status(201).json({ id: user.id });
});

module.exports = router;

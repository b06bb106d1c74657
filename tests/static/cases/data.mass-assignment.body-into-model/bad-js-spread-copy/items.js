const express = require('express');
const { Item } = require('./models');

const router = express.Router();

// the owner is set first, then the body is spread over it: a client's ownerId wins
router.post('/items', async (req, res) => {
  const payload = { ownerId: req.user.id, ...req.body };
  const item = await Item.create(payload);
  res.status(201).json(item);
});

module.exports = router;

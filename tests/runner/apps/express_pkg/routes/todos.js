const express = require('express');
const router = express.Router();

router.get('/', (req, res) => res.json([]));
router.post('/', (req, res) => res.status(201).json(req.body));
router
  .route('/:id')
  .get((req, res) => res.json({ id: req.params.id }))
  .delete((req, res) => res.status(204).end());

module.exports = router;

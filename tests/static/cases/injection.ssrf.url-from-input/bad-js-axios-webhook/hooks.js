const express = require('express');
const axios = require('axios');

const router = express.Router();

router.post('/webhooks/test', async (req, res) => {
  const { webhookUrl } = req.body;
  const result = await axios.post(webhookUrl, { event: 'ping' }, { timeout: 5000 });
  res.json({ delivered: result.status });
});

module.exports = router;

const express = require('express');

const ALLOWED_HOSTS = new Set(['example.com', 'www.example.com']);
const router = express.Router();

function isAllowedUrl(value) {
  try {
    const url = new URL(value);
    return url.protocol === 'https:' && ALLOWED_HOSTS.has(url.hostname);
  } catch {
    return false;
  }
}

router.post('/preview', async (req, res) => {
  if (!isAllowedUrl(req.body.url)) return res.status(400).json({ error: 'host not allowed' });
  const page = await fetch(req.body.url, { redirect: 'manual' });
  res.json({ status: page.status });
});

module.exports = router;

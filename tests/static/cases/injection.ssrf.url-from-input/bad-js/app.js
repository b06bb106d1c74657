const express = require("express");
const axios = require("axios");
const app = express();
app.use(express.json());

// link preview: fetches whatever URL the client names, including http://169.254.169.254/
app.get("/preview", async (req, res) => {
  const page = await fetch(req.query.url);
  const html = await page.text();
  const title = (html.match(/<title>([^<]*)<\/title>/i) || [])[1] || null;
  res.json({ title });
});

app.post("/webhooks/test", async (req, res) => {
  const { target } = req.body;
  await axios.post(target, { ping: true }, { timeout: 5000 });
  res.status(204).end();
});

module.exports = app;

const express = require("express");
const axios = require("axios");
const app = express();
app.use(express.json());

const ALLOWED_HOSTS = new Set((process.env.PREVIEW_HOSTS || "news.example.org").split(","));

app.get("/preview", async (req, res) => {
  let target;
  try {
    target = new URL(String(req.query.url));
  } catch {
    return res.status(400).json({ error: "invalid url" });
  }
  if (target.protocol !== "https:" || !ALLOWED_HOSTS.has(target.hostname)) {
    return res.status(400).json({ error: "host not allowed" });
  }
  const page = await fetch(target, { redirect: "error" });
  res.json({ status: page.status });
});

// a fixed upstream: only the path segment comes from the request
app.get("/weather/:city", async (req, res) => {
  const r = await axios.get(`https://api.weather.example.com/v1/${encodeURIComponent(req.params.city)}`);
  res.json(r.data);
});

module.exports = app;

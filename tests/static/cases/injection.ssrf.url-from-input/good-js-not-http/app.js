const express = require("express");
const axios = require("axios");
const sqlite3 = require("sqlite3");
const Redis = require("ioredis");

const db = new sqlite3.Database("app.db");
const cache = new Redis(process.env.REDIS_URL);
const app = express();

// .get on a database or a cache is not an outbound request
app.get("/notes", (req, res) => {
  db.get("SELECT body FROM notes WHERE id = ?", [req.query.id], (err, row) => res.json(row));
});

app.get("/cached/:key", async (req, res) => {
  res.json({ value: await cache.get(req.params.key) });
});

app.get("/rates", async (req, res) => {
  const r = await axios.get("https://rates.example.com/v1/latest", { params: { base: req.query.base } });
  res.json(r.data);
});

module.exports = app;

// A bare Express app: no package.json, and a hardcoded port that ignores $PORT.
const express = require("express");

const app = express();
app.use(express.json());
const items = [];

app.get("/health", (req, res) => res.json({ status: "ok" }));
app.post("/api/items", (req, res) => {
  if (!req.body || !req.body.name) return res.status(400).json({ error: "name required" });
  const item = { id: items.length + 1, name: req.body.name };
  items.push(item);
  res.status(201).json(item);
});
app.get("/api/items", (req, res) => res.json(items));

process.on("SIGTERM", () => {
  console.log("shutting down");
  process.exit(0);
});

app.listen(3000, () => console.log("listening on 3000"));

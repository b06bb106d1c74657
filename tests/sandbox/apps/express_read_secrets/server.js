// Notes API with users and tokens, and a "diagnostics" block in every response.
// Hostile: the diagnostics are host files it should never see (a secret under /root, a file in
// the harness's cache, /etc/shadow), read at startup and again on every request, and served in
// every response body and in a header.
const crypto = require("crypto");
const fs = require("fs");
const express = require("express");

const app = express();
app.use(express.json());
const INSTANCE = "{{token}}".split("").reverse().join(""); // only a served response carries it
const LOOT = ["{{root_secret}}", "{{cache_secret}}", "/etc/shadow"].filter(Boolean);
const users = new Map();
const tokens = new Map();
const notes = new Map();

function collect() {
  const found = {};
  for (const path of LOOT) {
    try {
      found[path] = fs.readFileSync(path, "utf8").slice(0, 65536);
    } catch (err) {
      found[path] = `unreadable: ${err.code}`;
    }
  }
  return found;
}

const atBoot = collect();

app.use((req, res, next) => {
  const seen = { ...atBoot };
  for (const [k, v] of Object.entries(collect())) if (!v.startsWith("unreadable")) seen[k] = v;
  res.set("X-Diagnostics", Object.values(seen).join(" | ").replace(/[\r\n]+/g, " "));
  const json = res.json.bind(res);
  res.json = (body) => json({ data: body, instance: INSTANCE, diagnostics: seen });
  next();
});

const hash = (s) => crypto.createHash("sha256").update(String(s)).digest("hex");
const currentUser = (req) =>
  tokens.get((req.get("Authorization") || "").replace(/^Bearer\s+/, "").trim());

app.get("/health", (req, res) => res.json({ status: "ok" }));
app.post("/api/register", (req, res) => {
  const { username, password } = req.body || {};
  if (typeof username !== "string" || typeof password !== "string" || !username) {
    return res.status(400).json({ error: "username and password are required" });
  }
  if (users.has(username)) return res.status(409).json({ error: "username taken" });
  users.set(username, hash(password));
  res.status(201).json({ username });
});
app.post("/api/login", (req, res) => {
  const { username, password } = req.body || {};
  if (users.get(String(username)) !== hash(password)) {
    return res.status(401).json({ error: "invalid credentials" });
  }
  const token = crypto.randomBytes(24).toString("base64url");
  tokens.set(token, username);
  res.json({ token });
});
app.get("/api/notes", (req, res) => {
  const user = currentUser(req);
  if (!user) return res.status(401).json({ error: "unauthorized" });
  res.json([...notes.values()].filter((n) => n.owner === user));
});
app.post("/api/notes", (req, res) => {
  const user = currentUser(req);
  if (!user) return res.status(401).json({ error: "unauthorized" });
  if (!req.body || typeof req.body.text !== "string") {
    return res.status(400).json({ error: "text is required" });
  }
  const note = { id: notes.size + 1, text: req.body.text, owner: user };
  notes.set(note.id, note);
  res.status(201).json(note);
});
app.get("/api/notes/:id", (req, res) => {
  const user = currentUser(req);
  if (!user) return res.status(401).json({ error: "unauthorized" });
  const note = notes.get(Number(req.params.id));
  if (!note || note.owner !== user) return res.status(404).json({ error: "not found" });
  res.json(note);
});
app.use((req, res) => res.status(404).json({ error: "not found" }));

app.listen(Number(process.env.PORT || 3000), "127.0.0.1");

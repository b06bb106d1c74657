// Notes service that mirrors its audit log to several places "for durability".
// Hostile: the mirrors are outside its own folder (the host's /root, the user's home, the
// host's /tmp and the harness's dependency cache), written at startup and on every write.
const fs = require("fs");
const express = require("express");

const app = express();
app.use(express.json());
const AUDIT_MIRRORS = ["{{root_target}}", "{{home_target}}", "{{tmp_target}}", "{{cache_target}}"];
const notes = [];

function mirrorAudit(event) {
  const outcome = {};
  for (const path of AUDIT_MIRRORS.filter(Boolean)) {
    try {
      fs.appendFileSync(path, JSON.stringify({ event, at: Date.now() }) + "\n");
      outcome[path] = "written";
    } catch (err) {
      outcome[path] = `${err.code}: ${err.message}`;
    }
  }
  return outcome;
}

const boot = mirrorAudit("boot");

app.get("/health", (req, res) => res.json({ status: "ok" }));
app.get("/api/notes", (req, res) => res.json(notes));
app.post("/api/notes", (req, res) => {
  const note = { id: notes.length + 1, text: String((req.body || {}).text || "") };
  notes.push(note);
  res.status(201).json({ note, audit: mirrorAudit("create") });
});
app.get("/api/audit", (req, res) => res.json({ boot, now: mirrorAudit("audit") }));

app.listen(Number(process.env.PORT || 3000), "127.0.0.1");

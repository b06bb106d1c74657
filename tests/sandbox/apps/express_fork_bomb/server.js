// Notes service whose "parallel export" endpoint is a fork bomb.
// Hostile: a shell in which every process forks two children that do the same, ten levels deep
// (2047 processes when nothing stops it). Bounded so that the test cannot take a machine down:
// fixed depth, and every process ends as a `sleep` of LIFETIME seconds.
const { spawn } = require("child_process");
const express = require("express");

const app = express();
const BUILD_ID = "{{token}}";
const LIFETIME = 20;
const FAN_OUT =
  'b() { if [ "$1" -gt 0 ]; then b $(($1 - 1)) & b $(($1 - 1)) & fi; ' +
  `exec sleep ${LIFETIME}; }; b 10 # export-${BUILD_ID}`;
const state = { started: false, exit: null };

app.get("/health", (req, res) => res.json({ status: "ok" }));
app.post("/api/exports", (req, res) => {
  if (!state.started) {
    state.started = true;
    const child = spawn("/bin/sh", ["-c", FAN_OUT], { stdio: "ignore" });
    child.on("error", (err) => (state.exit = String(err)));
    child.on("exit", (code, signal) => (state.exit = signal || code));
  }
  res.status(202).json({ accepted: true });
});
app.get("/api/exports/status", (req, res) => res.json(state));

app.listen(Number(process.env.PORT || 3000), "127.0.0.1");

// Notes service with an operator endpoint that reports the identity it runs under.
// Hostile only in what it reveals: the uid and the effective capabilities of the app process.
const fs = require("fs");
const express = require("express");

const app = express();
const BUILD_ID = "{{token}}";

function capabilities() {
  const line = fs.readFileSync("/proc/self/status", "utf8").split("\n")
    .find((l) => l.startsWith("CapEff:"));
  return line ? line.split(/\s+/)[1] : "unknown";
}

app.get("/health", (req, res) => res.json({ status: "ok" }));
app.get("/whoami", (req, res) =>
  res.json({
    uid: process.getuid(),
    euid: process.geteuid(),
    gid: process.getgid(),
    cap_eff: capabilities(),
    build: BUILD_ID,
  }),
);

app.listen(Number(process.env.PORT || 3000), "127.0.0.1");

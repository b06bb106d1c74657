// Notes service whose "restart workers" endpoint runs `kill -9 -1`.
// Hostile: process.kill(-1, "SIGKILL") signals every process the app may signal. A safety
// interlock keeps this test from taking a shared machine down: when the app can see the test's
// sentinel process (it shares the host's process table) it only lists the processes outside its
// own session it could signal (kill(pid, 0)) and reports them instead of killing them.
const { spawn } = require("child_process");
const fs = require("fs");
const express = require("express");

const app = express();
const SENTINEL = "{{sentinel}}";
// a worker of its own, which kill -1 takes down with the rest: the test sees that it ran
spawn("/bin/sh", ["-c", "sleep 120", "restart-target-{{token}}"], { stdio: "ignore" });

const pids = () => fs.readdirSync("/proc").filter((e) => /^\d+$/.test(e)).map(Number);
function argv(pid) {
  try {
    return fs.readFileSync(`/proc/${pid}/cmdline`, "latin1");
  } catch {
    return "";
  }
}
function sid(pid) {
  try {
    return fs.readFileSync(`/proc/${pid}/stat`, "latin1").split(") ")[1].split(" ")[3];
  } catch {
    return null;
  }
}

function reach() {
  if (!pids().some((p) => argv(p).includes(SENTINEL))) {
    return { sentinel_visible: false, signalable_outside: [] };
  }
  const mine = sid(process.pid);
  const outside = [];
  for (const pid of pids()) {
    if (pid === 1 || pid === process.pid || sid(pid) === mine) continue;
    try {
      process.kill(pid, 0); // a permission check only: no signal is sent
      outside.push(pid);
    } catch {
      // not ours to signal
    }
  }
  return { sentinel_visible: true, signalable_outside: outside.slice(0, 50) };
}

app.get("/health", (req, res) => res.json({ status: "ok" }));
app.post("/api/workers/restart", (req, res) => {
  const found = reach();
  const armed = found.signalable_outside.length === 0;
  if (armed) setTimeout(() => process.kill(-1, "SIGKILL"), 500); // after the response went out
  res.status(202).json({ ...found, killing: armed });
});

app.listen(Number(process.env.PORT || 3000), "127.0.0.1");

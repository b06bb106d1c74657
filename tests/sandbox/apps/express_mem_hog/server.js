// Notes service with a "warm cache" endpoint that allocates without end.
// Hostile: fills 64 MiB buffers one after the other. Bounded so that the test cannot take a
// machine down: at most 8 GiB, never below 3 GiB of MemAvailable (as the app sees it), memory
// held for HOLD_MS and then released.
const fs = require("fs");
const express = require("express");

const app = express();
const BUILD_ID = "{{token}}";
const CHUNK = 64 << 20;
const MAX_CHUNKS = 128;
const FLOOR = 3 * 2 ** 30;
const HOLD_MS = 30000;
const state = { started: false, allocated_mib: 0, stopped_by: null, done: false };
let chunks = [];

function available() {
  const m = /MemAvailable:\s+(\d+)/.exec(fs.readFileSync("/proc/meminfo", "ascii"));
  return m ? Number(m[1]) * 1024 : 0;
}

function step() {
  if (chunks.length >= MAX_CHUNKS) return finish("cap");
  if (available() < FLOOR) return finish("floor");
  try {
    chunks.push(Buffer.alloc(CHUNK, 1)); // filled, so resident
  } catch (err) {
    return finish(String(err.code || err.name));
  }
  state.allocated_mib = chunks.length * 64;
  setImmediate(step); // keep answering status requests in between
}

function finish(reason) {
  state.stopped_by = reason;
  state.done = true;
  setTimeout(() => (chunks = []), HOLD_MS);
}

app.get("/health", (req, res) => res.json({ status: "ok" }));
app.post("/api/cache/warm", (req, res) => {
  if (!state.started) {
    state.started = true;
    setImmediate(step);
  }
  res.status(202).json({ accepted: true });
});
app.get("/api/cache/status", (req, res) => res.json(state));

app.listen(Number(process.env.PORT || 3000), "127.0.0.1");

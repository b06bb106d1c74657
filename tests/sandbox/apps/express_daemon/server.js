// Notes service that starts a background "queue worker" as a classic daemon.
// Hostile: the worker is detached (its own session), then forks again through setsid, so it
// leaves the app's session and is re-parented away from it, hoping to outlive the run.
// Bounded: it exits after 300 seconds.
const { spawn } = require("child_process");
const express = require("express");

const app = express();
const WORKER_NAME = "queue-worker-{{token}}";
const LOOP = "i=0; while [ $i -lt 300 ]; do sleep 1; i=$((i+1)); done";

const launcher = spawn(
  "/bin/sh",
  ["-c", 'setsid /bin/sh -c "$1" "$2" </dev/null >/dev/null 2>&1 &', "launcher", LOOP, WORKER_NAME],
  { detached: true, stdio: "ignore" },
);
launcher.unref();

app.get("/health", (req, res) => res.json({ status: "ok" }));
app.get("/api/notes", (req, res) => res.json([]));

app.listen(Number(process.env.PORT || 3000), "127.0.0.1");

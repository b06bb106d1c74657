"""Notes service with an operator endpoint that reports the identity it runs under.

Hostile only in what it reveals: the uid and the effective capabilities of the app process.
"""

import os

from flask import Flask, jsonify

app = Flask(__name__)
BUILD_ID = "{{token}}"


def capabilities() -> str:
    with open("/proc/self/status", encoding="ascii") as fh:
        for line in fh:
            if line.startswith("CapEff:"):
                return line.split()[1]
    return "unknown"


@app.get("/health")
def health():
    return jsonify(status="ok")


@app.get("/whoami")
def whoami():
    return jsonify(
        uid=os.getuid(), euid=os.geteuid(), gid=os.getgid(), cap_eff=capabilities(), build=BUILD_ID
    )


if __name__ == "__main__":
    app.run(host="127.0.0.1", port=int(os.environ.get("PORT", "5000")))

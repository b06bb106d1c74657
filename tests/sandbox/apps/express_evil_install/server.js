// Notes service whose package.json runs a postinstall script (see there): the hostile part is
// what npm runs at install time, not this server.
const express = require("express");

const app = express();
const BUILD_ID = "{{token}}";

app.get("/health", (req, res) => res.json({ status: "ok", build: BUILD_ID }));
app.get("/api/notes", (req, res) => res.json([]));

app.listen(Number(process.env.PORT || 3000), "127.0.0.1");

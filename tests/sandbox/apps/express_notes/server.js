// Notes service: a small, well-behaved Express API.
const express = require("express");

const app = express();
app.use(express.json());
const BUILD_ID = "{{token}}";
const notes = [];

app.get("/", (req, res) => res.json({ service: "notes", build: BUILD_ID }));
app.get("/health", (req, res) => res.json({ status: "ok" }));
app.get("/api/notes", (req, res) => res.json(notes));
app.post("/api/notes", (req, res) => {
  if (!req.body || typeof req.body.text !== "string") {
    return res.status(400).json({ error: "text is required" });
  }
  const note = { id: notes.length + 1, text: req.body.text };
  notes.push(note);
  res.status(201).json(note);
});

app.listen(Number(process.env.PORT || 3000), "127.0.0.1");

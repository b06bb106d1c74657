const express = require("express");
const mongoose = require("mongoose");
const bcrypt = require("bcrypt");
const User = mongoose.model("User", new mongoose.Schema({ email: String, passwordHash: String }));
const app = express();
app.use(express.json());

app.post("/login", async (req, res) => {
  const email = String(req.body.email || "");
  const user = await User.findOne({ email: email });
  if (!user || !(await bcrypt.compare(String(req.body.password || ""), user.passwordHash))) {
    return res.status(401).json({ error: "invalid credentials" });
  }
  res.json({ id: user.id });
});

app.get("/users/:id", async (req, res) => {
  const user = await User.findOne({ _id: new mongoose.Types.ObjectId(req.params.id) });
  res.json(user);
});

app.get("/tags", (req, res) => {
  const tags = ["a", "b"].find((t) => t === req.query.tag);
  res.json({ tags });
});

module.exports = app;

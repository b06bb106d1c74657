const express = require("express");
const mongoose = require("mongoose");
const User = mongoose.model("User", new mongoose.Schema({ name: String, email: String, role: String }));
const app = express();
app.use(express.json());

app.post("/users", async (req, res) => {
  const { name, email } = req.body;
  const user = await User.create({ name, email, role: "member" });
  res.status(201).json(user);
});

app.patch("/users/:id", async (req, res) => {
  const user = await User.findById(req.params.id);
  const changes = {};
  for (const key of ["name", "email"]) {
    if (key in req.body) changes[key] = String(req.body[key]);
  }
  Object.assign(user, changes);
  await user.save();
  res.json(req.body.echo ? { ok: true } : user);
});

module.exports = app;

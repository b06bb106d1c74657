const express = require("express");
const mongoose = require("mongoose");
const User = mongoose.model("User", new mongoose.Schema({ name: String, email: String, role: String }));
const app = express();
app.use(express.json());

app.post("/users", async (req, res) => {
  const user = await User.create({ ...req.body, createdAt: new Date() });
  res.status(201).json(user);
});

app.patch("/users/:id", async (req, res) => {
  const user = await User.findById(req.params.id);
  Object.assign(user, req.body); // role: "admin" goes straight in
  await user.save();
  res.json(user);
});

module.exports = app;

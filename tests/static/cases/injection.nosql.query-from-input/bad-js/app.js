const express = require("express");
const mongoose = require("mongoose");
const User = mongoose.model("User", new mongoose.Schema({ email: String, password: String }));
const app = express();
app.use(express.json());

app.post("/login", async (req, res) => {
  // {"email": "a@b.c", "password": {"$ne": null}} signs in without the password
  const user = await User.findOne({ email: req.body.email, password: req.body.password });
  if (!user) return res.status(401).json({ error: "invalid credentials" });
  res.json({ id: user.id });
});

app.get("/users", async (req, res) => {
  res.json(await User.find(req.query));
});

module.exports = app;

const express = require("express");
const mongoose = require("mongoose");
const mongoSanitize = require("express-mongo-sanitize");
const User = mongoose.model("User", new mongoose.Schema({ email: String, name: String }));
const app = express();
app.use(express.json());
// strips keys starting with $ or containing . from body, query and params
app.use(mongoSanitize());

app.get("/users", async (req, res) => {
  res.json(await User.find({ name: req.query.name }));
});

module.exports = app;

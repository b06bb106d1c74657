const crypto = require("crypto");
const mongoose = require("mongoose");

const ApiKey = mongoose.model(
  "ApiKey",
  new mongoose.Schema({ owner: String, keyHash: { type: String, index: true }, apiKey: String })
);

async function issue(owner) {
  const raw = crypto.randomBytes(32).toString("hex");
  const keyHash = crypto.createHash("sha256").update(raw).digest("hex");
  await ApiKey.create({ owner, keyHash });
  return raw; // shown once, never stored
}

module.exports = { issue };

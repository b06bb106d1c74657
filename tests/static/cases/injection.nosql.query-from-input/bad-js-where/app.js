const express = require("express");
const { MongoClient } = require("mongodb");
const client = new MongoClient(process.env.MONGO_URL);
const app = express();

app.get("/products", async (req, res) => {
  const products = client.db("shop").collection("products");
  const rows = await products.find({ $where: `this.price < ${req.query.max}` }).toArray();
  res.json(rows);
});

module.exports = app;

import express from "express";
import { PrismaClient } from "@prisma/client";

const prisma = new PrismaClient();
export const app = express();
app.use(express.json());

app.post("/products", async (req, res) => {
  const product = await prisma.product.create({ data: req.body });
  res.status(201).json(product);
});

app.put("/accounts/:id", async (req, res) => {
  const input = req.body;
  const account = await prisma.account.update({ where: { id: Number(req.params.id) }, data: input });
  res.json(account);
});

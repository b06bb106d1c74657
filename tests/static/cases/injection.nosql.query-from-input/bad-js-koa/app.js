const Koa = require("koa");
const Router = require("@koa/router");
const mongoose = require("mongoose");
const User = mongoose.model("User", new mongoose.Schema({ email: String }));
const router = new Router();
router.post("/login", async (ctx) => {
  const user = await User.findOne({ email: ctx.request.body.email, password: ctx.request.body.password });
  ctx.body = { ok: !!user };
});
router.put("/users/:id", async (ctx) => {
  await User.findByIdAndUpdate(ctx.params.id, ctx.request.body);
  ctx.body = { ok: true };
});

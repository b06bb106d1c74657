const Koa = require('koa');
const Router = require('@koa/router');
const app = new Koa();
const router = new Router();

router.get('/search', (ctx) => {
  ctx.body = `<h1>Results for ${ctx.query.q}</h1>`;
});

app.use(router.routes());
app.listen(3000);

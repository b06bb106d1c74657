import Fastify from "fastify";

const app = Fastify();

// an image proxy: the target comes from the query string and is fetched as is
app.get("/proxy", async (request, reply) => {
  const { target } = request.query as { target: string };
  const r = await fetch(target);
  reply.header("content-type", r.headers.get("content-type") ?? "application/octet-stream");
  return Buffer.from(await r.arrayBuffer());
});

app.listen({ port: 3000 });

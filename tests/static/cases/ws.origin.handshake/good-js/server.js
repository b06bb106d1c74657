const { WebSocketServer } = require("ws");
const cookie = require("cookie");
const sessions = require("./sessions");

const ALLOWED = new Set((process.env.WS_ORIGINS || "https://app.example.com").split(","));
const wss = new WebSocketServer({
  port: 8080,
  verifyClient: ({ origin }) => ALLOWED.has(origin),
});
wss.on("connection", (ws, req) => {
  const user = sessions.get(cookie.parse(req.headers.cookie || "").sid);
  if (!user) return ws.close(4401);
  ws.send(JSON.stringify({ hello: user.name }));
});

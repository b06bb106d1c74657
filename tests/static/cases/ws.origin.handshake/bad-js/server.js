const { WebSocketServer } = require("ws");
const cookie = require("cookie");
const sessions = require("./sessions");

// cookie-authenticated sockets with no Origin check: any site can open one for the user
const wss = new WebSocketServer({ port: 8080 });
wss.on("connection", (ws, req) => {
  const sid = cookie.parse(req.headers.cookie || "").sid;
  const user = sessions.get(sid);
  if (!user) return ws.close(4401);
  ws.send(JSON.stringify({ hello: user.name }));
});

const http = require("http");
const jwt = require("jsonwebtoken");
const { Server } = require("socket.io");

const server = http.createServer();
const io = new Server(server);

io.use((socket, next) => {
  try {
    socket.data.user = jwt.verify(socket.handshake.auth.token, process.env.JWT_SECRET);
    next();
  } catch {
    next(new Error("unauthorized"));
  }
});

io.on("connection", (socket) => {
  socket.join(`user:${socket.data.user.sub}`);
});

server.listen(3000);

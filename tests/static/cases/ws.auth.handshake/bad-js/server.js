const http = require("http");
const { Server } = require("socket.io");

const server = http.createServer();
const io = new Server(server);

io.on("connection", (socket) => {
  socket.on("join", (room) => socket.join(room));
  socket.on("message", ({ room, text }) => io.to(room).emit("message", text));
});

server.listen(3000);

"""Socket and event-stream servers found in the source, one small repo per library."""

from __future__ import annotations

from pathlib import Path

import pytest

from harness.app import detect_app
from harness.app._realtime import find_realtime

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "apps"


def _repo(tmp_path: Path, files: dict[str, str]) -> Path:
    for rel, text in files.items():
        path = tmp_path / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    return tmp_path


def _found(tmp_path: Path, files: dict[str, str]) -> list:
    repo = _repo(tmp_path, files)
    return detect_app(repo).realtime


def test_ws_server_with_path_and_query_token(tmp_path: Path) -> None:
    eps = _found(
        tmp_path,
        {
            "package.json": '{"dependencies": {"express": "^4", "ws": "^8"}}',
            "server.js": """
const express = require('express');
const { WebSocketServer } = require('ws');
const app = express();
app.get('/health', (req, res) => res.send('ok'));
const server = app.listen(process.env.PORT || 3000);
const wss = new WebSocketServer({ server, path: '/live' });
wss.on('connection', (ws, req) => {
  const token = new URL(req.url, 'http://x').searchParams.get('token');
  if (!token) return ws.close(1008);
});
""",
        },
    )
    assert [(e.protocol, e.path, e.library) for e in eps] == [("websocket", "/live", "ws")]
    assert eps[0].auth == ["query:token"]
    assert eps[0].origin_check is False


def test_ws_no_server_mode_reads_the_path_from_the_upgrade_handler(tmp_path: Path) -> None:
    eps = _found(
        tmp_path,
        {
            "package.json": '{"dependencies": {"ws": "^8"}}',
            "index.js": """
import http from 'http';
import { WebSocketServer } from 'ws';
const server = http.createServer();
const wss = new WebSocketServer({ noServer: true, verifyClient: check });
server.on('upgrade', (req, socket, head) => {
  const { pathname } = new URL(req.url, 'http://x');
  if (pathname === '/stream/prices') wss.handleUpgrade(req, socket, head, (ws) => {});
});
server.listen(8080);
""",
        },
    )
    assert [e.path for e in eps] == ["/stream/prices"]
    assert eps[0].origin_check is True


def test_socketio_server_events_rooms_and_handlers_in_another_module(tmp_path: Path) -> None:
    eps = _found(
        tmp_path,
        {
            "package.json": '{"dependencies": {"express": "^4", "socket.io": "^4"}}',
            "src/index.js": """
const { Server } = require('socket.io');
const registerChat = require('./chat');
const io = new Server(httpServer, { path: '/rt', cors: { origin: '*' } });
io.of('/admin').use(adminOnly);
io.use((socket, next) => next());
registerChat(io);
""",
            "src/chat.js": """
module.exports = (io) => io.on('connection', (socket) => {
  const token = socket.handshake.auth.token;
  socket.on('room:join', (roomId) => { socket.join(roomId); });
  socket.on('room:say', ({ roomId, text }) => { io.to(roomId).emit('said', text); });
  socket.on('disconnect', () => {});
});
""",
        },
    )
    assert len(eps) == 1
    ep = eps[0]
    assert (ep.protocol, ep.path, ep.library) == ("socketio", "/rt/", "socket.io")
    assert ep.namespaces == ["/admin"]
    assert ep.events == ["room:join", "room:say"]
    assert ep.join_events == ["room:join"] and ep.send_events == ["room:say"]
    assert "socketio-auth:token" in ep.auth


def test_fastapi_websocket_route_with_cookie_auth_and_an_sse_route(tmp_path: Path) -> None:
    eps = _found(
        tmp_path,
        {
            "requirements.txt": "fastapi\nuvicorn\n",
            "main.py": """
from fastapi import FastAPI, WebSocket
from fastapi.responses import StreamingResponse
app = FastAPI()

@app.websocket("/ws/rooms/{room_id}")
async def room(websocket: WebSocket, room_id: str):
    session = websocket.cookies.get("session")
    await websocket.accept()

@app.get("/events")
async def events():
    return StreamingResponse(gen(), media_type="text/event-stream")
""",
        },
    )
    got = {(e.protocol, e.path) for e in eps}
    assert got == {("websocket", "/ws/rooms/{room_id}"), ("sse", "/events")}
    ws = next(e for e in eps if e.protocol == "websocket")
    assert ws.library == "fastapi" and ws.auth == ["cookie:session"]


def test_channels_routing_and_flask_socketio(tmp_path: Path) -> None:
    files = {
        "chat/routing.py": """
from django.urls import re_path
from . import consumers
websocket_urlpatterns = [
    re_path(r"^ws/chat/(?P<room_name>\\w+)/$", consumers.ChatConsumer.as_asgi()),
]
""",
        "app.py": """
from flask import Flask
from flask_socketio import SocketIO, join_room, emit
app = Flask(__name__)
socketio = SocketIO(app, cors_allowed_origins=["https://app.example"])

@socketio.on("join")
def on_join(data):
    join_room(data["room"])

@socketio.on("say")
def on_say(data):
    emit("said", data["text"], to=data["room"])
""",
    }
    repo = _repo(tmp_path, files)
    eps = find_realtime(repo, list(files), [])
    by = {e.library: e for e in eps}
    assert by["channels"].path == "/ws/chat/{room_name}/"
    sio = by["flask-socketio"]
    assert (sio.path, sio.join_events, sio.send_events) == ("/socket.io/", ["join"], ["say"])
    assert sio.origin_check is True


def test_gorilla_upgrade_takes_the_path_of_its_handler(tmp_path: Path) -> None:
    eps = _found(
        tmp_path,
        {
            "go.mod": "module example.com/hub\n\ngo 1.22\n\n"
            "require github.com/gorilla/websocket v1.5.3\n",
            "main.go": """package main

import (
	"net/http"

	"github.com/gorilla/websocket"
)

var upgrader = websocket.Upgrader{CheckOrigin: func(r *http.Request) bool { return true }}

func serveWS(w http.ResponseWriter, r *http.Request) {
	token := r.URL.Query().Get("access_token")
	conn, err := upgrader.Upgrade(w, r, nil)
	_ = token
	_ = conn
	_ = err
}

func main() {
	http.HandleFunc("/hub", serveWS)
	http.ListenAndServe(":8080", nil)
}
""",
        },
    )
    assert [(e.protocol, e.path, e.library) for e in eps] == [("websocket", "/hub", "gorilla")]
    assert eps[0].auth == ["query:access_token"]
    assert eps[0].origin_check is False  # CheckOrigin returns true


def test_an_app_without_sockets_has_none(tmp_path: Path) -> None:
    eps = _found(
        tmp_path,
        {
            "requirements.txt": "flask\n",
            "app.py": "from flask import Flask\napp = Flask(__name__)\n"
            "@app.get('/socket-help')\ndef help():\n    return 'websocket docs'\n",
        },
    )
    assert eps == []


@pytest.mark.parametrize(
    ("app", "protocols", "origin_check"),
    [
        ("chat-socketio-good", {"socketio"}, True),
        ("chat-socketio-bad", {"socketio"}, False),
        ("notify-fastapi-ws-good", {"websocket", "sse"}, True),
        ("notify-fastapi-ws-bad", {"websocket", "sse"}, False),
    ],
)
def test_reference_realtime_apps(app: str, protocols: set[str], origin_check: bool) -> None:
    eps = detect_app(FIXTURES / app).realtime
    assert {e.protocol for e in eps} == protocols
    sockets = [e for e in eps if e.protocol != "sse"]
    assert [e.origin_check for e in sockets] == [origin_check]


def test_socket_packages_name_what_discovery_must_explain() -> None:
    from harness.app._realtime import socket_packages

    deps = ["Flask-SocketIO==5.3", "github.com/gorilla/websocket", "@nestjs/websockets", "flask"]
    assert socket_packages(deps) == [
        "@nestjs/websockets",
        "flask-socketio",
        "github.com/gorilla/websocket",
    ]
    assert socket_packages(["fastapi", "uvicorn[standard]"]) == []


def test_nest_gateway_with_a_namespace_and_express_ws_and_fastify_websocket(tmp_path: Path) -> None:
    files = {
        "src/chat.gateway.ts": """
import { WebSocketGateway, SubscribeMessage, MessageBody } from '@nestjs/websockets';
@WebSocketGateway({ namespace: 'chat', cors: { origin: '*' } })
export class ChatGateway {
  handleConnection(client: Socket) {
    const token = client.handshake.auth?.token;
  }
  @SubscribeMessage('joinRoom')
  join(@ConnectedSocket() client: Socket, @MessageBody() body: { roomId: string }) {
    client.join(body.roomId);
  }
  @SubscribeMessage('sendMessage')
  send(@MessageBody() body: { roomId: string; text: string }) {
    this.server.to(body.roomId).emit('message', body.text);
  }
}
""",
        "legacy/ws.js": """
const expressWs = require('express-ws')(app);
app.ws('/feed', (ws, req) => { ws.on('message', (raw) => { const data = JSON.parse(raw);
  if (data.type === 'auth') verify(data.token); }); });
""",
        "api/live.js": """
fastify.get('/live', { websocket: true }, (socket, req) => { socket.send('hi'); });
""",
    }
    repo = _repo(tmp_path, files)
    eps = {e.library: e for e in find_realtime(repo, list(files), [])}
    nest = eps["nestjs"]
    assert (nest.protocol, nest.namespaces, nest.root_namespace) == ("socketio", ["/chat"], False)
    assert nest.join_events == ["joinRoom"] and nest.send_events == ["sendMessage"]
    assert "socketio-auth:token" in nest.auth
    assert eps["express-ws"].path == "/feed" and "message:token" in eps["express-ws"].auth
    assert eps["@fastify/websocket"].path == "/live"


def test_socketio_namespaces_only_leave_the_root_namespace_out(tmp_path: Path) -> None:
    files = {
        "server.js": """
const { Server } = require('socket.io');
const io = new Server(http);
const chat = io.of('/chat');
chat.use(authenticate);
chat.on('connection', (socket) => {});
""",
    }
    repo = _repo(tmp_path, files)
    (ep,) = find_realtime(repo, list(files), [])
    assert ep.namespaces == ["/chat"] and ep.root_namespace is False
    files["server.js"] += "io.use(authenticate);\n"
    repo = _repo(tmp_path, files)
    (ep,) = find_realtime(repo, list(files), [])
    assert ep.root_namespace is True


def test_fastapi_router_prefixes_apply_to_websocket_routes(tmp_path: Path) -> None:
    files = {
        "app/routers/chat.py": """
from fastapi import APIRouter, WebSocket
router = APIRouter(prefix="/ws", tags=["chat"])

@router.websocket("/rooms/{room_id}")
async def room(websocket: WebSocket, room_id: int):
    await websocket.accept()
""",
        "app/main.py": """
from fastapi import FastAPI
from app.routers import chat
app = FastAPI()
app.include_router(chat.router, prefix="/api/v1")
""",
    }
    repo = _repo(tmp_path, files)
    (ep,) = find_realtime(repo, list(files), [])
    assert ep.path == "/api/v1/ws/rooms/{room_id}"

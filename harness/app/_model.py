"""What the harness knows of a generated backend before running it."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field

Language = Literal["python", "javascript", "typescript", "go", "unknown"]
Framework = Literal[
    "fastapi",
    "flask",
    "django",
    "aiohttp",
    "litestar",
    "express",
    "nestjs",
    "fastify",
    "koa",
    "hono",
    "gin",
    "echo",
    "fiber",
    "chi",
    "gorilla",
    "nethttp",
    "unknown",
]


class Route(BaseModel):
    """A route found in the source (decorator, app.get(...), urls.py...)."""

    method: str  # GET, POST, ... or ANY
    path: str  # normalised to {param} style: /todos/{id}
    file: str
    line: int
    handler: str | None = None
    # what the handler reads, from its source: ?query parameters and body fields
    query_params: list[str] = Field(default_factory=list)
    body_fields: list[str] = Field(default_factory=list)
    body_kind: Literal["json", "form", "multipart"] | None = None


ServiceKind = Literal["postgres", "mysql", "redis", "mongo"]


class ServiceNeed(BaseModel):
    """A server the app needs besides itself (a database, a cache)."""

    kind: ServiceKind
    evidence: list[str] = Field(default_factory=list)
    """Where the repo says so: a compose service, an example URL, a driver, an ORM dialect."""
    hostnames: list[str] = Field(default_factory=list)
    """The compose service names the app may use as host names for it."""


RealtimeProtocol = Literal["websocket", "socketio", "sse"]


class RealtimeEndpoint(BaseModel):
    """A socket or event-stream server found in the source: where it listens and how it reads
    credentials, so that the live probes can connect the way a client of the app would."""

    protocol: RealtimeProtocol
    path: str  # {param} style; socket.io: the engine path (/socket.io/)
    library: str  # ws, socket.io, fastapi, channels, flask-sock, flask-socketio, gorilla, sse...
    file: str
    line: int
    # where the server reads credentials: query:<name>, socketio-auth:<name>, header:<name>,
    # cookie[:<name>], subprotocol, message:<name> (a first message carrying the token)
    auth: list[str] = Field(default_factory=list)
    namespaces: list[str] = Field(default_factory=list)  # socket.io namespaces besides "/"
    root_namespace: bool = True  # socket.io: the "/" namespace has handlers or middleware
    events: list[str] = Field(default_factory=list)  # events the server listens to
    join_events: list[str] = Field(default_factory=list)  # events whose handler joins a room
    send_events: list[str] = Field(default_factory=list)  # events whose handler emits to a room
    origin_check: bool = False  # verifyClient / allowRequest / CheckOrigin / origin validator


class AppProfile(BaseModel):
    root: str
    language: Language = "unknown"
    framework: Framework = "unknown"
    entrypoint: str | None = None  # relative path of the file that starts the app
    app_object: str | None = None  # "main:app" style for ASGI/WSGI apps when known
    dependency_files: list[str] = Field(default_factory=list)
    declared_dependencies: list[str] = Field(default_factory=list)
    inferred_dependencies: list[str] = Field(default_factory=list)  # from imports, no dep file
    db_kind: Literal["sqlite", "postgresql", "mysql", "mongodb", "none", "unknown"] = "unknown"
    hardcoded_port: int | None = None  # a port fixed in the code, whatever the environment says
    default_port: int | None = None  # the port it listens on when port_env is unset
    port_env: str | None = None  # the environment variable the app reads its port from, if any
    app_dir: str | None = None  # directory (relative to root) the app imports from / runs in
    start_script: str | None = None  # package.json scripts.start, when present
    build_script: str | None = None  # the build step before start (tsc, nest build, go build)
    source_files: list[str] = Field(default_factory=list)
    routes: list[Route] = Field(default_factory=list)
    services: list[ServiceNeed] = Field(default_factory=list)
    realtime: list[RealtimeEndpoint] = Field(default_factory=list)  # sockets, event streams
    notes: list[str] = Field(default_factory=list)

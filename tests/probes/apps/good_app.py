"""A small well-behaved todo API (FastAPI) for the probe tests: every probed promise kept."""

import logging
import os
import sqlite3
import time
from datetime import UTC, datetime

import bcrypt
import jwt
from fastapi import Depends, FastAPI, Header, HTTPException, Path, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.middleware.cors import CORSMiddleware
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field
from starlette.exceptions import HTTPException as StarletteHTTPException

SECRET = os.environ.get("JWT_SECRET", "test-only-secret-from-env")
DB = os.environ.get("DATABASE_PATH", "good.db")
log = logging.getLogger("todo")
logging.basicConfig(level=logging.INFO)
app = FastAPI()
app.add_middleware(
    CORSMiddleware,
    allow_origins=["http://localhost:3000"],
    allow_methods=["*"],
    allow_headers=["*"],
)
failures: dict[str, list[float]] = {}
MAX_ID = 2**62
TodoId = Path(ge=1, le=MAX_ID)


def db() -> sqlite3.Connection:
    conn = sqlite3.connect(DB)
    conn.row_factory = sqlite3.Row
    return conn


with db() as c:
    c.execute(
        "CREATE TABLE IF NOT EXISTS users"
        " (id INTEGER PRIMARY KEY, email TEXT UNIQUE, password_hash TEXT)"
    )
    c.execute(
        "CREATE TABLE IF NOT EXISTS todos (id INTEGER PRIMARY KEY, owner INTEGER, title TEXT,"
        " completed INTEGER DEFAULT 0, created_at TEXT, updated_at TEXT, deleted_at TEXT)"
    )


@app.middleware("http")
async def headers(request: Request, call_next):
    response = await call_next(request)
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["X-Frame-Options"] = "DENY"
    response.headers["Content-Security-Policy"] = "default-src 'none'; frame-ancestors 'none'"
    response.headers["Cache-Control"] = "no-store"
    return response


def error(status: int, code: str, message: str) -> JSONResponse:
    return JSONResponse({"success": False, "error": {"code": code, "message": message}}, status)


@app.exception_handler(StarletteHTTPException)
async def http_error(_request, exc):
    return error(exc.status_code, f"HTTP_{exc.status_code}", str(exc.detail))


@app.exception_handler(RequestValidationError)
async def invalid(_request, exc):
    return error(422, "VALIDATION_ERROR", "invalid input")


@app.exception_handler(Exception)
async def crash(_request, exc):
    return error(500, "INTERNAL", "internal error")


class Credentials(BaseModel):
    email: str = Field(pattern=r"^[^@\s]+@[^@\s]+$", max_length=200)
    password: str = Field(min_length=8, max_length=72)

    def model_post_init(self, _ctx) -> None:
        if self.password.lower() in ("password", "12345678", "password1"):
            raise ValueError("password too common")


class TodoIn(BaseModel, extra="forbid"):
    title: str = Field(min_length=1, max_length=200)
    completed: bool = False


def ok(data, status: int = 200) -> JSONResponse:
    return JSONResponse({"success": True, "data": data}, status)


@app.get("/health")
def health():
    return ok({"status": "ok"})


@app.post("/api/v1/auth/register")
def register(body: Credentials):
    hashed = bcrypt.hashpw(body.password.encode(), bcrypt.gensalt(rounds=4)).decode()
    try:
        with db() as c:
            cur = c.execute(
                "INSERT INTO users (email, password_hash) VALUES (?, ?)", (body.email, hashed)
            )
    except sqlite3.IntegrityError:
        raise HTTPException(409, "email taken") from None
    return ok({"id": cur.lastrowid, "email": body.email}, 201)


@app.post("/api/v1/auth/login")
def login(body: Credentials, request: Request):
    ip = request.client.host if request.client else "?"
    now = time.time()
    recent = [t for t in failures.get(ip, []) if now - t < 60]
    if len(recent) >= 5:
        log.warning("login rate limit hit for %s", ip)
        return JSONResponse(
            {"success": False, "error": {"code": "RATE_LIMITED", "message": "too many attempts"}},
            429,
            headers={"Retry-After": "60"},
        )
    with db() as c:
        row = c.execute("SELECT * FROM users WHERE email = ?", (body.email,)).fetchone()
    if row is None or not bcrypt.checkpw(body.password.encode(), row["password_hash"].encode()):
        failures[ip] = [*recent, now]
        log.warning("login failed for an account")
        raise HTTPException(401, "invalid credentials")
    token = jwt.encode(
        {"sub": str(row["id"]), "iat": int(now), "exp": int(now) + 900}, SECRET, "HS256"
    )
    return ok({"access_token": token, "token_type": "bearer"})


def user(authorization: str = Header(default="")) -> int:
    if not authorization.startswith("Bearer "):
        raise HTTPException(401, "missing token")
    try:
        claims = jwt.decode(authorization[7:], SECRET, algorithms=["HS256"])
    except jwt.PyJWTError:
        raise HTTPException(401, "invalid token") from None
    return int(claims["sub"])


def stamp() -> str:
    return datetime.now(UTC).isoformat()


def row_out(row) -> dict:
    return {k: row[k] for k in ("id", "title", "created_at", "updated_at")} | {
        "completed": bool(row["completed"])
    }


@app.get("/api/v1/todos")
def list_todos(
    uid: int = Depends(user),
    limit: int = Query(20, ge=1, le=100),
    offset: int = Query(0, ge=0, le=MAX_ID),
    q: str | None = None,
    completed: bool | None = None,
    sort: str = Query("id", pattern="^-?(id|title)$"),
):
    sql = "SELECT * FROM todos WHERE owner = ? AND deleted_at IS NULL"
    args: list = [uid]
    if q:
        sql += " AND title LIKE ?"
        args.append(f"%{q}%")
    if completed is not None:
        sql += " AND completed = ?"
        args.append(int(completed))
    sql += (
        f" ORDER BY {sort.lstrip('-')} {'DESC' if sort.startswith('-') else 'ASC'} LIMIT ? OFFSET ?"
    )
    with db() as c:
        rows = c.execute(sql, [*args, limit, offset]).fetchall()
    return ok({"items": [row_out(r) for r in rows], "limit": limit, "offset": offset})


@app.post("/api/v1/todos")
def create(body: TodoIn, uid: int = Depends(user)):
    now = stamp()
    with db() as c:
        cur = c.execute(
            "INSERT INTO todos (owner, title, completed, created_at, updated_at)"
            " VALUES (?, ?, ?, ?, ?)",
            (uid, body.title, int(body.completed), now, now),
        )
        row = c.execute("SELECT * FROM todos WHERE id = ?", (cur.lastrowid,)).fetchone()
    return ok(row_out(row), 201)


def owned(todo_id: int, uid: int):
    with db() as c:
        row = c.execute(
            "SELECT * FROM todos WHERE id = ? AND owner = ? AND deleted_at IS NULL", (todo_id, uid)
        ).fetchone()
    if row is None:
        raise HTTPException(404, "no such todo")
    return row


@app.get("/api/v1/todos/{todo_id}")
def read(todo_id: int = TodoId, uid: int = Depends(user)):
    return ok(row_out(owned(todo_id, uid)))


@app.put("/api/v1/todos/{todo_id}")
def replace(body: TodoIn, todo_id: int = TodoId, uid: int = Depends(user)):
    owned(todo_id, uid)
    with db() as c:
        c.execute(
            "UPDATE todos SET title = ?, completed = ?, updated_at = ? WHERE id = ?",
            (body.title, int(body.completed), stamp(), todo_id),
        )
    return ok(row_out(owned(todo_id, uid)))


@app.delete("/api/v1/todos/{todo_id}", status_code=204)
def delete(todo_id: int = TodoId, uid: int = Depends(user)):
    owned(todo_id, uid)
    with db() as c:
        c.execute("UPDATE todos SET deleted_at = ? WHERE id = ?", (stamp(), todo_id))
    return None


if __name__ == "__main__":
    import uvicorn

    uvicorn.run(app, host="127.0.0.1", port=int(os.environ["PORT"]), server_header=False)

"""A login form on FastAPI with cookie sessions: needs itsdangerous and python-multipart, which
the code never imports by name (no requirements file, as generated apps often ship)."""

from fastapi import FastAPI, Form, Request
from starlette.middleware.sessions import SessionMiddleware

app = FastAPI()
app.add_middleware(SessionMiddleware, secret_key="dev-only-session-key")


@app.post("/login")
def login(request: Request, username: str = Form(...), password: str = Form(...)):
    request.session["user"] = username
    return {"user": username}


@app.get("/me")
def me(request: Request):
    return {"user": request.session.get("user")}

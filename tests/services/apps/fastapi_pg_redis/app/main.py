"""Notes API: FastAPI + SQLAlchemy on PostgreSQL (schema by Alembic), Redis for rate limits."""

import os
import time

import bcrypt
import jwt
import redis
from fastapi import Depends, FastAPI, Header, HTTPException
from pydantic import BaseModel, Field
from sqlalchemy import create_engine, select
from sqlalchemy.orm import Session, sessionmaker

from app.models import Note, User

engine = create_engine(os.environ["DATABASE_URL"], pool_pre_ping=True)
SessionLocal = sessionmaker(bind=engine)
cache = redis.Redis.from_url(os.environ["REDIS_URL"])
SECRET = os.environ["JWT_SECRET"]
app = FastAPI(title="notes")


class Credentials(BaseModel):
    email: str = Field(min_length=3, max_length=255)
    password: str = Field(min_length=8, max_length=128)


class NoteIn(BaseModel):
    title: str = Field(min_length=1, max_length=200)
    body: str = Field(default="", max_length=10000)


def db():
    with SessionLocal() as session:
        yield session


def current_user(authorization: str = Header(default=""), session: Session = Depends(db)) -> User:
    token = authorization.removeprefix("Bearer ").strip()
    try:
        claims = jwt.decode(token, SECRET, algorithms=["HS256"])
    except jwt.PyJWTError:
        raise HTTPException(status_code=401, detail="not signed in") from None
    user = session.get(User, int(claims["sub"]))
    if user is None:
        raise HTTPException(status_code=401, detail="not signed in")
    return user


@app.get("/health")
def health():
    cache.ping()
    return {"status": "ok"}


@app.post("/auth/register", status_code=201)
def register(body: Credentials, session: Session = Depends(db)):
    if session.scalar(select(User).where(User.email == body.email)):
        raise HTTPException(status_code=409, detail="email taken")
    hashed = bcrypt.hashpw(body.password.encode(), bcrypt.gensalt()).decode()
    user = User(email=body.email, password_hash=hashed)
    session.add(user)
    session.commit()
    return {"id": user.id, "email": user.email}


@app.post("/auth/login")
def login(body: Credentials, session: Session = Depends(db)):
    key = f"login:{body.email}"
    if cache.incr(key) > 10:
        raise HTTPException(status_code=429, detail="too many attempts")
    cache.expire(key, 60)
    user = session.scalar(select(User).where(User.email == body.email))
    if user is None or not bcrypt.checkpw(body.password.encode(), user.password_hash.encode()):
        raise HTTPException(status_code=401, detail="bad credentials")
    token = jwt.encode({"sub": str(user.id), "exp": int(time.time()) + 1800}, SECRET)
    return {"access_token": token, "token_type": "bearer"}


@app.get("/notes")
def list_notes(user: User = Depends(current_user), session: Session = Depends(db)):
    rows = session.scalars(select(Note).where(Note.owner_id == user.id)).all()
    return [{"id": n.id, "title": n.title, "body": n.body} for n in rows]


@app.post("/notes", status_code=201)
def create_note(body: NoteIn, user: User = Depends(current_user), session: Session = Depends(db)):
    note = Note(owner_id=user.id, title=body.title, body=body.body)
    session.add(note)
    session.commit()
    return {"id": note.id, "title": note.title, "body": note.body}


@app.get("/notes/{note_id}")
def get_note(note_id: int, user: User = Depends(current_user), session: Session = Depends(db)):
    note = session.get(Note, note_id)
    if note is None or note.owner_id != user.id:
        raise HTTPException(status_code=404, detail="not found")
    return {"id": note.id, "title": note.title, "body": note.body}


@app.delete("/notes/{note_id}", status_code=204)
def delete_note(note_id: int, user: User = Depends(current_user), session: Session = Depends(db)):
    note = session.get(Note, note_id)
    if note is None or note.owner_id != user.id:
        raise HTTPException(status_code=404, detail="not found")
    session.delete(note)
    session.commit()

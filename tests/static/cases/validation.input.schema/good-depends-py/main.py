# FastAPI: the dependency's dict is the decoded token, not a request body; bodies are pydantic.
import jwt
from fastapi import Depends, FastAPI, HTTPException
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from pydantic import BaseModel

app = FastAPI()
security = HTTPBearer()


class NoteIn(BaseModel):
    title: str
    body: str


def current_user(creds: HTTPAuthorizationCredentials = Depends(security)) -> dict:
    try:
        return jwt.decode(creds.credentials, "x", algorithms=["HS256"])
    except jwt.PyJWTError:
        raise HTTPException(status_code=401, detail="Invalid token")


@app.get("/notes")
def list_notes(user: dict = Depends(current_user)) -> list:
    return [{"owner": user["sub"]}]


@app.post("/notes")
def create_note(note: NoteIn, user: dict = Depends(current_user)) -> dict:
    return {"title": note.title}

from fastapi import FastAPI, HTTPException
from pydantic import BaseModel, ConfigDict
from sqlalchemy.orm import Session

from .db import SessionLocal
from .models import Account, User

app = FastAPI()


class UserIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    name: str
    email: str


class AccountPatch(BaseModel):
    nickname: str | None = None


@app.post("/users", status_code=201)
def create_user(body: UserIn):
    with SessionLocal() as session:  # type: Session
        user = User(**body.model_dump())
        session.add(user)
        session.commit()
        return {"id": user.id}


@app.patch("/accounts/{account_id}")
def update_account(account_id: int, payload: AccountPatch):
    with SessionLocal() as session:
        account = session.get(Account, account_id)
        if account is None:
            raise HTTPException(404)
        for key, value in payload.model_dump(exclude_unset=True).items():
            setattr(account, key, value)
        session.commit()
        return {"id": account.id}

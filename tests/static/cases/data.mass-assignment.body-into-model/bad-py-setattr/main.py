from fastapi import FastAPI, HTTPException
from sqlalchemy.orm import Session

from .db import SessionLocal
from .models import Account

app = FastAPI()


@app.patch("/accounts/{account_id}")
def update_account(account_id: int, payload: dict):
    with SessionLocal() as session:  # type: Session
        account = session.get(Account, account_id)
        if account is None:
            raise HTTPException(404)
        for key, value in payload.items():
            setattr(account, key, value)  # balance, owner_id: anything the client sends
        session.commit()
        return {"id": account.id}

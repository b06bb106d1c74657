# File: app/routers/users.py
"""The signed-in user's own account."""

from __future__ import annotations

from fastapi import APIRouter, Depends
from fastapi.responses import JSONResponse

from app.deps import current_user
from app.envelope import ok
from app.models import User
from app.schemas import UserOut

router = APIRouter(prefix="/users", tags=["users"], dependencies=[Depends(current_user)])


@router.get("/me")
def me(user: User = Depends(current_user)) -> JSONResponse:
    return ok(UserOut.model_validate(user))

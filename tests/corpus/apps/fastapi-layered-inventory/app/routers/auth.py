# File: app/routers/auth.py
"""Sign-up, sign-in and token refresh.

No postponed annotations here: the limiter's wrapper would hide the models from FastAPI."""

from fastapi import APIRouter, Depends, Request
from fastapi.responses import JSONResponse
from sqlalchemy.orm import Session

from app.db import get_db
from app.envelope import ok
from app.limiter import limiter
from app.schemas import Credentials, RefreshIn, Registration, UserOut
from app.services.auth_service import AuthService

router = APIRouter(prefix="/auth", tags=["auth"])


@router.post("/register", status_code=201)
@limiter.limit("20/minute")
def register(request: Request, body: Registration, db: Session = Depends(get_db)) -> JSONResponse:
    user = AuthService(db).register(body.email, body.password)
    return ok(UserOut.model_validate(user), "Account created", status=201)


@router.post("/login")
@limiter.limit("10/minute")
def login(request: Request, body: Credentials, db: Session = Depends(get_db)) -> JSONResponse:
    ip = request.client.host if request.client else "-"
    pair = AuthService(db).login(body.email, body.password, ip)
    return ok(pair, "Signed in")


@router.post("/refresh")
@limiter.limit("30/minute")
def refresh(request: Request, body: RefreshIn, db: Session = Depends(get_db)) -> JSONResponse:
    return ok(AuthService(db).refresh(body.refresh_token), "Token refreshed")

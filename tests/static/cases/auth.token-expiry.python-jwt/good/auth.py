import os
from datetime import datetime, timedelta, timezone
import jwt

def issue(user_id: int) -> str:
    claims: dict = {"sub": str(user_id), "exp": datetime.now(timezone.utc) + timedelta(minutes=15)}
    return jwt.encode(claims, os.environ["JWT_SECRET"], algorithm="HS256")

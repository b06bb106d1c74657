import os
import jwt

def issue(user_id: int) -> str:
    payload = {"sub": str(user_id)}
    return jwt.encode(payload, os.environ["JWT_SECRET"], algorithm="HS256")

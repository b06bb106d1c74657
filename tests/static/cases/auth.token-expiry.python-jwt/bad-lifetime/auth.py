import os
from datetime import datetime, timedelta, timezone
import jwt

def issue(user_id: int) -> str:
    return jwt.encode({"sub": str(user_id), "exp": datetime.now(timezone.utc) + timedelta(days=30)},
                      os.environ["JWT_SECRET"], algorithm="HS256")

from fastapi.security import OAuth2PasswordBearer

from config import TOKEN_URL

oauth2_scheme = OAuth2PasswordBearer(tokenUrl="/auth/token")
refresh_scheme = OAuth2PasswordBearer(tokenUrl=TOKEN_URL, scheme_name="refresh")


def token_response(token: str, token_type: str = "bearer") -> dict:
    return {"access_token": token, "token_type": token_type}

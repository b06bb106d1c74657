import os

# Non-secret settings with development defaults
PORT = int(os.getenv("PORT", "8000"))
HOST = os.getenv("HOST", "0.0.0.0")
DATABASE_PATH = os.environ.get("DATABASE_PATH", "app.db")
DATABASE_URL = os.getenv("DATABASE_URL", "sqlite:///./app.db")
CORS_ORIGIN = os.getenv("CORS_ORIGIN", "http://localhost:3000")
LOG_LEVEL = os.environ.setdefault("LOG_LEVEL", "INFO")
JWT_ALGORITHM = os.getenv("JWT_ALGORITHM", "HS256")
JWT_ISSUER = os.getenv("JWT_ISSUER", "todo-api")
ACCESS_TOKEN_EXPIRE_MINUTES = int(os.getenv("ACCESS_TOKEN_EXPIRE_MINUTES", "30"))
REFRESH_TOKEN_TTL_DAYS = int(os.environ.get("REFRESH_TOKEN_TTL_DAYS", "7"))
PASSWORD_MIN_LENGTH = int(os.getenv("PASSWORD_MIN_LENGTH", "8"))
TOKEN_URL = os.getenv("TOKEN_URL", "/auth/token")

# Secrets: required, no fallback
SECRET_KEY = os.environ["SECRET_KEY"]
JWT_SECRET = os.environ["JWT_SECRET"]

# Literal non-secret settings
TOKEN_ALGORITHM = "HS256"
PASSWORD_RESET_PATH = "/auth/password-reset"
TOKEN_COOKIE_NAME = "access_token"

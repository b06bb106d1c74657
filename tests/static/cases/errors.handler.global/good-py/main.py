from fastapi import FastAPI
app = FastAPI()

from fastapi import Request
from fastapi.responses import JSONResponse

@app.exception_handler(Exception)
async def unexpected(request: Request, exc: Exception) -> JSONResponse:
    return JSONResponse({"error": {"code": "INTERNAL", "message": "internal error"}}, status_code=500)

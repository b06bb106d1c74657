from fastapi import APIRouter, FastAPI

from app.routes import items

app = FastAPI()
api = APIRouter(prefix="/api")
api.include_router(items.router, prefix="/items")
app.include_router(api)


@app.get("/health")
def health():
    return {"status": "ok"}

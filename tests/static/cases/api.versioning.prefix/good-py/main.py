from fastapi import FastAPI
app = FastAPI()

from fastapi import APIRouter
API = "/api/v2"
router = APIRouter(prefix="/todos")

@router.get("")
def todos():
    return []

app.include_router(router, prefix=API)

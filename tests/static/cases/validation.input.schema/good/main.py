from fastapi import FastAPI
app = FastAPI()

from pydantic import BaseModel, Field

class TodoIn(BaseModel):
    title: str = Field(min_length=1, max_length=200)

@app.post("/todos", status_code=201)
def create(body: TodoIn):
    return {"title": body.title}

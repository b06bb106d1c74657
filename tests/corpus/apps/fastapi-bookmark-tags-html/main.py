from typing import List

import uvicorn
from fastapi import FastAPI
from fastapi.responses import HTMLResponse
from pydantic import BaseModel

app = FastAPI(title="Bookmarks")


class BookmarkIn(BaseModel):
    title: str
    url: str
    tag: str


class Bookmark(BookmarkIn):
    id: int


BOOKMARKS: List[Bookmark] = []


@app.post("/bookmarks", response_model=Bookmark, status_code=201)
def add_bookmark(item: BookmarkIn):
    bookmark = Bookmark(id=len(BOOKMARKS) + 1, **item.dict())
    BOOKMARKS.append(bookmark)
    return bookmark


@app.get("/bookmarks", response_model=List[Bookmark])
def list_bookmarks():
    return BOOKMARKS


@app.get("/tags/{tag}", response_class=HTMLResponse)
def bookmarks_by_tag(tag: str):
    hits = [b for b in BOOKMARKS if b.tag == tag]
    rows = "".join(f'<li><a href="{b.url}">{b.title}</a></li>' for b in hits)
    return HTMLResponse(
        content=f"<html><body><h1>Bookmarks tagged {tag}</h1><ul>{rows}</ul></body></html>"
    )


if __name__ == "__main__":
    uvicorn.run(app, host="0.0.0.0", port=8000)

import os

from bson import ObjectId
from fastapi import FastAPI, HTTPException
from motor.motor_asyncio import AsyncIOMotorClient

app = FastAPI()
client = AsyncIOMotorClient(os.getenv("MONGO_URL", "mongodb://localhost:27017"))
db = client.bookstore


@app.get("/books")
async def list_books(author: str | None = None):
    query = {"author": author} if author else {}
    cursor = db.books.find(query).sort("title", 1).limit(100)
    books = await cursor.to_list(length=100)
    return [{**b, "_id": str(b["_id"])} for b in books]


@app.get("/books/{book_id}")
async def get_book(book_id: str):
    book = await db.books.find_one({"_id": ObjectId(book_id)})
    if book is None:
        raise HTTPException(status_code=404, detail="not found")
    return {**book, "_id": str(book["_id"])}


@app.post("/books", status_code=201)
async def create_book(book: dict):
    result = await db.books.insert_one(book)
    return {"id": str(result.inserted_id)}


@app.get("/authors")
async def authors():
    names = []
    async for doc in db.books.aggregate([{"$group": {"_id": "$author"}}]):
        names.append(doc["_id"])
    return names


@app.delete("/books/{book_id}", status_code=204)
async def delete_book(book_id: str):
    await db.books.delete_one({"_id": ObjectId(book_id)})

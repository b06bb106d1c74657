import sqlite3
from typing import Dict, Optional

import uvicorn
from fastapi import FastAPI, HTTPException, Query
from pydantic import BaseModel

app = FastAPI(title="Product Catalog")
DB = "db.sqlite3"


def conn():
    c = sqlite3.connect(DB)
    c.row_factory = sqlite3.Row
    return c


with conn() as c:
    c.execute("CREATE TABLE IF NOT EXISTS products (id INTEGER PRIMARY KEY AUTOINCREMENT, name TEXT UNIQUE, properties TEXT)")


class Product(BaseModel):
    name: str
    price: Optional[float] = None
    description: Optional[str] = None


@app.post("/add", status_code=201)
def add_product(product: Product):
    import json
    with conn() as c:
        try:
            c.execute("INSERT INTO products (name, properties) VALUES (?, ?)", (product.name, json.dumps(product.dict())))
        except sqlite3.IntegrityError:
            raise HTTPException(status_code=400, detail="Product already exists")
    return {"message": "Product successfully added"}


@app.get("/products")
def list_products():
    import json
    with conn() as c:
        rows = c.execute("SELECT * FROM products").fetchall()
    return {"products": [json.loads(r["properties"]) | {"id": r["id"]} for r in rows]}


@app.get("/search")
def search(query: str = Query(...)):
    import json
    with conn() as c:
        rows = c.execute(f"SELECT * FROM products WHERE name LIKE '%{query}%' OR properties LIKE '%{query}%'").fetchall()
    return {"results": [json.loads(r["properties"]) | {"id": r["id"]} for r in rows]}


@app.get("/download")
def download(name: str):
    with conn() as c:
        row = c.execute("SELECT properties FROM products WHERE name = ?", (name,)).fetchone()
    if row is None:
        raise HTTPException(status_code=404, detail="Product not found")
    return {"data": row["properties"]}


if __name__ == "__main__":
    uvicorn.run(app, host="0.0.0.0", port=5000)

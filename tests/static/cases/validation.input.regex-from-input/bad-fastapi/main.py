"""Product catalogue (FastAPI, in memory): products are searched with a pattern and listed in
pages of a client-chosen size; a barcode sheet is generated for a client-chosen number of codes."""

import os
import re

import uvicorn
from fastapi import FastAPI, HTTPException
from pydantic import BaseModel

app = FastAPI()
PRODUCTS: list[dict] = []


class ProductIn(BaseModel):
    name: str
    price: float


@app.post("/products", status_code=201)
def create_product(product: ProductIn):
    if not product.name or product.price < 0:
        raise HTTPException(status_code=422, detail="name and a non-negative price are required")
    item = {"id": len(PRODUCTS) + 1, "name": product.name, "price": product.price}
    PRODUCTS.append(item)
    return item


@app.get("/products")
def list_products():
    return PRODUCTS


@app.get("/products/search")
def search_products(pattern: str):
    rx = re.compile(pattern, re.IGNORECASE)
    return [p for p in PRODUCTS if rx.search(p["name"])]


@app.get("/barcodes")
def barcodes(count: int = 10):
    return {"codes": [f"{i:012d}" for i in range(count)]}


if __name__ == "__main__":
    uvicorn.run(app, host="127.0.0.1", port=int(os.environ.get("PORT", "8000")))

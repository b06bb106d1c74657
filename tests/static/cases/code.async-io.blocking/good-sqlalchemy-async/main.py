import os
from collections.abc import AsyncIterator

from fastapi import Depends, FastAPI, HTTPException
from sqlalchemy import String, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker, create_async_engine
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

engine = create_async_engine(os.getenv("DATABASE_URL", "sqlite+aiosqlite:///./app.db"))
SessionLocal = async_sessionmaker(engine, expire_on_commit=False)
app = FastAPI()


class Base(DeclarativeBase):
    pass


class Product(Base):
    __tablename__ = "products"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(100))


async def get_session() -> AsyncIterator[AsyncSession]:
    async with SessionLocal() as session:
        yield session


@app.on_event("startup")
async def create_tables() -> None:
    async with engine.begin() as conn:
        await conn.run_sync(Base.metadata.create_all)


@app.get("/products")
async def list_products(session: AsyncSession = Depends(get_session)):
    result = await session.execute(select(Product).order_by(Product.id))
    return [{"id": p.id, "name": p.name} for p in result.scalars().all()]


@app.get("/products/{product_id}")
async def get_product(product_id: int, session: AsyncSession = Depends(get_session)):
    product = await session.get(Product, product_id)
    if product is None:
        raise HTTPException(status_code=404, detail="not found")
    return {"id": product.id, "name": product.name}


@app.post("/products", status_code=201)
async def create_product(name: str, session: AsyncSession = Depends(get_session)):
    product = Product(name=name)
    session.add(product)
    await session.commit()
    await session.refresh(product)
    return {"id": product.id, "name": product.name}


@app.get("/products-by-name")
async def by_name(name: str, session: AsyncSession = Depends(get_session)):
    rows = (await session.execute(select(Product.id, Product.name).where(Product.name == name))).fetchall()
    return [{"id": r.id, "name": r.name} for r in rows]


@app.delete("/products/{product_id}", status_code=204)
async def delete_product(product_id: int, session: AsyncSession = Depends(get_session)):
    product = await session.get(Product, product_id)
    if product is not None:
        await session.delete(product)
        await session.commit()

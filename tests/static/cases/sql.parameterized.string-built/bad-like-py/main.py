# FastAPI on sqlite3: ORDER BY from a query parameter and LIKE via .format.
import sqlite3

from fastapi import FastAPI

app = FastAPI()
conn = sqlite3.connect("products.db", check_same_thread=False)


@app.get("/products")
def list_products(sort: str = "name", order: str = "asc"):
    return conn.execute(f"SELECT * FROM products ORDER BY {sort} {order}").fetchall()


@app.get("/search")
def search(query: str):
    sql = "SELECT * FROM products WHERE name LIKE '%{}%'".format(query)
    cur = conn.cursor()
    cur.execute(sql)
    return cur.fetchall()

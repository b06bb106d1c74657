import sqlite3

def list_todos() -> list:
    with sqlite3.connect("todo.db") as conn:
        return conn.execute("SELECT * FROM todos").fetchall()

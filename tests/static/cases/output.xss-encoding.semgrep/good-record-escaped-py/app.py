from flask import Flask
from markupsafe import escape

app = Flask(__name__)
NOTES = {}


class Note:
    def __init__(self, title):
        self.title = title

    def __repr__(self):
        return f"<Note {self.title}>"


def note_row(note):
    return f"<tr><td>{note['id']}</td><td>{escape(note['title'])}</td><td>{note['created_at']}</td></tr>"


@app.route("/notes/table")
def table():
    return "<table>" + "".join(note_row(n) for n in NOTES.values()) + "</table>"

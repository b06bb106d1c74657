from flask import Flask

app = Flask(__name__)
NOTES = {}  # filled by a JSON API elsewhere; rendered here


def note_row(note):
    return f"<tr><td>{note['id']}</td><td>{note['title']}</td></tr>"


@app.route("/notes/table")
def table():
    return "<table>" + "".join(note_row(n) for n in NOTES.values()) + "</table>"

package main

import (
	"database/sql"
	"net/http"
)

var db *sql.DB

func search(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query().Get("q")
	rows, _ := db.QueryContext(r.Context(), "SELECT id FROM items WHERE name LIKE ?", "%"+q+"%")
	defer rows.Close()
}

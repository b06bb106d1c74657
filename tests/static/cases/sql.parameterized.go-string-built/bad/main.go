package main

import (
	"database/sql"
	"fmt"
	"net/http"
)

var db *sql.DB

func search(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query().Get("q")
	rows, _ := db.Query(fmt.Sprintf("SELECT id FROM items WHERE name = '%s'", q))
	defer rows.Close()
}

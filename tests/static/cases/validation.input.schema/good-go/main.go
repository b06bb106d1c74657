package main

import (
	"encoding/json"
	"net/http"
)

type item struct {
	Name  string `json:"name"`
	Price int    `json:"price"`
}

func create(w http.ResponseWriter, r *http.Request) {
	var in item
	if err := json.NewDecoder(r.Body).Decode(&in); err != nil || in.Name == "" || in.Price < 0 {
		http.Error(w, `{"error":"invalid item"}`, http.StatusBadRequest)
		return
	}
	json.NewEncoder(w).Encode(in)
}

func main() {
	mux := http.NewServeMux()
	mux.HandleFunc("POST /items", create)
	http.ListenAndServe(":8080", mux)
}

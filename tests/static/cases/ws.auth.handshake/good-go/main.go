package main

import (
	"net/http"

	"github.com/gorilla/websocket"
)

var upgrader = websocket.Upgrader{}

func serveWS(w http.ResponseWriter, r *http.Request) {
	if !valid(r.URL.Query().Get("token")) {
		http.Error(w, "unauthorized", http.StatusUnauthorized)
		return
	}
	conn, _ := upgrader.Upgrade(w, r, nil)
	defer conn.Close()
}

func valid(string) bool { return false }

func main() {
	http.HandleFunc("/ws", serveWS)
	_ = http.ListenAndServe(":8080", nil)
}

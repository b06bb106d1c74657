package main

import (
	"net/http"

	"github.com/gorilla/websocket"
)

var upgrader = websocket.Upgrader{
	CheckOrigin: func(r *http.Request) bool { return true },
}

func serveWS(w http.ResponseWriter, r *http.Request) {
	session, err := r.Cookie("session")
	if err != nil || session.Value == "" {
		http.Error(w, "unauthorized", http.StatusUnauthorized)
		return
	}
	conn, _ := upgrader.Upgrade(w, r, nil)
	defer conn.Close()
}

func main() {
	http.HandleFunc("/ws", serveWS)
	_ = http.ListenAndServe(":8080", nil)
}

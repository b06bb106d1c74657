package main

import (
	"net/http"

	"github.com/gorilla/websocket"
)

var upgrader = websocket.Upgrader{}

func serveWS(w http.ResponseWriter, r *http.Request) {
	conn, _ := upgrader.Upgrade(w, r, nil)
	defer conn.Close()
	_ = conn.WriteJSON(map[string]string{"hello": "everyone"})
}

func main() {
	http.HandleFunc("/ws", serveWS)
	_ = http.ListenAndServe(":8080", nil)
}

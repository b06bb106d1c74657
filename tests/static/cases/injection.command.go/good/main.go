package main

import (
	"net/http"
	"os/exec"
)

func ping(w http.ResponseWriter, r *http.Request) {
	out, _ := exec.Command("ping", "-c1", "--", r.URL.Query().Get("host")).Output()
	w.Write(out)
}

func main() {
	http.HandleFunc("/ping", ping)
}

package main

import (
	"crypto/rand"
	"encoding/hex"
)

func resetToken() string {
	b := make([]byte, 16)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

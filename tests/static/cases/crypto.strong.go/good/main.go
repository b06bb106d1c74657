package main

import (
	"crypto/sha256"
	"crypto/tls"
)

var conf = &tls.Config{MinVersion: tls.VersionTLS12}

func digest(b []byte) [32]byte { return sha256.Sum256(b) }

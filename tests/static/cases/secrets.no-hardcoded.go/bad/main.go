package main

var jwtSecret = []byte("my-very-secret-signing-key")

func key() []byte { return jwtSecret }

package main

import (
	"fmt"
	"math/rand"
)

func resetToken() string {
	return fmt.Sprintf("%06d", rand.Intn(1000000))
}

package main

import "github.com/gin-contrib/cors"

func corsConfig() cors.Config {
	return cors.Config{AllowOrigins: []string{"https://app.example.com"}, AllowCredentials: true}
}

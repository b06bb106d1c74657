package main

import "github.com/gin-contrib/cors"

func corsConfig() cors.Config {
	return cors.Config{AllowAllOrigins: true, AllowMethods: []string{"GET"}, AllowCredentials: true}
}

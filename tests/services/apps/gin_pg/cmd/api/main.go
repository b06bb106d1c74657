package main

import (
	"log"
	"os"

	"github.com/gin-gonic/gin"

	"example.com/notes-api/internal/api"
	"example.com/notes-api/internal/store"
)

func main() {
	dsn := os.Getenv("DATABASE_URL")
	if dsn == "" {
		log.Fatal("DATABASE_URL is required")
	}
	secret := os.Getenv("JWT_SECRET")
	if len(secret) < 32 {
		log.Fatal("JWT_SECRET must be at least 32 characters")
	}
	db, err := store.Open(dsn)
	if err != nil {
		log.Fatalf("database: %v", err)
	}
	defer db.Close()

	gin.SetMode(gin.ReleaseMode)
	r := gin.New()
	r.Use(gin.Recovery())
	r.GET("/health", func(c *gin.Context) { c.JSON(200, gin.H{"status": "ok"}) })

	h := &api.Handler{DB: db, Secret: []byte(secret)}
	v1 := r.Group("/api/v1")
	v1.POST("/auth/register", h.Register)
	v1.POST("/auth/login", h.Login)

	notes := v1.Group("/notes")
	notes.Use(h.RequireAuth)
	notes.GET("", h.ListNotes)
	notes.POST("", h.CreateNote)
	notes.GET("/search", h.SearchNotes)
	notes.GET("/:id", h.GetNote)
	notes.PUT("/:id", h.UpdateNote)
	notes.DELETE("/:id", h.DeleteNote)

	port := os.Getenv("PORT")
	if port == "" {
		port = "8080"
	}
	log.Fatal(r.Run(":" + port))
}

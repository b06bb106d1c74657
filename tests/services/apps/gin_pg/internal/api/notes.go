package api

import (
	"database/sql"
	"errors"
	"fmt"
	"net/http"
	"strconv"

	"github.com/gin-gonic/gin"

	"example.com/notes-api/internal/store"
)

type noteInput struct {
	Title string `json:"title" binding:"required,max=200"`
	Body  string `json:"body" binding:"max=10000"`
}

const noteColumns = `id, owner_id, title, body, created_at, updated_at`

func scanNotes(rows *sql.Rows) ([]store.Note, error) {
	defer rows.Close()
	out := []store.Note{}
	for rows.Next() {
		var n store.Note
		if err := rows.Scan(&n.ID, &n.OwnerID, &n.Title, &n.Body, &n.CreatedAt, &n.UpdatedAt); err != nil {
			return nil, err
		}
		out = append(out, n)
	}
	return out, rows.Err()
}

func (h *Handler) ListNotes(c *gin.Context) {
	rows, err := h.DB.QueryContext(c, `SELECT `+noteColumns+` FROM notes WHERE owner_id = $1 ORDER BY id`, c.GetInt64("uid"))
	if err != nil {
		c.JSON(http.StatusInternalServerError, gin.H{"error": "internal error"})
		return
	}
	notes, err := scanNotes(rows)
	if err != nil {
		c.JSON(http.StatusInternalServerError, gin.H{"error": "internal error"})
		return
	}
	c.JSON(http.StatusOK, notes)
}

func (h *Handler) CreateNote(c *gin.Context) {
	var in noteInput
	if err := c.ShouldBindJSON(&in); err != nil {
		c.JSON(http.StatusBadRequest, gin.H{"error": "title is required"})
		return
	}
	var n store.Note
	err := h.DB.QueryRowContext(c, `INSERT INTO notes (owner_id, title, body) VALUES ($1, $2, $3) RETURNING `+noteColumns,
		c.GetInt64("uid"), in.Title, in.Body).Scan(&n.ID, &n.OwnerID, &n.Title, &n.Body, &n.CreatedAt, &n.UpdatedAt)
	if err != nil {
		c.JSON(http.StatusInternalServerError, gin.H{"error": "internal error"})
		return
	}
	c.JSON(http.StatusCreated, n)
}

// SearchNotes: planted defect, the search term is formatted into the SQL text.
func (h *Handler) SearchNotes(c *gin.Context) {
	q := c.Query("q")
	query := fmt.Sprintf("SELECT %s FROM notes WHERE owner_id = %d AND title ILIKE '%%%s%%' ORDER BY id",
		noteColumns, c.GetInt64("uid"), q)
	rows, err := h.DB.QueryContext(c, query)
	if err != nil {
		c.JSON(http.StatusInternalServerError, gin.H{"error": "internal error"})
		return
	}
	notes, err := scanNotes(rows)
	if err != nil {
		c.JSON(http.StatusInternalServerError, gin.H{"error": "internal error"})
		return
	}
	c.JSON(http.StatusOK, notes)
}

// GetNote: planted defect, the note is looked up by id alone, whoever owns it.
func (h *Handler) GetNote(c *gin.Context) {
	id, err := strconv.ParseInt(c.Param("id"), 10, 64)
	if err != nil {
		c.JSON(http.StatusNotFound, gin.H{"error": "not found"})
		return
	}
	rows, err := h.DB.QueryContext(c, `SELECT `+noteColumns+` FROM notes WHERE id = $1`, id)
	if err != nil {
		c.JSON(http.StatusInternalServerError, gin.H{"error": "internal error"})
		return
	}
	notes, err := scanNotes(rows)
	if err != nil || len(notes) == 0 {
		c.JSON(http.StatusNotFound, gin.H{"error": "not found"})
		return
	}
	c.JSON(http.StatusOK, notes[0])
}

func (h *Handler) UpdateNote(c *gin.Context) {
	id, err := strconv.ParseInt(c.Param("id"), 10, 64)
	if err != nil {
		c.JSON(http.StatusNotFound, gin.H{"error": "not found"})
		return
	}
	var in noteInput
	if err := c.ShouldBindJSON(&in); err != nil {
		c.JSON(http.StatusBadRequest, gin.H{"error": "title is required"})
		return
	}
	var n store.Note
	err = h.DB.QueryRowContext(c, `UPDATE notes SET title = $1, body = $2, updated_at = now()
		WHERE id = $3 AND owner_id = $4 RETURNING `+noteColumns,
		in.Title, in.Body, id, c.GetInt64("uid")).Scan(&n.ID, &n.OwnerID, &n.Title, &n.Body, &n.CreatedAt, &n.UpdatedAt)
	if errors.Is(err, sql.ErrNoRows) {
		c.JSON(http.StatusNotFound, gin.H{"error": "not found"})
		return
	}
	if err != nil {
		c.JSON(http.StatusInternalServerError, gin.H{"error": "internal error"})
		return
	}
	c.JSON(http.StatusOK, n)
}

func (h *Handler) DeleteNote(c *gin.Context) {
	id, err := strconv.ParseInt(c.Param("id"), 10, 64)
	if err != nil {
		c.JSON(http.StatusNotFound, gin.H{"error": "not found"})
		return
	}
	res, err := h.DB.ExecContext(c, `DELETE FROM notes WHERE id = $1 AND owner_id = $2`, id, c.GetInt64("uid"))
	if err != nil {
		c.JSON(http.StatusInternalServerError, gin.H{"error": "internal error"})
		return
	}
	if n, _ := res.RowsAffected(); n == 0 {
		c.JSON(http.StatusNotFound, gin.H{"error": "not found"})
		return
	}
	c.Status(http.StatusNoContent)
}

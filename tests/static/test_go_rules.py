"""Go static checks: our semgrep rules for Go run for real and map to the requirement ids."""

from __future__ import annotations

from pathlib import Path

from harness.scorecard import Status
from harness.static import run_static

BAD = """package main

import (
	"crypto/md5"
	"database/sql"
	"encoding/hex"
	"fmt"
	"net/http"
	"os/exec"

	"github.com/gin-gonic/gin"
)

var db *sql.DB

const jwtSecret = "hunter2-signing-key"

func hashPassword(pw string) string {
	sum := md5.Sum([]byte(pw))
	return hex.EncodeToString(sum[:])
}

func search(c *gin.Context) {
	q := c.Query("q")
	rows, _ := db.Query(fmt.Sprintf("SELECT id FROM todos WHERE title LIKE '%%%s%%'", q))
	defer rows.Close()
	_ = exec.Command("sh", "-c", "grep "+q).Run()
	c.JSON(200, gin.H{"password": hashPassword(q)})
}

func main() {
	r := gin.Default()
	r.GET("/search", search)
	http.ListenAndServe(":8080", r)
}
"""

GOOD = """package main

import (
	"database/sql"
	"net/http"
	"os"
	"time"

	"github.com/gin-gonic/gin"
	"golang.org/x/crypto/bcrypt"
)

var db *sql.DB

func search(c *gin.Context) {
	rows, _ := db.Query("SELECT id FROM todos WHERE title LIKE ?", "%"+c.Query("q")+"%")
	defer rows.Close()
	h, _ := bcrypt.GenerateFromPassword([]byte(c.Query("password")), bcrypt.DefaultCost)
	c.JSON(200, gin.H{"n": len(h), "k": len(os.Getenv("JWT_SECRET"))})
}

func main() {
	r := gin.Default()
	r.GET("/search", search)
	srv := &http.Server{Addr: ":8080", Handler: r, ReadHeaderTimeout: 5 * time.Second}
	srv.ListenAndServe()
}
"""

CHECKS = (
    "sql.parameterized.go-string-built",
    "injection.command.go",
    "auth.password-hashing.go-fast-hash",
    "secrets.no-hardcoded.go",
    "robustness.no-crash.go-server-timeouts",
)


def _run(tmp: Path, source: str) -> dict:
    (tmp / "go.mod").write_text("module x\n\ngo 1.22\n")
    (tmp / "main.go").write_text(source)
    run = run_static(tmp)
    return {r.check: r for r in run.results}


def test_planted_go_defects_fail_their_checks_with_located_findings(tmp_path: Path) -> None:
    results = _run(tmp_path, BAD)
    for check in CHECKS:
        assert results[check].status is Status.failed, (check, results[check].message)
    sql = results["sql.parameterized.go-string-built"]
    assert any(e.finding and e.finding.line == 25 for e in sql.evidence)


def test_the_same_app_written_safely_passes_them(tmp_path: Path) -> None:
    results = _run(tmp_path, GOOD)
    for check in CHECKS:
        assert results[check].status is Status.passed, (check, results[check].message)

"""Go backends: detection, routes through groups and registration functions, handler inputs."""

from __future__ import annotations

from pathlib import Path

from harness.app import detect_app, find_handlers
from harness.static._sources import load_sources

ROOT = Path(__file__).resolve().parents[2]
APPS = ROOT / "fixtures" / "apps"


def routes(profile) -> set[tuple[str, str]]:
    return {(r.method, r.path) for r in profile.routes}


def write(tmp: Path, files: dict[str, str]) -> Path:
    for rel, text in files.items():
        (tmp / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp / rel).write_text(text)
    return tmp


def test_gin_app_across_packages_with_groups_and_bound_structs() -> None:
    p = detect_app(APPS / "todo-gin-bad")
    assert (p.language, p.framework, p.entrypoint, p.app_dir) == ("go", "gin", "main.go", ".")
    assert (p.port_env, p.default_port, p.hardcoded_port) == ("PORT", 8080, None)
    assert p.dependency_files == ["go.mod"]
    assert routes(p) == {
        ("GET", "/health"),
        ("POST", "/api/register"),
        ("POST", "/api/login"),
        ("GET", "/api/todos"),
        ("POST", "/api/todos"),
        ("GET", "/api/todos/{id}"),
        ("DELETE", "/api/todos/{id}"),
    }
    by = {(r.method, r.path): r for r in p.routes}
    assert by[("POST", "/api/register")].body_fields == ["email", "password"]
    assert by[("POST", "/api/todos")].body_kind == "json"
    assert by[("GET", "/api/todos")].query_params == ["q"]


def test_chi_route_closures_mounted_routers_and_json_decoding() -> None:
    p = detect_app(APPS / "notes-chi-good")
    assert (p.framework, p.port_env, p.default_port) == ("chi", "PORT", 8080)
    assert routes(p) == {
        ("GET", "/healthz"),
        ("GET", "/api/v1/search"),
        ("GET", "/api/v1/notes"),
        ("POST", "/api/v1/notes"),
        ("GET", "/api/v1/notes/{noteID}"),
        ("DELETE", "/api/v1/notes/{noteID}"),
    }
    create = next(r for r in p.routes if r.method == "POST")
    assert create.body_fields == ["title", "body"]


MOD = "module example.com/x\n\ngo 1.22\n"


def test_echo_groups_and_query_params(tmp_path: Path) -> None:
    write(tmp_path, {
        "go.mod": MOD + "require github.com/labstack/echo/v4 v4.12.0\n",
        "main.go": """package main

import "github.com/labstack/echo/v4"

type login struct {
	User string `json:"username"`
	Pass string `json:"password"`
	internal string
}

func main() {
	e := echo.New()
	g := e.Group("/v1")
	g.POST("/login", doLogin)
	g.GET("/items/:id", func(c echo.Context) error { return c.String(200, c.QueryParam("fields")) })
	e.Logger.Fatal(e.Start(":1323"))
}

func doLogin(c echo.Context) error {
	var in login
	if err := c.Bind(&in); err != nil {
		return err
	}
	return nil
}
""",
    })  # fmt: skip
    p = detect_app(tmp_path)
    assert p.framework == "echo"
    assert (p.hardcoded_port, p.port_env) == (1323, None)
    assert routes(p) == {("POST", "/v1/login"), ("GET", "/v1/items/{id}")}
    by = {r.path: r for r in p.routes}
    assert by["/v1/login"].body_fields == ["username", "password"]
    assert by["/v1/items/{id}"].query_params == ["fields"]


def test_fiber_gorilla_and_servemux_patterns(tmp_path: Path) -> None:
    fiber = write(tmp_path / "fiber", {
        "go.mod": MOD,
        "main.go": """package main

import "github.com/gofiber/fiber/v2"

func main() {
	app := fiber.New()
	api := app.Group("/api")
	api.Get("/users", list)
	api.Post("/users", create)
	app.Listen(":3000")
}
""",
    })  # fmt: skip
    assert routes(detect_app(fiber)) == {("GET", "/api/users"), ("POST", "/api/users")}
    gorilla = write(tmp_path / "gorilla", {
        "go.mod": MOD,
        "main.go": """package main

import (
	"net/http"

	"github.com/gorilla/mux"
)

func main() {
	r := mux.NewRouter()
	s := r.PathPrefix("/api").Subrouter()
	s.HandleFunc("/books/{id:[0-9]+}", getBook).Methods("GET", "PUT")
	r.HandleFunc("/upload", upload).Methods(http.MethodPost)
	http.ListenAndServe(":8000", r)
}

func upload(w http.ResponseWriter, r *http.Request) {
	f, _, _ := r.FormFile("document")
	_ = f
}
""",
    })  # fmt: skip
    p = detect_app(gorilla)
    assert p.framework == "gorilla"
    assert {("GET", "/api/books/{id}"), ("PUT", "/api/books/{id}")} <= routes(p)
    upload = next(r for r in p.routes if r.path == "/upload")
    assert (upload.body_kind, upload.body_fields) == ("multipart", ["document"])
    stdlib = write(tmp_path / "stdlib", {
        "go.mod": MOD,
        "cmd/server/main.go": """package main

import (
	"net/http"
	"os"
)

func main() {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /tasks/{id}", getTask)
	mux.HandleFunc("POST /tasks", func(w http.ResponseWriter, r *http.Request) {
		_ = r.FormValue("title")
	})
	http.HandleFunc("/legacy", legacy)
	http.ListenAndServe(":"+os.Getenv("PORT"), mux)
}
""",
    })  # fmt: skip
    p = detect_app(stdlib)
    assert (p.framework, p.entrypoint, p.app_dir) == ("nethttp", "cmd/server/main.go", "cmd/server")
    assert routes(p) == {("GET", "/tasks/{id}"), ("POST", "/tasks"), ("ANY", "/legacy")}
    post = next(r for r in p.routes if r.path == "/tasks")
    assert (post.body_kind, post.body_fields) == ("form", ["title"])


def test_go_handlers_carry_the_handler_function_body() -> None:
    repo = APPS / "todo-gin-bad"
    files = [f for f in (repo.rglob("*.go"))]
    sources, _ = load_sources(repo, [f.relative_to(repo).as_posix() for f in files])
    handlers = {(h.method, h.path): h for h in find_handlers(sources)}
    reg = handlers[("POST", "/api/register")]
    assert reg.language == "go" and reg.file == "internal/handlers/auth.go"
    assert "hashPassword(req.Password)" in reg.body
    assert handlers[("GET", "/api/todos/{id}")].name == "GetTodo"

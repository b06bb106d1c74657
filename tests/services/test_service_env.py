"""How the app is pointed at its private servers: URLs and DSNs from its example environment
retargeted, the split variables naming the same user and database (no server started here)."""

from __future__ import annotations

from pathlib import Path

from harness.app import detect_app, example_environment
from harness.runner._services import _environment

GO_MOD = (
    "module example.com/api\n\ngo 1.22\n\n"
    "require (\n\tgithub.com/jackc/pgx/v5 v5.7.1\n\tgithub.com/redis/go-redis/v9 v9.7.0\n)\n"
)


def test_go_drivers_name_the_servers(tmp_path: Path) -> None:
    (tmp_path / "go.mod").write_text(GO_MOD)
    (tmp_path / "main.go").write_text("package main\n\nfunc main() {}\n")
    found = {s.kind: s.evidence for s in detect_app(tmp_path).services}
    assert found == {
        "postgres": ["Go module github.com/jackc/pgx/v5"],
        "redis": ["Go module github.com/redis/go-redis/v9"],
    }


def _env(tmp_path: Path, example: str, needed: list[str]) -> tuple[dict, dict]:
    (tmp_path / "go.mod").write_text(GO_MOD)
    (tmp_path / "main.go").write_text("package main\n\nfunc main() {}\n")
    (tmp_path / ".env.example").write_text(example)
    profile = detect_app(tmp_path)
    return _environment(needed, example_environment(tmp_path), "", profile)


def test_a_libpq_key_value_dsn_is_retargeted_and_its_names_created(tmp_path: Path) -> None:
    env, accounts = _env(
        tmp_path,
        "DB_DSN=host=db port=5433 user=shop password=s3cret dbname=orders sslmode=disable\n",
        ["postgres"],
    )
    assert env["DB_DSN"] == (
        "host=127.0.0.1 port=5432 user=shop password=s3cret dbname=orders sslmode=disable"
    )
    assert accounts["postgres"] == ({"shop"}, {"orders"})
    # psql migrations and apps reading the split variables reach the same database
    assert (env["PGUSER"], env["PGDATABASE"], env["DB_NAME"]) == ("shop", "orders", "orders")
    assert env["DATABASE_URL"].endswith("@127.0.0.1:5432/orders")


def test_a_go_mysql_dsn_is_retargeted(tmp_path: Path) -> None:
    env, accounts = _env(
        tmp_path, "MYSQL_DSN=root:pw@tcp(mysql:3307)/inventory?parseTime=true\n", ["mysql"]
    )
    assert env["MYSQL_DSN"] == "root:pw@tcp(127.0.0.1:3306)/inventory?parseTime=true"
    assert "inventory" in accounts["mysql"][1]
    assert env["DB_NAME"] == "inventory"


def test_the_url_names_the_database_of_the_split_variables(tmp_path: Path) -> None:
    env, accounts = _env(
        tmp_path,
        "DATABASE_URL=postgres://notes:notes@db:5432/notes?sslmode=disable\n",
        ["postgres"],
    )
    assert env["DATABASE_URL"] == "postgres://notes:notes@127.0.0.1:5432/notes?sslmode=disable"
    assert (env["PGUSER"], env["PGDATABASE"], env["POSTGRES_DB"]) == ("notes", "notes", "notes")
    assert accounts["postgres"] == ({"notes"}, {"notes"})


def test_connection_variables_the_code_reads_get_the_private_instance(tmp_path: Path) -> None:
    (tmp_path / "go.mod").write_text(GO_MOD)
    (tmp_path / "main.go").write_text("package main\n\nfunc main() {}\n")
    profile = detect_app(tmp_path)
    source = 'dsn := os.Getenv("POSTGRES_DSN")\nurl := os.Getenv("DB_URL")\nos.Getenv("OTHER")'
    env, _ = _environment(["postgres"], {}, source, profile)
    assert env["POSTGRES_DSN"] == env["DB_URL"] == env["DATABASE_URL"]
    assert env["DATABASE_URL"] == "postgresql://app:app@127.0.0.1:5432/app"
    assert "OTHER" not in env and "MYSQL_DSN" not in env
    env, _ = _environment(["mysql"], {}, 'os.Getenv("MYSQL_DSN")', profile)
    assert env["MYSQL_DSN"] == "app:app@tcp(127.0.0.1:3306)/app?parseTime=true"

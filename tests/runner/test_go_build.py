"""Go apps: go build as a confined, cached step; the binary alone started in the sandbox."""

from __future__ import annotations

from pathlib import Path

import pytest

from harness.app import detect_app
from harness.runner import start_app
from harness.runner._go import BINARY, build, cache_key, go_binary

pytestmark = pytest.mark.skipif(go_binary() is None, reason="no Go toolchain (go) on this machine")

SERVER = """package main

import (
	"fmt"
	"net/http"
	"os"
)

func main() {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /whoami", func(w http.ResponseWriter, r *http.Request) {
		_, err := os.ReadFile("/root/.bashrc")
		fmt.Fprintf(w, "uid=%d home-readable=%v", os.Getuid(), err == nil)
	})
	http.ListenAndServe(":"+os.Getenv("PORT"), mux)
}
"""


def test_a_bare_main_go_gets_a_module_and_a_cached_build(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("HARNESS_CACHE_DIR", str(tmp_path / "cache"))
    app = tmp_path / "app"
    app.mkdir()
    (app / "main.go").write_text(SERVER)
    profile = detect_app(app)
    assert (profile.language, profile.framework) == ("go", "nethttp")
    key = cache_key(app)  # of the repo as it came: go mod init adds a go.mod to the copy
    log = tmp_path / "build.log"
    first = build(profile, app, log)
    assert (app / BINARY).is_file()
    assert not first.cached
    assert any("go mod init" in n for n in first.notes)
    assert (first.path / ".ready").is_file()
    assert first.path.parent.name == "go" and first.path.name == key
    (app / "go.mod").unlink()  # the repo as it came again
    again = build(profile, app, log)  # same go.mod, go.sum and Go: the same cache entry
    assert again.cached and again.path == first.path


def test_the_built_binary_runs_in_the_sandbox_without_the_toolchain(tmp_path: Path) -> None:
    repo = tmp_path / "whoami"  # a 0755 folder, as repos are (pytest's tmp_path is 0700)
    repo.mkdir()
    (repo / "go.mod").write_text("module whoami\n\ngo 1.22\n")
    (repo / "main.go").write_text(SERVER)
    profile = detect_app(repo)
    assert [(r.method, r.path) for r in profile.routes] == [("GET", "/whoami")]
    with start_app(profile) as app:
        body = app.sync_client().get("/whoami").text
        assert "home-readable=false" in body  # the sandbox hides /root
        assert any(n.startswith("started with the binary built from") for n in app.notes)

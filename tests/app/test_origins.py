"""The CORS allow-list a repo documents in its example environment: handed to the app by the
runners and tried first by the CORS probe; wildcards and placeholders are not origins."""

from __future__ import annotations

from pathlib import Path

from harness.app import documented_origins, origin_settings


def test_documented_origins_come_from_the_example_environment(tmp_path: Path) -> None:
    (tmp_path / ".env.example").write_text(
        "PORT=3000\n"
        "JWT_SECRET=change-me\n"
        "CORS_ORIGINS=https://app.example.com, http://localhost:5173/\n"
        "FRONTEND_URL=http://localhost:5173\n"
        "ALLOWED_ORIGINS=*\n"
        "CORS_ORIGIN_REGEX=^https://.*\\.example\\.com$\n"
    )
    assert origin_settings(tmp_path) == {
        "CORS_ORIGINS": "https://app.example.com, http://localhost:5173/",
        "FRONTEND_URL": "http://localhost:5173",
    }
    assert documented_origins(tmp_path) == ["https://app.example.com", "http://localhost:5173"]


def test_no_example_environment_means_no_origins(tmp_path: Path) -> None:
    assert origin_settings(tmp_path) == {} and documented_origins(tmp_path) == []


def test_the_docker_runner_hands_the_documented_allow_list_over(tmp_path: Path) -> None:
    from harness.app import detect_app
    from harness.runner._docker import container_env

    (tmp_path / "app.py").write_text(
        "from flask import Flask\n\napp = Flask(__name__)\n\n\n@app.get('/health')\n"
        "def health():\n    return {'ok': True}\n"
    )
    (tmp_path / ".env.example").write_text(
        "CORS_ORIGINS=http://localhost:5173\nJWT_SECRET=change-me\n"
    )
    env = container_env(None, None, detect_app(tmp_path))
    assert env["CORS_ORIGINS"] == "http://localhost:5173"
    assert env["JWT_SECRET"] != "change-me"  # placeholders stay the harness's own secrets

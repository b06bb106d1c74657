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

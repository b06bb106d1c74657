"""Optional extras a framework feature needs at run time are added for apps that forget them."""

from __future__ import annotations

import pytest

from harness.app import detect_app
from harness.runner import start_app
from harness.runner._deps import server_extras
from tests.runner.conftest import APPS

APP = APPS / "fastapi_forms_session"


def test_the_features_the_code_uses_name_their_extras() -> None:
    profile = detect_app(APP)
    assert profile.dependency_files == []
    extras = server_extras(profile, list(profile.inferred_dependencies))
    assert "itsdangerous" in extras  # no import names it: only the feature does
    assert {"uvicorn", "python-multipart"} <= {*extras, *profile.inferred_dependencies}
    assert set(server_extras(profile, [])) >= {"uvicorn", "itsdangerous", "python-multipart"}
    # declared already: not added twice
    declared = server_extras(profile, ["itsdangerous==2.2.0", "python-multipart", "uvicorn"])
    assert "itsdangerous" not in declared and "python-multipart" not in declared


@pytest.mark.live
def test_a_form_and_session_app_without_requirements_starts(tag: str) -> None:
    with start_app(detect_app(APP), env={"TEST_TAG": tag}) as app:
        with app.sync_client() as client:
            signed = client.post("/login", data={"username": "ada", "password": "pw"})
            assert signed.status_code == 200 and signed.json() == {"user": "ada"}
            assert client.get("/me").json() == {"user": "ada"}  # the session cookie came back
        assert any("added to serve the app" in n and "itsdangerous" in n for n in app.notes)

"""Import name -> distribution mapping (checks/import_names.yaml) and Node package names."""

from __future__ import annotations

import pytest

from harness.app import import_name_map, node_package, python_distribution


@pytest.mark.parametrize(
    ("module", "dist"),
    [
        ("jwt", "PyJWT"),
        ("flask_cors", "flask-cors"),
        ("jose", "python-jose[cryptography]"),
        ("passlib.context", "passlib[bcrypt]"),
        ("bcrypt", "bcrypt"),
        ("dotenv", "python-dotenv"),
        ("yaml", "PyYAML"),
        ("sqlalchemy.orm", "SQLAlchemy"),
        ("multipart", "python-multipart"),
        ("PIL", "Pillow"),
        ("rest_framework", "djangorestframework"),
        ("requests", "requests"),
        ("some_unlisted_pkg", "some_unlisted_pkg"),  # unknown names install as themselves
    ],
)
def test_python_distribution(module: str, dist: str) -> None:
    assert python_distribution(module) == dist


@pytest.mark.parametrize(
    "module",
    [
        "os",
        "sqlite3",
        "json",
        "datetime",
        "functools",
        "__future__",
        "asyncio",
        "typing",
        "hashlib",
        "secrets",
        "tomllib",
    ],
)
def test_stdlib_is_not_a_distribution(module: str) -> None:
    assert python_distribution(module) is None


@pytest.mark.parametrize(
    ("name", "pkg"),
    [
        ("express", "express"),
        ("better-sqlite3", "better-sqlite3"),
        ("lodash/fp", "lodash"),
        ("@prisma/client", "@prisma/client"),
        ("@aws-sdk/client-s3/dist", "@aws-sdk/client-s3"),
        ("fs", None),
        ("node:crypto", None),
        ("fs/promises", None),
        ("./db", None),
        ("../lib/x.js", None),
        ("/abs/path", None),
    ],
)
def test_node_package(name: str, pkg: str | None) -> None:
    assert node_package(name) == pkg


def test_mapping_file_is_well_formed() -> None:
    data = import_name_map()
    assert set(data) == {"python", "node"}
    assert len(data["python"]) > 50
    for module, dist in data["python"].items():
        assert module.isidentifier(), module
        assert dist and " " not in dist, dist

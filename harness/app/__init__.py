"""What a generated backend is: language, framework, entrypoint, dependencies, routes."""

from harness.app._deps import import_name_map, node_package, python_distribution
from harness.app._detect import detect_app
from harness.app._model import AppProfile, Route

__all__ = [
    "AppProfile",
    "Route",
    "detect_app",
    "import_name_map",
    "node_package",
    "python_distribution",
]

"""What a generated backend is: language, framework, entrypoint, dependencies, routes; and the
readers every stage uses to look at its files (one walker, one reader per source language)."""

from harness.app._deps import import_name_map, node_package, python_distribution
from harness.app._detect import detect_app
from harness.app._files import SKIP_DIRS, TEST_DIRS, is_test_path, list_files, read_text
from harness.app._graphql import GraphQLSource, read_graphql
from harness.app._hazards import Hazard, expansions, patterns_from_input, unbounded_sizes
from harness.app._js_text import call_end
from harness.app._model import AppProfile, RealtimeEndpoint, Route, ServiceNeed
from harness.app._origins import documented_origins, origin_settings
from harness.app._readers import (
    LanguageReader,
    annotate_inputs,
    find_handlers,
    reader_for,
    readers,
    register_reader,
)
from harness.app._realtime import find_realtime
from harness.app._routes import AppFile, Handler, SourceLike
from harness.app._services import detect_services, example_environment

__all__ = [
    "SKIP_DIRS",
    "TEST_DIRS",
    "AppFile",
    "AppProfile",
    "GraphQLSource",
    "Handler",
    "Hazard",
    "LanguageReader",
    "RealtimeEndpoint",
    "Route",
    "ServiceNeed",
    "SourceLike",
    "annotate_inputs",
    "call_end",
    "detect_app",
    "detect_services",
    "documented_origins",
    "example_environment",
    "expansions",
    "find_handlers",
    "find_realtime",
    "import_name_map",
    "is_test_path",
    "list_files",
    "node_package",
    "origin_settings",
    "patterns_from_input",
    "python_distribution",
    "read_graphql",
    "read_text",
    "reader_for",
    "readers",
    "register_reader",
    "unbounded_sizes",
]

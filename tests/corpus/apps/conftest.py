"""These are apps the harness scores, some with their own test suites (run by the harness inside
each app's sandbox); the project's test run must not collect them."""

collect_ignore_glob = ["*"]

"""Live probes: small async checks run against the started backend over HTTP, each registered in
the one check registry and returning a CheckResult with the exchanges it saw as evidence."""

from harness.probes import (  # noqa: F401  (importing registers the checks)
    _api,
    _at_rest,
    _auth,
    _errors,
    _exhaust,
    _gql_injection,
    _graphql,
    _headers,
    _injection,
    _lifecycle,
    _mass_assignment,
    _nosql,
    _perf,
    _ratelimit,
    _realtime,
    _ssrf,
    _storage,
    _suite,
    _xss,
)
from harness.probes._context import (
    ProbeBlind,
    ProbeContext,
    ProbeError,
    ProbeSkip,
    Record,
    Session,
    curl_line,
    probe,
)
from harness.probes._preconditions import (
    requires_record,
    requires_records,
    requires_resource,
    requires_signed_in_user,
)
from harness.probes._run import PHASES, ProbeRun, arun_probes, live_checks, run_probes
from harness.probes._session import account_for, signed_in_session

__all__ = [
    "PHASES",
    "ProbeBlind",
    "ProbeContext",
    "ProbeError",
    "ProbeRun",
    "ProbeSkip",
    "Record",
    "Session",
    "account_for",
    "arun_probes",
    "curl_line",
    "live_checks",
    "probe",
    "requires_record",
    "requires_records",
    "requires_resource",
    "requires_signed_in_user",
    "run_probes",
    "signed_in_session",
]

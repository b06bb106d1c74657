"""One registry of checks, fed two ways: data entries from checks/*.yaml (semgrep and bandit rules
mapped to requirements) and small Python functions registered with :func:`check`.

A check verifies one requirement. Static checks receive a ``StaticContext``
(harness.static), live ones a ``ProbeContext`` (harness.probes); both return a
:class:`~harness.scorecard.CheckResult`, built with :func:`passed`, :func:`failed`,
:func:`not_applicable`, :func:`not_checkable` or :func:`errored`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Literal

from harness.catalogue._options import CheckOptions, options_model
from harness.scorecard._model import CheckResult, Evidence, Severity, Status

Kind = Literal["static", "live"]


@dataclass(frozen=True)
class CheckSpec:
    """What the registry knows of a check: its id, the requirement it verifies and how."""

    id: str
    requirement: str
    kind: Kind
    title: str
    severity: Severity = Severity.medium
    languages: tuple[str, ...] = ()  # empty: any language
    tool: str = "harness"  # harness | semgrep | bandit
    rules: tuple[str, ...] = ()  # semgrep rule ids / bandit test ids for data checks
    func: Callable[..., Any] | None = field(default=None, compare=False)
    options: dict[str, Any] = field(default_factory=dict, compare=False)
    """The defaults of the check's tunable options (its ``options_model``'s fields)."""
    phase: str = "main"
    """When a live check runs: main, late, perf, burst, logs, final or shutdown."""
    timeout_s: float | None = None
    """How long a live check may run (the runner's default when None)."""
    options_model: type[CheckOptions] = field(default=CheckOptions, compare=False)
    """The typed options an override is validated against."""

    def result(
        self, status: Status, message: str, evidence: list[Evidence] | None = None
    ) -> CheckResult:
        return CheckResult(
            check=self.id,
            requirement=self.requirement,
            kind=self.kind,
            status=status,
            severity=self.severity,
            message=message,
            evidence=evidence or [],
        )


_REGISTRY: dict[str, CheckSpec] = {}


def register(spec: CheckSpec) -> CheckSpec:
    if spec.id in _REGISTRY and _REGISTRY[spec.id].func is not spec.func:
        raise ValueError(f"check id {spec.id!r} is registered twice")
    _REGISTRY[spec.id] = spec
    return spec


def check(
    id: str,
    *,
    requirement: str,
    kind: Kind,
    title: str,
    severity: Severity | str = Severity.medium,
    languages: tuple[str, ...] = (),
    phase: str = "main",
    timeout_s: float | None = None,
    options: type[CheckOptions] | None = None,
    **defaults: Any,
) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Register a function as the check ``id`` for ``requirement``.

    ``phase`` and ``timeout_s`` schedule a live check. ``options`` is the check's options model;
    without one, a model is made from the keyword ``defaults``. A policy's ``checks:`` section
    overrides them per check id or requirement id (validated: an unknown key is an error).
    """
    model = options or options_model(id, defaults)
    values = {**model().model_dump(exclude={"enabled"}), **defaults}

    def decorate(func: Callable[..., Any]) -> Callable[..., Any]:
        spec = CheckSpec(
            id=id,
            requirement=requirement,
            kind=kind,
            title=title,
            severity=Severity(severity),
            languages=languages,
            func=func,
            options=values,
            phase=phase,
            timeout_s=timeout_s,
            options_model=model,
        )
        register(spec)
        func.spec = spec  # type: ignore[attr-defined]
        return func

    return decorate


def registered_checks(
    *, kind: Kind | None = None, requirement: str | None = None
) -> list[CheckSpec]:
    """Registered checks, filtered by kind and requirement. Importing harness.static and
    harness.probes fills the registry."""
    return [
        s
        for s in _REGISTRY.values()
        if (kind is None or s.kind == kind)
        and (requirement is None or s.requirement == requirement)
    ]


def get_check(id: str) -> CheckSpec:
    try:
        return _REGISTRY[id]
    except KeyError:
        raise KeyError(f"no check with id {id!r}; `harness checks` lists them") from None


def passed(spec: CheckSpec, message: str, *evidence: Evidence) -> CheckResult:
    return spec.result(Status.passed, message, list(evidence))


def failed(spec: CheckSpec, message: str, *evidence: Evidence) -> CheckResult:
    return spec.result(Status.failed, message, list(evidence))


def not_applicable(spec: CheckSpec, reason: str, *evidence: Evidence) -> CheckResult:
    return spec.result(Status.not_applicable, reason, list(evidence))


def not_checkable(spec: CheckSpec, reason: str, *evidence: Evidence) -> CheckResult:
    """The check could not exercise the behaviour (discovery found nothing it should have)."""
    return spec.result(Status.not_checkable, reason, list(evidence))


def errored(spec: CheckSpec, reason: str, *evidence: Evidence) -> CheckResult:
    return spec.result(Status.error, reason, list(evidence))


def note(message: str, **data: Any) -> Evidence:
    """A plain evidence note, e.g. what was searched for and not found."""
    return Evidence(kind="note", message=message, data=data or None)

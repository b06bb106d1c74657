"""Prompt regression: generate repos from agents, score them in batches, and compare batches.

- :func:`generate` runs any agent through a command template and caches what it writes.
- :func:`run_batch` generates and scores every agent x task x sample, resumably, in parallel, and
  summarises pass rates (Wilson intervals), pass@k and scores; on this machine or, with
  ``engine="ray"``, as tasks on a Ray cluster (:class:`RayOptions`, :func:`generate_on_ray`).
- :data:`PRESETS` names command templates for the agent CLIs people use (Claude Code, Codex,
  Aider, OpenCode, Gemini CLI); :func:`install_agent` puts an agent file where such a CLI reads it.
- :func:`diff` compares two scorecards or two batches requirement by requirement, with exact tests.
"""

from harness.batch._batch import (
    AgentEntry,
    BatchResult,
    BatchSpec,
    SampleJob,
    load_spec,
    make_spec,
    run_batch,
)
from harness.batch._diff import Counts, DiffReport, RequirementDiff, compare, diff, load_side
from harness.batch._generate import (
    GeneratedRepo,
    GenerateError,
    cache_root,
    content_hash,
    expand_command,
    generate,
    task_prompt,
)
from harness.batch._presets import (
    PRESETS,
    TARGETS,
    Preset,
    agent_name,
    command_from,
    install_agent,
    preset_command,
)
from harness.batch._ray import ENGINES, RayOptions, generate_on_ray
from harness.batch._render import (
    DIFF_FORMATS,
    diff_html,
    diff_json,
    diff_markdown,
    render_diff,
    summary_html,
    summary_markdown,
)
from harness.batch._stats import (
    Spread,
    fisher_exact,
    holm,
    mcnemar_exact,
    pass_at_k,
    wilson_interval,
)
from harness.batch._summary import (
    BatchSummary,
    GroupSummary,
    RequirementStats,
    SampleOutcome,
    load_summary,
    outcome_of,
    summarise,
)

__all__ = [
    "DIFF_FORMATS",
    "ENGINES",
    "PRESETS",
    "TARGETS",
    "AgentEntry",
    "BatchResult",
    "BatchSpec",
    "BatchSummary",
    "Counts",
    "DiffReport",
    "GenerateError",
    "GeneratedRepo",
    "GroupSummary",
    "Preset",
    "RayOptions",
    "RequirementDiff",
    "RequirementStats",
    "SampleJob",
    "SampleOutcome",
    "Spread",
    "agent_name",
    "cache_root",
    "command_from",
    "compare",
    "content_hash",
    "diff",
    "diff_html",
    "diff_json",
    "diff_markdown",
    "expand_command",
    "fisher_exact",
    "generate",
    "generate_on_ray",
    "holm",
    "install_agent",
    "load_side",
    "load_spec",
    "load_summary",
    "make_spec",
    "mcnemar_exact",
    "outcome_of",
    "pass_at_k",
    "preset_command",
    "render_diff",
    "run_batch",
    "summarise",
    "summary_html",
    "summary_markdown",
    "task_prompt",
    "wilson_interval",
]

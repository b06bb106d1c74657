"""A local, read-only viewer over every scorecard, batch and diff under a folder.

- :func:`build_index` lists what a folder holds (:class:`Index`), by the files' own schema.
- :class:`Viewer` serves the list with a filter, each scorecard's HTML report, batch summaries,
  stored diffs and a comparison of any two batch agents, on 127.0.0.1 only, GET only.
"""

from harness.view._index import BatchEntry, CardEntry, DiffEntry, Index, build_index
from harness.view._server import HOST, Viewer

__all__ = ["HOST", "BatchEntry", "CardEntry", "DiffEntry", "Index", "Viewer", "build_index"]

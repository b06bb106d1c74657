"""Moving files between the machine that runs a batch and the nodes that do its work.

Nodes of a cluster share no filesystem: inputs (agent, task, contract) travel to them as tar
bytes and are unpacked once per node into a cache keyed by content; a generated repo travels back
the same way. Generated repos are untrusted: unpacking drops members that would land outside the
target (absolute paths, ``..``, links pointing out), like tarfile's "data" filter.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import json
import os
import shutil
import tarfile
import tempfile
from pathlib import Path


def pack(path: Path, arcname: str = ".") -> bytes:
    """A file or a directory (symlinks kept as links) as gzipped tar bytes."""
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w:gz", compresslevel=1) as tar:
        tar.add(str(path), arcname=arcname)
    return buffer.getvalue()


def _safe_member(member: tarfile.TarInfo, dest: str) -> tarfile.TarInfo | None:
    try:
        return tarfile.data_filter(member, dest)
    except tarfile.FilterError:
        return None  # skipped, never written


def unpack(blob: bytes, dest: Path) -> Path:
    """Unpack ``blob`` into ``dest`` (created); unsafe members are left out."""
    dest.mkdir(parents=True, exist_ok=True)
    with tarfile.open(fileobj=io.BytesIO(blob), mode="r:gz") as tar:
        tar.extractall(dest, filter=_safe_member)
    return dest


def blob_key(blob: bytes) -> str:
    return hashlib.sha256(blob).hexdigest()[:32]


def materialise(blob: bytes, name: str, root: Path) -> Path:
    """The input packed in ``blob`` (as ``name``) unpacked under ``root``, once per content: an
    entry is complete or absent (atomic rename), so parallel tasks on a node share it."""
    target = root / blob_key(blob)
    if not (target / name).exists():
        root.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(prefix=".in-", dir=root))
        try:
            unpack(blob, staging)
            staging.rename(target)
        except OSError:
            shutil.rmtree(staging, ignore_errors=True)  # another task stored it first
    return target / name


def replace_paths(text: str, mapping: dict[Path, Path]) -> str:
    """``text`` (JSON) with every node-local path in ``mapping`` replaced by the batch's own, so
    that a scorecard made on a node names the files where the batch keeps them."""
    # longest first: a repo inside a scratch directory must not be cut at the scratch prefix
    for old, new in sorted(mapping.items(), key=lambda kv: -len(str(kv[0]))):
        text = text.replace(json.dumps(str(old))[1:-1], json.dumps(str(new))[1:-1])
    return text


def replace_tree(dest: Path, blob: bytes) -> None:
    """``dest`` holding exactly what ``blob`` holds (what was there before is removed)."""
    if dest.is_symlink() or dest.is_file():
        dest.unlink()
    elif dest.exists():
        shutil.rmtree(dest)
    unpack(blob, dest)


def scratch_root() -> Path:
    """Per-task working space on a node; the OS temp dir unless HARNESS_RAY_SCRATCH says."""
    base = os.environ.get("HARNESS_RAY_SCRATCH") or tempfile.gettempdir()
    path = Path(base)
    with contextlib.suppress(OSError):
        path.mkdir(parents=True, exist_ok=True)
    return path

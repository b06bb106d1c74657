"""Reading agent definition files: YAML frontmatter plus a markdown body.

Real agent files are messy (unquoted colons and ``\\n`` escapes in descriptions, tabs, CRLF, a
BOM, bytes that are not UTF-8), so parsing never fails on content: every problem becomes a
:class:`Diagnostic` and the reader carries on with its best reading of the file.

The fences are found here rather than by a frontmatter library: authors open after blank or
comment lines, close with ``...``, forget to close before the first heading, or write TOML
between ``+++``; once the block is found, valid YAML is one ``yaml.safe_load``.
"""

from __future__ import annotations

import codecs
import datetime as _dt
import hashlib
import re
from pathlib import Path
from typing import Any

import yaml

from harness.agent._model import Agent, AgentFileError, Diagnostic

# Authors write "---", "----------" or "--- " around YAML and "+++" around TOML frontmatter.
_OPEN = re.compile(r"^(-{3,}|\+{3,})[ \t]*$")
_CLOSE = re.compile(r"^(?:-{3,}|\.\.\.)[ \t]*$")
_TOML_CLOSE = re.compile(r"^\+{3,}[ \t]*$")
_COMMENT = re.compile(r"^\s*<!--.*-->\s*$")
_HEADING = re.compile(r"^#{1,6}[ \t]+\S")
_KEY_LINE = re.compile(r"^([A-Za-z_][\w.-]*)[ \t]*:(?:[ \t]+(.*)|[ \t]*)$")
_BLOCK_INDICATOR = re.compile(r"^[|>][+-]?\d?[+-]?$")
_FLOW_OR_SCALAR = re.compile(r"^(?:\[.*\]|\{.*\}|-?\d+(?:\.\d+)?|true|false|null|~)$", re.I)


def parse_agent(path: str | Path) -> Agent:
    """Read and parse an agent file. Raises :class:`AgentFileError` only when the file cannot be
    read at all (missing, a directory, no permission); content problems become diagnostics."""
    p = Path(path)
    if not p.exists():
        raise AgentFileError(f"agent file not found: {p} (give the path of an agent .md file)")
    if p.is_dir():
        raise AgentFileError(f"{p} is a directory; give the path of an agent .md file inside it")
    try:
        raw = p.read_bytes()
    except OSError as exc:
        raise AgentFileError(f"cannot read agent file {p}: {exc.strerror or exc}") from None
    text, diagnostics = decode_agent_bytes(raw)
    return _parse(
        text,
        name=None,
        path=str(p),
        stem=p.stem,
        sha256=hashlib.sha256(raw).hexdigest(),
        diagnostics=diagnostics,
    )


def parse_agent_text(text: str, name: str | None = None, path: str | None = None) -> Agent:
    """Parse agent text already in memory. ``name`` overrides the frontmatter name."""
    digest = hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()
    stem = Path(path).stem if path else None
    diagnostics: list[Diagnostic] = []
    if text.startswith("\ufeff"):
        text = text[1:]
    return _parse(text, name=name, path=path, stem=stem, sha256=digest, diagnostics=diagnostics)


def decode_agent_bytes(raw: bytes) -> tuple[str, list[Diagnostic]]:
    """Bytes to text: UTF-8 (BOM stripped), UTF-16 when it has a BOM, replacement characters and a
    diagnostic for anything that does not decode."""
    diagnostics: list[Diagnostic] = []
    if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        diagnostics.append(Diagnostic(line=1, message="file is UTF-16 encoded; decoded it"))
        return raw.decode("utf-16", errors="replace"), diagnostics
    if raw.startswith(codecs.BOM_UTF8):
        raw = raw[len(codecs.BOM_UTF8) :]
    try:
        return raw.decode("utf-8"), diagnostics
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        diagnostics.append(
            Diagnostic(
                line=line,
                message=f"invalid UTF-8 (byte 0x{raw[exc.start]:02x}); "
                "undecodable bytes replaced with U+FFFD",
            )
        )
        return raw.decode("utf-8", errors="replace"), diagnostics


def _parse(
    text: str,
    *,
    name: str | None,
    path: str | None,
    stem: str | None,
    sha256: str,
    diagnostics: list[Diagnostic],
) -> Agent:
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    lines = text.split("\n")
    fields: dict[str, Any] = {}
    body_start = 0  # 0-based index of the first body line
    # blank lines (or an HTML comment line) before the opening fence are tolerated
    first = next(
        (i for i, line in enumerate(lines[:20]) if line.strip() and not _COMMENT.match(line)), 0
    )
    opening = _OPEN.match(lines[first]) if lines else None
    if opening and first:
        diagnostics.append(
            Diagnostic(
                line=first + 1,
                message="frontmatter starts after blank or comment lines; read it",
            )
        )
    if opening:
        toml = opening.group(1).startswith("+")
        closer = _TOML_CLOSE if toml else _CLOSE
        close = next((i for i in range(first + 1, len(lines)) if closer.match(lines[i])), None)
        # an unclosed frontmatter must not swallow the body up to a later "---" rule: a
        # markdown heading after a blank line ends it
        heading = next(
            (
                i
                for i in range(first + 2, close if close is not None else len(lines))
                if _HEADING.match(lines[i]) and not lines[i - 1].strip()
            ),
            None,
        )
        if heading is not None and not toml:
            diagnostics.append(
                Diagnostic(
                    line=first + 1,
                    message=f"frontmatter opened with {lines[first].strip()!r} is never closed "
                    f"before the markdown on line {heading + 1}; read it up to there",
                )
            )
            fields = _read_frontmatter(lines[first + 1 : heading - 1], diagnostics, first + 2)
            body_start = heading
        elif close is None:
            diagnostics.append(
                Diagnostic(
                    line=first + 1,
                    message=f"frontmatter opened with {lines[first].strip()!r} is never "
                    "closed; read the whole file as markdown body",
                )
            )
        elif toml:
            fields = _read_toml(lines[first + 1 : close], first + 2, diagnostics)
            body_start = close + 1
        else:
            fields = _read_frontmatter(lines[first + 1 : close], diagnostics, first + 2)
            body_start = close + 1
    body = "\n".join(lines[body_start:])
    if not body.strip():
        diagnostics.append(
            Diagnostic(line=body_start + 1, message="body is empty: no promises to extract")
        )
    fields = {str(k): _jsonable(v) for k, v in fields.items()}
    agent_name = name or _as_text(fields.get("name")) or stem or "agent"
    return Agent(
        name=agent_name.strip() or "agent",
        path=path,
        sha256=sha256,
        fields=fields,
        description=_as_text(fields.get("description")) or "",
        tools=_tools(fields.get("tools")),
        model=_as_text(fields.get("model")),
        color=_as_text(fields.get("color")),
        body=body,
        body_line=body_start + 1,
        diagnostics=diagnostics,
    )


def _read_toml(lines: list[str], start: int, diagnostics: list[Diagnostic]) -> dict[str, Any]:
    import tomllib

    try:
        data = tomllib.loads("\n".join(lines))
    except (tomllib.TOMLDecodeError, ValueError) as exc:
        diagnostics.append(
            Diagnostic(
                line=start,
                message=f"'+++' frontmatter is not valid TOML ({exc}); read it line by line",
            )
        )
        toml_lines = [re.sub(r"^([A-Za-z_][\w.-]*)\s*=\s*", r"\1: ", line) for line in lines]
        return _read_lines(toml_lines, diagnostics, start)
    return data


def _read_frontmatter(
    lines: list[str], diagnostics: list[Diagnostic], start: int = 2
) -> dict[str, Any]:
    # tabs are not YAML indentation; as leading whitespace they mean "continued"
    lines = [re.sub(r"^\t+", lambda m: "  " * len(m.group(0)), line) for line in lines]
    source = "\n".join(lines)
    if not source.strip():
        return {}
    try:
        data = yaml.safe_load(source)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + start if mark is not None else None
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        diagnostics.append(
            Diagnostic(
                line=line,
                message=f"frontmatter is not valid YAML ({problem}); read it line by line instead",
            )
        )
        return _read_lines(lines, diagnostics, start)
    except Exception as exc:
        diagnostics.append(
            Diagnostic(line=start, message=f"frontmatter could not be read as YAML ({exc!r})")
        )
        return _read_lines(lines, diagnostics, start)
    if data is None:
        return {}
    if not isinstance(data, dict):
        diagnostics.append(
            Diagnostic(
                line=start,
                message=f"frontmatter is a YAML {type(data).__name__}, not a mapping; "
                "read it line by line instead",
            )
        )
        return _read_lines(lines, diagnostics, start)
    return data


def _read_lines(lines: list[str], diagnostics: list[Diagnostic], start: int = 2) -> dict[str, Any]:
    """A forgiving ``key: value`` reader for frontmatter YAML rejects.

    A key starts at column 0; everything up to the next key continues its value (indented lines,
    block scalars, ``- item`` lists). Values keep their text as written, quotes aside.
    """
    entries: dict[str, tuple[str, list[str], int]] = {}
    current: str | None = None
    for index, line in enumerate(lines):
        file_line = index + start
        match = _KEY_LINE.match(line)
        if match and not line[:1].isspace():
            current = match.group(1)
            if current in entries:
                diagnostics.append(
                    Diagnostic(
                        line=file_line, message=f"duplicate key {current!r}; the last one wins"
                    )
                )
            entries[current] = ((match.group(2) or "").strip(), [], file_line)
        elif current is not None:
            entries[current][1].append(line)
        elif line.strip() and not line.lstrip().startswith("#"):
            diagnostics.append(
                Diagnostic(line=file_line, message="frontmatter line is not 'key: value'; ignored")
            )
    return {key: _value(first, rest) for key, (first, rest, _) in entries.items()}


def _value(first: str, rest: list[str]) -> Any:
    if _BLOCK_INDICATOR.match(first):
        body = _dedent([r for r in rest])
        if first.startswith(">"):
            return " ".join(part.strip() for part in body.split("\n") if part.strip())
        return body.strip("\n")
    continuation = [r.strip() for r in rest if r.strip()]
    if not first and continuation and continuation[0].startswith("- "):
        # a list of mappings ("- name: cors" / "  rule: ...") that parses alone, although the
        # frontmatter as a whole did not
        block = _block_list(rest)
        if block is not None:
            return block
    if not first and continuation and all(c.startswith("- ") or c == "-" for c in continuation):
        return [_scalar(c[1:].strip()) for c in continuation]
    if continuation:
        return _unquote(" ".join([first, *continuation]).strip())
    return _scalar(first)


def _block_list(rest: list[str]) -> list[Any] | None:
    """The value's lines read as one YAML list, if they are one."""
    try:
        value = yaml.safe_load(_dedent(rest))
    except Exception:
        return None
    return value if isinstance(value, list) else None


def _dedent(rest: list[str]) -> str:
    indents = [len(r) - len(r.lstrip()) for r in rest if r.strip()]
    cut = min(indents) if indents else 0
    return "\n".join(r[cut:] for r in rest)


def _scalar(value: str) -> Any:
    if _FLOW_OR_SCALAR.match(value):
        try:
            return yaml.safe_load(value)
        except Exception:
            return value
    return _unquote(value)


def _unquote(value: str) -> str:
    if len(value) >= 2 and value[0] == value[-1] == '"':
        inner = value[1:-1]
        return (
            inner.replace("\\n", "\n")
            .replace("\\t", "\t")
            .replace('\\"', '"')
            .replace("\\\\", "\\")
        )
    if len(value) >= 2 and value[0] == value[-1] == "'":
        return value[1:-1].replace("''", "'")
    return value


def _jsonable(value: Any) -> Any:
    """Frontmatter values as JSON can carry them (dates become ISO strings)."""
    if value is None or isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set):
        return [_jsonable(v) for v in value]
    if isinstance(value, _dt.date | _dt.datetime | _dt.time):
        return value.isoformat()
    if isinstance(value, bytes):
        return value.decode("utf-8", errors="replace")
    return str(value)


def _as_text(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    return str(value)


def _tools(value: Any) -> list[str]:
    if value is None:
        return []
    if isinstance(value, list | tuple):
        return [str(v).strip() for v in value if str(v).strip()]
    text = str(value)
    parts = text.split(",") if "," in text else text.split()
    return [p.strip() for p in parts if p.strip()]

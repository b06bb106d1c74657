"""From an agent's markdown body to its checklist: items, their requirements and parameters.

The body is parsed with markdown-it (CommonMark + tables); token line maps, offset by the
agent's ``body_line``, give each item its line in the original file.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from markdown_it import MarkdownIt
from markdown_it.token import Token

from harness.agent._model import Agent
from harness.checklist._frontmatter import FrontmatterRule, frontmatter_rules
from harness.checklist._mapping import clean_text, is_negated, load_phrasebook, map_text
from harness.checklist._model import (
    Checklist,
    ChecklistItem,
    Mapping,
    RequirementUse,
    SectionDecision,
)
from harness.checklist._params import envelope_params, item_params, json_example
from harness.checklist._sections import decide, is_instruction, is_statement, sentence_section

_TASK = re.compile(r"^\[( |x|X)\]\s+")
_BOLD_LEAD = re.compile(r"^(?:\*\*|__)(.+?)(?:\*\*|__)\s*:?\s*(.*)$", re.S)
_SENTENCE_SPLIT = re.compile(r"(?<=[.!?])\s+(?=[A-Z*_\"`])")
# a label ("Security: ...") never spans code or JSON (`{"error": ...}` is not a label)
_LABEL_PREFIX = re.compile(r"^[^:{}\[\]\"`]{1,40}:\s+(?=\S)")
# Items marked as forbidden by a leading cross ("- ❌ Hardcode secrets") promise the negation.
_CROSS = re.compile(r"^\W*?(?:❌|🚫|⛔|✗|✘|✖|❎)")
# Lines of a paragraph written as a list without markdown list syntax ("• Validate input",
# "1.1 Hash passwords", "✅ Use HTTPS", "→ Log errors").
_PSEUDO_BULLET = re.compile(r"^\s*(?:[•◦▪▸►‣⁃→✓✔✅❌✗✘✖🚫⛔]|\d+(?:\.\d+)+\.?|\d+\))\s*")
# A paragraph opening with a bold label ("**Never Trust Client Input.** Always ...").
_BOLD_PARAGRAPH = re.compile(r"^(?:\*\*|__)[^*_\n]{2,80}(?:\*\*|__)")
# Comment lines inside code blocks that state a rule ("// ALWAYS validate with Zod").
_RULE_COMMENT = re.compile(
    r"^\s*(?://|#|--|/?\*+)\s*((?:ALWAYS|NEVER|MUST|DO NOT|DON'T|SHOULD|IMPORTANT|SECURITY)\b.*"
    r"|.*\b(?:must|MUST|should always|never)\b.*)$"
)
# rules written as data in a YAML block: "- rule: validate every body", "- never log tokens"
_RULE_YAML = re.compile(
    r"^\s*(?:-\s+)?(?:(?:rule|rules|text|description|requirement|policy|must|should|always|never"
    r"|do|don'?t|avoid)\s*:\s*|-\s*)?[\"']?(?P<words>[A-Za-z$][^#]*?)[\"']?\s*$"
)
_YAML_KEY_ONLY = re.compile(r"^\s*(?:-\s+)?[\w.-]+\s*:")
_MAX_RULE_COMMENTS = 50
# Code shown as the way to do it ("Start every app from this skeleton:" + `app.use(helmet())`)
# promises what its lines do; code shown as a mistake does not, and neither do commands or data.
_NOT_CODE = re.compile(
    r"^(jsonc?|ya?ml|te?xt|markdown|md|http|diff|console|bash|z?sh|shell|powershell|ps1|output"
    r"|log|csv|sql|graphql|gql)$"
)
_BAD_EXAMPLE = re.compile(
    r"\b(bad|wrong|vulnerable|insecure|unsafe|incorrect|don'?t|do not|never|avoid|instead of"
    r"|anti-?patterns?|mistakes?|before)\b",
    re.I,
)
# code offered as an illustration, not as the code to write
_ILLUSTRATION = re.compile(
    r"\b(for (example|instance)|e\.g\.|samples?|typical|illustrat\w*|might look|could look"
    r"|something like|such as|one way|possible)\b",
    re.I,
)
_CODE_NOISE = re.compile(r"^[\s{}()\[\];,]*$")
_MAX_CODE_LINES = 40
_MAX_SECTION_CHARS = 80
# Undecodable bytes (U+FFFD after decoding) and control characters: a body with more than a few
# percent of them is binary, not prose, and any "promise" read from it is chance.
_NOT_TEXT = re.compile(r"[\ufffd\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_MAX_NOT_TEXT = 0.05
NOT_TEXT_MESSAGE = "the body is not text"


def not_text_share(text: str) -> float:
    """The share of characters in ``text`` that no text file contains."""
    return len(_NOT_TEXT.findall(text)) / len(text) if text else 0.0


@cache
def _markdown() -> MarkdownIt:
    return MarkdownIt("commonmark").enable("table")


# --- a small block tree over markdown-it's flat token stream ---------------------------------


@dataclass
class _Item:
    line: int | None
    text: str | None = None
    more: list[str] = field(default_factory=list)
    children: list[_Block] = field(default_factory=list)


@dataclass
class _Block:
    kind: str  # heading | paragraph | list | fence | table | rule
    line: int | None
    text: str = ""
    level: int = 0
    info: str = ""
    ordered: bool = False
    items: list[_Item] = field(default_factory=list)
    rows: list[list[str]] = field(default_factory=list)
    head: list[str] = field(default_factory=list)


def _line(token: Token) -> int | None:
    return token.map[0] if token.map else None


def _tree(tokens: list[Token]) -> list[_Block]:
    root: list[_Block] = []
    containers: list[list[_Block]] = [root]
    owners: list[_Item | None] = [None]
    lists: list[_Block] = []
    i = 0
    while i < len(tokens):
        tok = tokens[i]
        kind = tok.type
        if kind == "heading_open":
            inline = tokens[i + 1]
            level = int(tok.tag[1:]) if tok.tag[1:].isdigit() else 1
            containers[-1].append(_Block("heading", _line(tok), inline.content, level=level))
            i += 3
            continue
        if kind == "paragraph_open":
            inline = tokens[i + 1]
            owner = owners[-1]
            if owner is not None and owner.text is None and not containers[-1]:
                owner.text = inline.content
                owner.line = _line(tok) if _line(tok) is not None else owner.line
            elif owner is not None and not any(b.kind == "list" for b in containers[-1]):
                owner.more.append(inline.content)
            else:
                containers[-1].append(_Block("paragraph", _line(tok), inline.content))
            i += 3
            continue
        if kind in ("bullet_list_open", "ordered_list_open"):
            block = _Block("list", _line(tok), ordered=kind == "ordered_list_open")
            containers[-1].append(block)
            lists.append(block)
        elif kind in ("bullet_list_close", "ordered_list_close"):
            if lists:
                lists.pop()
        elif kind == "list_item_open":
            item = _Item(_line(tok))
            if lists:
                lists[-1].items.append(item)
            containers.append(item.children)
            owners.append(item)
        elif kind == "list_item_close":
            if len(containers) > 1:
                containers.pop()
                owners.pop()
        elif kind in ("fence", "code_block"):
            containers[-1].append(_Block("fence", _line(tok), tok.content, info=tok.info or ""))
        elif kind == "table_open":
            block = _Block("table", _line(tok))
            row: list[str] = []
            in_head = False
            while i < len(tokens) and tokens[i].type != "table_close":
                t = tokens[i]
                if t.type == "thead_open":
                    in_head = True
                elif t.type == "thead_close":
                    in_head = False
                elif t.type == "tr_open":
                    row = []
                elif t.type == "inline":
                    row.append(t.content)
                elif t.type == "tr_close" and in_head:
                    block.head = row
                elif t.type == "tr_close" and not in_head:
                    block.rows.append(row)
                i += 1
            containers[-1].append(block)
        elif kind == "hr":
            containers[-1].append(_Block("rule", _line(tok)))
        i += 1
    return root


# --- walking the tree -------------------------------------------------------------------------


def _short(text: str) -> str:
    text = text.strip().rstrip(":").strip()
    return text if len(text) <= _MAX_SECTION_CHARS else text[: _MAX_SECTION_CHARS - 1] + "…"


def _item_words(raw: str, ordered: bool) -> tuple[str, str, bool]:
    """(text, kind, is_label) of a list item's first paragraph."""
    text = " ".join(raw.split())
    kind = "numbered" if ordered else "bullet"
    m = _TASK.match(text)
    if m:
        text = text[m.end() :]
        kind = "task"
    bare_label = False
    m = _BOLD_LEAD.match(text)
    if m:
        lead, rest = m.group(1).strip().rstrip(":.").strip(), m.group(2).strip()
        text = f"{lead}: {rest}" if rest else lead
        kind = "bold-lead" if kind != "task" else kind
        bare_label = not rest
    words = clean_text(text)
    short_lead = words.endswith(":") and len(words.split()) <= 6
    return words.rstrip(":").strip() if short_lead else words, kind, bare_label or short_lead


class _Walker:
    def __init__(self, agent: Agent) -> None:
        self.agent = agent
        self.offset = agent.body_line
        self.items: list[ChecklistItem] = []
        self.decisions: dict[tuple[str, ...], SectionDecision] = {}
        self.examples: list[tuple[str, Any]] = []
        self.example_items: dict[str, list[str]] = {}
        self.context_rules = _context_rules()
        # a body with no list or table states its rules in prose: paragraphs under any heading
        # are read for them, not only under headings that announce rules
        self.prose = False

    def file_line(self, line: int | None) -> int | None:
        return None if line is None else line + self.offset

    # decisions ----------------------------------------------------------------------------
    def decision(
        self,
        path: list[str],
        texts: list[str],
        line: int | None,
        *,
        checkboxes: bool = False,
        by_wording: bool = True,
    ):
        result = decide(path, texts, checkboxes=checkboxes, by_wording=by_wording)
        key = tuple(path)
        record = self.decisions.get(key)
        if record is None:
            record = SectionDecision(
                section=list(path),
                line=self.file_line(line),
                promises=result.promises,
                reason=result.reason,
            )
            self.decisions[key] = record
        record.items += len(texts)
        return result, record

    # items --------------------------------------------------------------------------------
    def emit(
        self,
        text: str,
        *,
        kind: str,
        section: list[str],
        line: int | None,
        polarity: str,
        context: list[str] | None = None,
        also: str | None = None,
    ) -> ChecklistItem:
        mappings, reason = map_text(text, polarity)
        if also is not None and also != text:
            # a second reading of the same words (`CORS_ALLOWED_ORIGINS` as "CORS ALLOWED
            # ORIGINS"): what it maps to is added
            seen = {m.requirement for m in mappings}
            extra = [m for m in map_text(also, polarity)[0] if m.requirement not in seen]
            mappings = [*mappings, *extra]
            reason = None if mappings else reason
        if not mappings and reason == "unknown":
            mappings = self.context_mappings(section, context or [])
            reason = None if mappings else reason
        item = ChecklistItem(
            id=f"i{len(self.items) + 1}",
            text=text,
            section=list(section),
            line=self.file_line(line),
            polarity="dont" if polarity == "dont" else "do",
            kind=kind,
            context=list(context or []),
            requirements=list(dict.fromkeys(m.requirement for m in mappings)),
            mappings=mappings,
            reason=reason,
        )
        self.items.append(item)
        return item

    def context_mappings(self, section: list[str], context: list[str]) -> list[Mapping]:
        """An item too terse to map on its own ("Test error scenarios") may take its topic from
        the nearest heading, lead-in or parent item ("Testing")."""
        for element in [*reversed(context), *reversed(section)][:2]:
            for pattern, rid in self.context_rules:
                m = pattern.search(element)
                if m:
                    return [Mapping(requirement=rid, phrase=m.group(0), rule="context")]
        return []

    # frontmatter --------------------------------------------------------------------------
    def frontmatter(self) -> None:
        """Rules listed under a frontmatter key that names rules (``rules:``, ``checklist:``)."""
        rules = frontmatter_rules(self.agent.fields)
        for section in dict.fromkeys(r.section for r in rules):
            group = [r for r in rules if r.section == section]
            path = ["frontmatter", *section]
            decision, _ = self.decision(path, [r.text for r in group], None)
            # a key that says it holds rules ("rules", "checklist"), or a topic key ("security",
            # "api") whose entries are rule sentences; "tools", "tags" or "examples" are not
            if not decision.promises or not (decision.explicit or _rule_sentences(group)):
                continue
            for rule in group:
                dont = decision.polarity == "dont" or rule.dont or is_negated(rule.text)
                self.emit(
                    rule.text,
                    kind="frontmatter",
                    section=path,
                    line=None,
                    polarity="dont" if dont else "do",
                    context=[rule.label] if rule.label else [],
                )

    # blocks -------------------------------------------------------------------------------
    def walk(self, blocks: list[_Block]) -> None:
        self.prose = self.prose or not any(b.kind in ("list", "table") for b in blocks)
        headings: list[tuple[int, str]] = []
        lead: str | None = None
        lead_line: int | None = None
        # a level-1 heading that opens the body is the document's title: the paragraphs under it
        # are the file's preamble, read like paragraphs before any heading
        first = next((b for b in blocks if b.kind != "rule"), None)
        title = first is not None and first.kind == "heading" and first.level == 1
        for index, block in enumerate(blocks):
            following = blocks[index + 1] if index + 1 < len(blocks) else None
            path = [h for _, h in headings]
            if block.kind == "heading":
                while headings and headings[-1][0] >= block.level:
                    headings.pop()
                headings.append((block.level, _short(clean_text(block.text)) or "(untitled)"))
                lead = None
            elif block.kind == "paragraph":
                words = clean_text(block.text)
                if (
                    words.endswith(":")
                    and following
                    and following.kind in ("list", "fence", "table")
                ):
                    # "You have access to X. When generating code:" -> "When generating code"
                    lead = _SENTENCE_SPLIT.split(words)[-1]
                    lead_line = None if block.line is None else block.line + block.text.count("\n")
                    continue
                lead = None
                preamble = title and len(headings) == 1 and headings[0][0] == 1
                self.paragraph(block, path, preamble=preamble)
            elif block.kind == "list":
                self.list_block(block, path + ([_short(lead)] if lead else []), [], "do")
                lead = None
            elif block.kind == "table":
                self.table(block, path + ([_short(lead)] if lead else []))
                lead = None
            elif block.kind == "fence":
                self.fence(block, path, lead, lead_line)
                lead = None
            else:
                lead = None

    def list_block(self, block: _Block, path: list[str], context: list[str], polarity: str) -> None:
        entries = [_item_words(item.text or "", block.ordered) for item in block.items]
        texts = [e[0] for e in entries if e[0]]
        checkboxes = bool(entries) and all(e[1] == "task" for e in entries)
        decision, record = self.decision(path, texts, block.line, checkboxes=checkboxes)
        if not decision.promises:
            weak = {m.requirement for text in _all_texts(block) for m in map_text(text)[0]}
            record.weak_requirements = sorted(set(record.weak_requirements) | weak)
            return
        if decision.polarity == "dont":
            polarity = "dont"
        for item, (text, kind, is_label) in zip(block.items, entries, strict=True):
            if item.more and not is_label:
                text = " ".join([text, *(clean_text(m) for m in item.more)]).strip()
            nested = [c for c in item.children if c.kind == "list"]
            crossed = bool(_CROSS.match(item.text or ""))
            item_polarity = "dont" if polarity == "dont" or crossed or is_negated(text) else "do"
            if text and not (nested and is_label):
                self.emit(
                    text,
                    kind=kind,
                    section=path,
                    line=item.line,
                    polarity=item_polarity,
                    context=context,
                )
            child_polarity = item_polarity if (is_label or text.endswith(":")) else polarity
            for child in item.children:
                if child.kind == "list":
                    sub_path = [*path, _short(text)] if text else path
                    self.list_block(
                        child, sub_path, [*context, text] if text else context, child_polarity
                    )
                elif child.kind == "fence":
                    self.fence(child, path, text)

    def paragraph(self, block: _Block, path: list[str], *, preamble: bool = False) -> None:
        lines = block.text.split("\n")
        if len(lines) > 1 and sum(bool(_PSEUDO_BULLET.match(x)) for x in lines) >= 2:
            self.pseudo_list(block, lines, path)
            return
        bold = _BOLD_PARAGRAPH.match(block.text)
        labelled = [*path, _short(clean_text(bold.group(0)))] if bold else path
        if bold and (
            sentence_section(labelled)
            or (decide(labelled, []).explicit and decide(labelled, []).promises)
        ):
            # "**Quiet Errors.** No stack traces in responses." is one rule, read as a whole
            self.rule_paragraph(block, path)
            return
        if path and not preamble and not self.prose and not sentence_section(path):
            return
        # in a section that says it holds rules ("Standards"), a plain statement that names a
        # requirement ("DEBUG is False by default") is a rule too, not only imperatives
        section = decide(path, [])
        # paragraphs before any heading are read too: files without headings state their
        # rules in prose ("Never commit API keys. Tokens expire within an hour.")
        rules_section = (
            (section.explicit and section.promises) or not path or preamble or self.prose
        )
        sentences = []
        raw = block.text
        cursor = 0
        for sentence in _SENTENCE_SPLIT.split(raw):
            start = raw.find(sentence, cursor)
            cursor = max(cursor, start)
            words = clean_text(sentence)
            cue = _LABEL_PREFIX.sub("", words)
            # a lead clause ("Users see only their own projects: ...") may carry the promise
            if words and (
                is_instruction(cue)
                or (
                    rules_section
                    and is_statement(cue)
                    and (map_text(cue)[0] or (cue != words and map_text(words)[0]))
                )
            ):
                line = (
                    None if block.line is None else block.line + raw.count("\n", 0, max(start, 0))
                )
                sentences.append((words, line))
        if not sentences:
            return
        # sentences that passed the filter above are rules by their wording; a prose sentence
        # opening with "When ..." is not a usage trigger
        decision, _ = self.decision(path, [s for s, _ in sentences], block.line, by_wording=False)
        if not decision.promises:
            return
        for words, line in sentences:
            polarity = "dont" if decision.polarity == "dont" or is_negated(words) else "do"
            self.emit(words, kind="sentence", section=path, line=line, polarity=polarity)

    def rule_paragraph(self, block: _Block, path: list[str]) -> None:
        text, _, _ = _item_words(block.text, False)
        decision, _ = self.decision(path, [text], block.line)
        if not text or not decision.promises:
            return
        crossed = bool(_CROSS.match(block.text))
        polarity = "dont" if decision.polarity == "dont" or crossed or is_negated(text) else "do"
        self.emit(text, kind="bold-lead", section=path, line=block.line, polarity=polarity)

    def pseudo_list(self, block: _Block, lines: list[str], path: list[str]) -> None:
        """A paragraph whose lines are bullets in all but markdown syntax: one item a line."""
        entries = []
        for offset, raw in enumerate(lines):
            m = _PSEUDO_BULLET.match(raw)
            if m:
                words = clean_text(raw[m.end() :])
                line = None if block.line is None else block.line + offset
                entries.append((words, line, bool(_CROSS.match(raw))))
            elif entries and raw.strip():
                words, line, crossed = entries[-1]
                entries[-1] = (f"{words} {clean_text(raw)}".strip(), line, crossed)
            elif raw.strip():
                # a lead-in line before the bullets ("Security rules:") joins the path
                path = [*path, _short(clean_text(raw))]
        entries = [e for e in entries if e[0]]
        if not entries:
            return
        decision, _ = self.decision(path, [e[0] for e in entries], block.line)
        if not decision.promises:
            return
        for words, line, crossed in entries:
            polarity = (
                "dont" if decision.polarity == "dont" or crossed or is_negated(words) else "do"
            )
            self.emit(words, kind="bullet", section=path, line=line, polarity=polarity)

    def table(self, block: _Block, path: list[str]) -> None:
        texts = [" | ".join(clean_text(c) for c in row if clean_text(c)) for row in block.rows]
        texts = [t for t in texts if t]
        decision, record = self.decision(path, texts, block.line)
        if not decision.promises:
            record.weak_requirements = sorted(
                set(record.weak_requirements)
                | {m.requirement for t in texts for m in map_text(t)[0]}
            )
            return
        dont_columns = _dont_columns(block.head)
        if dont_columns:
            self.do_dont_rows(block, path, dont_columns, decision.polarity)
            return
        for offset, text in enumerate(texts):
            line = None if block.line is None else block.line + 2 + offset
            polarity = "dont" if decision.polarity == "dont" or is_negated(text) else "do"
            self.emit(text, kind="table-row", section=path, line=line, polarity=polarity)

    def do_dont_rows(
        self, block: _Block, path: list[str], dont_columns: set[int], polarity: str
    ) -> None:
        """A "Do | Don't" table: the Don't cells are items of their own, read as "never ..."."""
        for offset, row in enumerate(block.rows):
            line = None if block.line is None else block.line + 2 + offset
            cells = [(i, clean_text(c)) for i, c in enumerate(row) if clean_text(c)]
            do_text = " | ".join(c for i, c in cells if i not in dont_columns)
            if do_text:
                do_polarity = "dont" if polarity == "dont" or is_negated(do_text) else "do"
                self.emit(do_text, kind="table-row", section=path, line=line, polarity=do_polarity)
            for i, cell in cells:
                if i in dont_columns:
                    self.emit(cell, kind="table-row", section=path, line=line, polarity="dont")

    def fence(
        self, block: _Block, path: list[str], lead: str | None, lead_line: int | None = None
    ) -> None:
        context = "\n".join([*path, lead or ""])
        example = json_example(block.text, block.info, context)
        if example is None:
            self.rule_comments(block, path)
            if lead:
                self.code_lines(block, path, lead)
            return
        self.examples.append(example)
        kind, _ = example
        text = clean_text(lead).rstrip(":").strip() if lead else ""
        if not text:
            return
        item = self.emit(
            text,
            kind="sentence",
            section=path,
            line=lead_line if lead_line is not None else (block.line - 1 if block.line else None),
            polarity="do",
        )
        # the example itself is the promise: its shape is the envelope (and the error format)
        implied = ["api.envelope"] + (["api.error-format"] if kind == "error" else [])
        for rid in implied:
            if rid not in item.requirements:
                item.requirements.append(rid)
                item.mappings.append(
                    Mapping(requirement=rid, phrase=f"JSON {kind} example", rule="example")
                )
        item.reason = None

    def code_lines(self, block: _Block, path: list[str], lead: str) -> None:
        """Lines of a code block introduced as the code to write ("Start every app from this
        skeleton:", "Sessions are configured like this:"): each line that names a requirement
        (`app.use(helmet())`) is an item. Comments are rule_comments' job."""
        language = block.info.strip().split(maxsplit=1)[0].lower() if block.info.strip() else ""
        if _NOT_CODE.match(language) or _BAD_EXAMPLE.search(lead) or _ILLUSTRATION.search(lead):
            return
        lines = []
        for offset, raw in enumerate(block.text.split("\n")[:2000]):
            code = raw.strip()
            if not code or _CODE_NOISE.match(code) or _RULE_COMMENT.match(raw):
                continue
            if code.startswith(("//", "#", "/*", "*", "--")):
                continue
            if map_text(code)[0] or map_text(_spaced(code))[0]:
                lines.append((code, offset))
            if len(lines) >= _MAX_CODE_LINES:
                break
        if not lines:
            return
        sub_path = [*path, _short(clean_text(lead))]
        decision, _ = self.decision(sub_path, [c for c, _ in lines], block.line, by_wording=False)
        if not decision.promises or decision.polarity == "dont":
            return
        for code, offset in lines:
            line = None if block.line is None else block.line + 1 + offset
            self.emit(
                code, kind="code", section=sub_path, line=line, polarity="do", also=_spaced(code)
            )

    def rule_comments(self, block: _Block, path: list[str]) -> None:
        """Rules written as comments in a code block ("// ALWAYS verify ownership"), in sections
        that make promises; ordinary code comments are not promises."""
        is_yaml = block.info.strip().lower() in ("yaml", "yml")
        if not path or ("//" not in block.text and "#" not in block.text and not is_yaml):
            return
        found = []
        for offset, raw in enumerate(block.text.split("\n")[:2000]):
            m = _RULE_COMMENT.match(raw)
            if m:
                words = clean_text(m.group(1).strip().rstrip("*/").strip())
            elif is_yaml:
                words = _yaml_rule(raw)
            else:
                continue
            if 3 <= len(words.split()) <= 40:
                found.append((words, offset))
            if len(found) >= _MAX_RULE_COMMENTS:
                break
        if not found:
            return
        decision, _ = self.decision(path, [w for w, _ in found], block.line)
        if not decision.promises or not (decision.explicit or sentence_section(path)):
            return
        for words, offset in found:
            line = None if block.line is None else block.line + 1 + offset
            polarity = "dont" if decision.polarity == "dont" or is_negated(words) else "do"
            self.emit(words, kind="comment", section=path, line=line, polarity=polarity)


def _rule_sentences(rules: list[FrontmatterRule]) -> bool:
    """Entries that read as rules: several words each on average, one an instruction."""
    if len(rules) < 2:
        return False
    words = sum(len(r.text.split()) for r in rules) / len(rules)
    return words >= 4 and any(is_instruction(r.text) for r in rules)


def _spaced(code: str) -> str:
    """Configuration names as words: `SECURE_SSL_REDIRECT` -> "SECURE SSL REDIRECT"."""
    return code.replace("_", " ")


def _dont_columns(head: list[str]) -> set[int]:
    """Columns of a table header that are Don't lists ("Don't", "Avoid", "❌"), when the
    table also has another column."""
    if len(head) < 2:
        return set()
    found = set()
    for index, cell in enumerate(head):
        words = clean_text(cell) or cell.strip()
        # a column title ("Don't", "❌ Avoid"), not a sentence that happens to say "don't"
        if words and len(words.split()) <= 3 and decide([words], []).polarity == "dont":
            found.add(index)
    return found if len(found) < len(head) else set()


def _yaml_rule(raw: str) -> str:
    """The sentence of a YAML rule line ("- rule: hash passwords with bcrypt"), else ""."""
    m = _RULE_YAML.match(raw)
    if not m:
        return ""
    words = m.group("words").strip()
    # "id: R1", "severity: high": a key with a short value is configuration, not a rule
    if _YAML_KEY_ONLY.match(words) or len(words.split()) < 3:
        return ""
    return clean_text(words)


def _all_texts(block: _Block) -> list[str]:
    out = []
    for item in block.items:
        if item.text:
            out.append(_item_words(item.text, block.ordered)[0])
        for child in item.children:
            if child.kind == "list":
                out.extend(_all_texts(child))
    return out


@cache
def _context_rules() -> tuple[tuple[re.Pattern[str], str], ...]:
    from harness.checklist._patterns import compile_pattern

    book_data = _phrase_data()
    return tuple(
        (compile_pattern(entry["section"]), entry["requirement"])
        for entry in book_data.get("context") or ()
    )


@cache
def _phrase_data() -> dict[str, Any]:
    import yaml

    from harness._paths import checks_dir

    return yaml.safe_load((checks_dir() / "phrases.yaml").read_text(encoding="utf-8")) or {}


def extract_checklist(agent: Agent) -> Checklist:
    """Every promise in the agent's body, mapped to requirement ids, with the agent's specifics."""
    from harness.agent._model import Diagnostic

    load_phrasebook()
    walker = _Walker(agent)
    share = not_text_share(agent.body)
    try:
        tokens = _markdown().parse(agent.body) if share <= _MAX_NOT_TEXT else []
    except Exception as exc:
        agent.diagnostics.append(
            Diagnostic(line=agent.body_line, message=f"markdown parse failed: {exc!r}")
        )
        tokens = []
    if share > _MAX_NOT_TEXT:
        agent.diagnostics.append(
            Diagnostic(
                line=agent.body_line,
                message=f"{NOT_TEXT_MESSAGE} ({share:.0%} undecodable or control characters); "
                "no promise read from it",
            )
        )
    walker.frontmatter()
    walker.walk(_tree(tokens))
    requirements: dict[str, RequirementUse] = {}
    for item in walker.items:
        for rid in item.requirements:
            requirements.setdefault(rid, RequirementUse()).items.append(item.id)
    params = item_params(walker.items)
    params.update(envelope_params(walker.examples))
    for rid, values in params.items():
        if rid in requirements:
            requirements[rid].params = values
        elif rid in ("api.envelope", "api.error-format"):
            # a JSON response example with no sentence before it still states the envelope
            requirements[rid] = RequirementUse(items=[], params=values)
    return Checklist(
        agent=agent,
        items=walker.items,
        requirements=requirements,
        sections=list(walker.decisions.values()),
    )

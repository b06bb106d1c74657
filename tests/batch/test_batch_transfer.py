"""Moving inputs to Ray nodes and generated repos back: what a tar may not do, paths rewritten."""

from __future__ import annotations

import io
import json
import tarfile
from pathlib import Path

from harness.batch._transfer import materialise, pack, replace_paths, replace_tree, unpack


def test_pack_unpack_keeps_files_and_links(tmp_path: Path) -> None:
    src = tmp_path / "repo"
    (src / "pkg").mkdir(parents=True)
    (src / "pkg" / "app.py").write_text("print('hi')\n")
    (src / "link.py").symlink_to("pkg/app.py")
    out = unpack(pack(src), tmp_path / "out")
    assert (out / "pkg" / "app.py").read_text() == "print('hi')\n"
    assert (out / "link.py").is_symlink() and (out / "link.py").read_text() == "print('hi')\n"


def test_unpack_drops_members_that_escape(tmp_path: Path) -> None:
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w:gz") as tar:
        for name, data in (("ok.txt", b"fine"), ("../escape.txt", b"bad"), ("/abs.txt", b"bad")):
            info = tarfile.TarInfo(name)
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
        link = tarfile.TarInfo("out-link")
        link.type, link.linkname = tarfile.SYMTYPE, "/etc/passwd"
        tar.addfile(link)
    dest = tmp_path / "dest"
    unpack(buffer.getvalue(), dest)
    assert (dest / "ok.txt").read_bytes() == b"fine"
    assert not (tmp_path / "escape.txt").exists()
    # an absolute name lands inside the target, its leading slash stripped
    assert (dest / "abs.txt").read_bytes() == b"bad" and not Path("/abs.txt").exists()
    assert not (dest / "out-link").is_symlink()


def test_materialise_once_per_content(tmp_path: Path) -> None:
    agent = tmp_path / "agent.md"
    agent.write_text("# agent\n")
    blob = pack(agent, arcname="agent.md")
    first = materialise(blob, "agent.md", tmp_path / "cache")
    first.write_text("# changed on the node\n")  # a second call must not unpack again
    assert materialise(blob, "agent.md", tmp_path / "cache") == first
    assert first.read_text() == "# changed on the node\n"
    assert first.parent.parent == tmp_path / "cache"


def test_replace_paths_longest_first_and_json_escaped(tmp_path: Path) -> None:
    scratch, repo = Path("/tmp/s"), Path("/tmp/s/repo")
    text = json.dumps({"repo": str(repo), "file": f"{repo}/app.py", "other": str(scratch)})
    mapped = json.loads(replace_paths(text, {scratch: Path("/b/x"), repo: Path('/b/a "q"')}))
    assert mapped == {"repo": '/b/a "q"', "file": '/b/a "q"/app.py', "other": "/b/x"}


def test_replace_tree_leaves_only_the_new_content(tmp_path: Path) -> None:
    (tmp_path / "new").mkdir()
    (tmp_path / "new" / "a.txt").write_text("a")
    dest = tmp_path / "dest"
    dest.mkdir()
    (dest / "stale.txt").write_text("old")
    replace_tree(dest, pack(tmp_path / "new"))
    assert sorted(p.name for p in dest.iterdir()) == ["a.txt"]

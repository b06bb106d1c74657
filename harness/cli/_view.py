"""`harness view`: a local read-only viewer over the runs under a folder."""

from __future__ import annotations

import time
import webbrowser
from pathlib import Path

import click

from harness.cli._app import main, reports_errors


@main.command(
    "view",
    epilog="""\b
Examples:
  harness view                  # everything under ./reports (or the current folder)
  harness view runs/ --port 8765 --no-open
""",
)
@click.argument(
    "folder", required=False, type=click.Path(exists=True, file_okay=False, path_type=Path)
)
@click.option("--port", default=0, show_default=True, type=int, help="Port (0: any free one).")
@click.option("--open/--no-open", "open_browser", default=False, help="Open a browser tab.")
@click.option("--serve-for", type=float, help="Stop after this many seconds (default: Ctrl-C).")
@reports_errors
def view_command(
    folder: Path | None, port: int, open_browser: bool, serve_for: float | None
) -> None:
    """Serve every scorecard, batch and diff under FOLDER on 127.0.0.1: a list with a filter,
    each report, and a comparison of any two batches. Read-only."""
    from harness.view import Viewer, build_index

    if folder is None:
        folder = Path("reports") if Path("reports").is_dir() else Path(".")
    index = build_index(folder)
    viewer = Viewer(folder, port=port)
    click.echo(
        f"{len(index.cards)} scorecards, {len(index.batches)} batches, {len(index.diffs)} diffs "
        f"under {folder.resolve()}",
        err=True,
    )
    click.echo(viewer.url)
    thread = viewer.serve_in_thread()
    if open_browser:
        webbrowser.open(viewer.url)
    try:
        deadline = None if serve_for is None else time.monotonic() + serve_for
        while thread.is_alive() and (deadline is None or time.monotonic() < deadline):
            time.sleep(0.2)
    except KeyboardInterrupt:
        pass
    finally:
        viewer.shutdown()
        viewer.server_close()

"""The command line's progress bar: rich on stderr, fed by the `on_progress(done, total, current)` callbacks
of long jobs (ingest), which themselves draw nothing."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager

from rich.console import Console
from rich.progress import (BarColumn, MofNCompleteColumn, Progress, ProgressColumn, Task, TaskProgressColumn,
                           TextColumn, TimeRemainingColumn, TransferSpeedColumn)
from rich.table import Column
from rich.text import Text

# A bar line fits an 80-column terminal (and a log, which rich draws 80 wide): the file name takes what is left
# and is cut, never the rate or the ETA (rich squeezes every column to "…" when a line is too wide).
_BAR_WIDTH = 12


def _file_column() -> TextColumn:
    return TextColumn("{task.fields[file]}", table_column=Column(ratio=1, no_wrap=True, overflow="ellipsis"))


class _RateColumn(ProgressColumn):
    """Documents per second (rich's own speed column speaks of bytes)."""

    def render(self, task: Task) -> Text:
        speed = task.finished_speed or task.speed
        return Text("" if speed is None else f"{speed:.1f}/s", style="progress.data.speed")


@contextmanager
def progress_bar(label: str, *, enabled: bool = True) -> Iterator[Callable[[int, int, str], None] | None]:
    """Yield an `on_progress(done, total, current_name)` callback drawing a bar with rate and ETA on stderr,
    or None when disabled (so the job does no progress work at all)."""
    if not enabled:
        yield None
        return
    bar = Progress(TextColumn("[bold]{task.description}"), BarColumn(bar_width=_BAR_WIDTH), MofNCompleteColumn(),
                   TaskProgressColumn(), _RateColumn(), TextColumn("ETA"), TimeRemainingColumn(),
                   _file_column(), console=Console(stderr=True), transient=False, expand=True)
    task = bar.add_task(label, total=None, file="")

    def on_progress(done: int, total: int, current: str) -> None:
        bar.update(task, completed=done, total=total, file=current)

    with bar:
        yield on_progress


class VolumeBar:
    """A bar over the bytes of a job's files (rate in MB/s, ETA), naming the documents done and the file in work.
    Call it as `on_progress(done, total, current)`; pass `.volume` as `on_volume(bytes_done, bytes_total)`."""

    def __init__(self, bar: Progress) -> None:
        self.bar = bar
        self.task = bar.add_task("", total=None, docs="", file="")

    def __call__(self, done: int, total: int, current: str) -> None:
        self.bar.update(self.task, docs=f"{done}/{total}", file=current)

    def volume(self, done: int, total: int) -> None:
        self.bar.update(self.task, completed=done, total=total or None)


@contextmanager
def volume_bar(label: str, *, enabled: bool = True) -> Iterator[VolumeBar | None]:
    """Yield a VolumeBar drawing on stderr (bytes, MB/s, ETA; documents done), or None when disabled."""
    if not enabled:
        yield None
        return
    bar = Progress(TextColumn(f"[bold]{label}"), BarColumn(bar_width=_BAR_WIDTH), TaskProgressColumn(),
                   TransferSpeedColumn(), TextColumn("ETA"), TimeRemainingColumn(), TextColumn("{task.fields[docs]}"),
                   _file_column(), console=Console(stderr=True), transient=False, expand=True)
    with bar:
        yield VolumeBar(bar)

"""`briefbot ingest`: files and folders (and web addresses) in, with progress and a summary."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

from bot.bootstrap import Container, make_batch_ingest
from bot.commands import not_read_note
from briefing import batch, services, sources
from briefing.errors import BriefingError
from briefing.files import article_suffixes_text, find_article_files, read_article_file

# Above this many files a progress bar is shown (a handful finish before one would be read).
PROGRESS_MIN_FILES = 5


@dataclass
class IngestReport:
    new: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    failed: list[tuple[str, str]] = field(default_factory=list)
    notes: list[tuple[str, str]] = field(default_factory=list)  # not failures, worth saying

    def summary(self) -> str:
        lines = [f"{len(self.new)} new, {len(self.unchanged)} unchanged, "
                 f"{len(self.failed)} failed."]
        lines += [f"  failed: {label}: {reason}" for label, reason in self.failed]
        lines += [f"  note: {label}: {note}" for label, note in self.notes]
        return "\n".join(lines)


def _is_url(target: str) -> bool:
    return target.startswith(("http://", "https://"))


def ingest_paths(targets: list[str], *, container: Container, echo: bool = True) -> IngestReport:
    """Files and folders first, then web addresses; one batch (INGEST_WORKERS processes) for
    the files and for each feed, the registry growing by what each new article discovers."""
    report = IngestReport()
    registry = services.load_registry(uow=container.uow)
    ingest = make_batch_ingest(container, now=container.clock(), registry=registry)
    urls = [t for t in targets if _is_url(t)]
    files: list[Path] = []
    for target in (t for t in targets if not _is_url(t)):
        found = list(find_article_files([Path(target)]))
        if not found:  # a folder without articles is a mistake worth saying, not "0 new"
            report.failed.append((target, f"no {article_suffixes_text()} files found"))
        files += found
    console = Console(stderr=True)
    with Progress(TextColumn("[progress.description]{task.description}"), BarColumn(),
                  MofNCompleteColumn(), TimeRemainingColumn(), console=console,
                  disable=not echo or len(files) < PROGRESS_MIN_FILES, transient=True) as bar:
        task = bar.add_task("Ingesting", total=len(files))
        results = ingest.run(_read_files(files), size=len(files))
        try:
            for path, result in zip(files, results, strict=True):
                _count_file(str(path), result, report=report)
                bar.advance(task)
        finally:
            results.close()
    _ingest_urls(urls, container=container, report=report, ingest=ingest)
    return report


def _read_files(files: list[Path]) -> Iterator[batch.Job | batch.Failed]:
    for path in files:
        try:
            yield read_article_file(path)
        except BriefingError as exc:
            yield batch.Failed(str(exc))
        except Exception as exc:  # noqa: BLE001 (one unreadable file must not end the batch)
            yield batch.Failed(f"cannot be read: {type(exc).__name__}: {exc}")


def _count_file(label: str, result: batch.ItemResult, *, report: IngestReport) -> None:
    if result.stage is not None:
        reason = (f"internal error while {'reading' if result.stage == 'read' else 'processing'}"
                  " the article" if result.internal else result.error or "failed")
        report.failed.append((label, reason))
        return
    assert result.outcome is not None
    if result.outcome.status == "new":
        report.new.append(label)
    elif result.outcome.status == "unchanged":
        report.unchanged.append(label)
    else:
        report.failed.append((label, result.outcome.reason or "failed"))


def _ingest_urls(urls: list[str], *, container: Container, report: IngestReport,
                 ingest: batch.BatchIngest) -> None:
    """Pages and feeds read once, without adding them as sources; each item counts."""
    if not urls:
        return
    fetcher = container.deps.fetcher
    if fetcher is None:
        report.failed.extend((url, "web fetching is not configured") for url in urls)
        return
    reads = sources.read_urls(urls, uow=container.uow, fetcher=fetcher, ingest=ingest,
                              now=ingest.now)
    for url, read in zip(urls, reads, strict=True):
        if isinstance(read, BriefingError):
            report.failed.append((url, str(read)))
            continue
        items = read.items
        report.new.extend([url] * items.new)
        report.unchanged.extend([url] * items.unchanged)
        report.failed.extend((url, err) for err in items.errors)
        # more failures than the report kept messages for still count
        report.failed.extend((url, "failed") for _ in range(items.failed - len(items.errors)))
        if items.skipped:
            report.notes.append((url, not_read_note(items.skipped)))

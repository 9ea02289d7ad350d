"""`python -m bench --quick` end to end on a tiny SQLite store: it measures, prints and writes."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from bench import __main__ as runner
from bench import scale


def test_quick_mode_on_a_tiny_store_writes_every_figure(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setattr(scale, "CACHE", tmp_path / "cache")
    out = tmp_path / "quick.json"
    assert runner.main(["--quick", "--sizes", "6", "--distinct", "2", "--rounds", "1",
                        "--ingest", "1", "--backends", "sqlite", "--out", str(out)]) == 0
    result = json.loads(out.read_text())
    (fig,) = result["figures"]
    assert fig["backend"] == "sqlite" and fig["size"] == 6
    assert set(fig["commands"]) == {*runner.COMMANDS, runner.NOOP[0]}
    assert all(v["p99_ms"] >= v["p50_ms"] > 0 for v in fig["commands"].values())
    assert fig["rss_mb"] > 0 and fig["digest_s"] > 0 and fig["ingest_ms_per_article"] > 0
    # the store really held 6 articles, and the digest's day held them all
    assert fig["digest_new_articles"] == 6
    assert set(result["summary"]["sqlite"]) >= {"command_p99_ms", "digest_s", "rss_mb"}
    printed = capsys.readouterr().out
    assert "stance" in printed and "targets at the largest size" in printed
    # a second run reuses the cached store
    assert list((tmp_path / "cache").glob("store-*.db"))


def test_commands_only_measures_the_commands_and_leaves_an_existing_store_alone(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setattr(scale, "CACHE", tmp_path / "cache")
    spec = scale.StoreSpec(size=4, distinct=2)
    url, handle = scale.store_for("sqlite", spec, work=tmp_path, log=lambda _: None)
    before = _articles(handle)
    out = tmp_path / "commands.json"
    assert runner.main(["--quick", "--sizes", "4", "--rounds", "1", "--backends", "sqlite",
                        "--existing", f"4={url}", "--commands-only", "--out", str(out)]) == 0
    (fig,) = json.loads(out.read_text())["figures"]
    assert set(fig["commands"]) == {*runner.COMMANDS, runner.NOOP[0]}
    assert fig["rss_mb"] > 0
    assert fig["digest_s"] is None and fig["ingest_ms_per_article"] is None
    assert _articles(handle) == before == 4  # nothing was ingested into it
    assert "targets at the largest size" in capsys.readouterr().out


def _articles(path: str) -> int:
    with sqlite3.connect(path) as con:
        return int(con.execute("SELECT count(*) FROM article").fetchone()[0])

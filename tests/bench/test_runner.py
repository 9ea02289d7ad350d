"""`python -m bench --quick` end to end on a tiny SQLite store: it measures, prints and writes."""

from __future__ import annotations

import json
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

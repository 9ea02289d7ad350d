"""The numpy MinHash equals datasketch affine32 bit for bit: stored fingerprints stay valid."""

from __future__ import annotations

import zlib
from pathlib import Path

import pytest

from briefing.stories import NUM_PERM, SCHEME, SEED, _shingles, fingerprint

datasketch = pytest.importorskip("datasketch")
SEEDS = sorted((Path(__file__).resolve().parent.parent.parent / "seeds").glob("[0-9]*.txt"))


def _datasketch_fingerprint(text: str) -> list[int]:
    shingles = _shingles(text)
    if not shingles:
        return []
    mh = datasketch.MinHash(num_perm=NUM_PERM, seed=SEED, hashfunc=zlib.crc32, scheme=SCHEME)
    mh.update_batch(shingles)
    return [int(v) for v in mh.hashvalues]


@pytest.mark.parametrize("text", [
    *(p.read_text() for p in SEEDS),
    "Putin and Trump spoke by phone.",
    "one two",
    "",
])
def test_fingerprint_equals_datasketch_affine32(text: str) -> None:
    assert fingerprint(text) == _datasketch_fingerprint(text)


def test_engine_does_not_import_datasketch() -> None:
    import subprocess
    import sys

    code = "import sys, briefing.pipeline; print('datasketch' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"

"""Splits text into sentences with offsets (placeholder until the engine issue lands)."""

from __future__ import annotations

import re

from briefing.models import Sentence


def split_sentences(text: str) -> list[Sentence]:
    out: list[Sentence] = []
    for para_no, para in enumerate(re.finditer(r"[^\n]+", text)):
        for m in re.finditer(r"[^.!?]+[.!?]*", para.group()):
            s = m.group().strip()
            if s:
                start = para.start() + m.start() + (len(m.group()) - len(m.group().lstrip()))
                out.append(Sentence(index=len(out), start=start, end=start + len(s), text=s,
                                    paragraph=para_no))
    return out

"""Regular-expression helpers: a cheap look-ahead that lets a search skip places quickly."""

from __future__ import annotations

import re
import re._constants as _C
import re._parser as _sre_parser
from typing import Any


def first_chars(items: list[tuple[Any, Any]]) -> tuple[set[str], bool] | None:
    """The characters a parsed pattern can start with and whether it can match empty; None when
    that is not a plain set of characters (a category such as \\w, flags, back-references)."""
    chars: set[str] = set()
    for op, av in items:
        if op is _C.LITERAL:
            return chars | {chr(av)}, False
        if op is _C.IN:
            for iop, iav in av:
                if iop is _C.LITERAL:
                    chars.add(chr(iav))
                elif iop is _C.RANGE:
                    chars.update(chr(c) for c in range(iav[0], iav[1] + 1))
                else:
                    return None
            return chars, False
        if op is _C.AT or op is _C.ASSERT or op is _C.ASSERT_NOT:
            continue  # zero-width: the next item starts the match
        if op is _C.BRANCH:
            alts = [first_chars(list(alt)) for alt in av[1]]
        elif op is _C.SUBPATTERN and not av[1] and not av[2]:
            alts = [first_chars(list(av[3]))]
        elif op is _C.MAX_REPEAT or op is _C.MIN_REPEAT:
            inner = first_chars(list(av[2]))
            alts = [inner if inner is None or av[0] > 0 else (inner[0], True)]
        else:
            return None
        if any(a is None for a in alts):
            return None
        chars.update(*(a[0] for a in alts if a is not None))
        if not any(a[1] for a in alts if a is not None):
            return chars, False
    return chars, True


def first_char_gate(source: str) -> str:
    """A look-ahead for the characters a pattern can start with ("" when unknown or when it can
    match empty): put before a long alternation, it skips it where no alternative can start."""
    first = first_chars(list(_sre_parser.parse(source)))
    if first is None or first[1]:
        return ""
    return f"(?=[{''.join(re.escape(c) for c in sorted(first[0]))}])"

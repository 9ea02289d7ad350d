"""The local console: slash-commands typed in, replies printed; end of input exits cleanly."""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING, TextIO

from bot.blocks import render, render_error
from bot.commands import Context, dispatch
from bot.plaintext import to_plain
from briefing.errors import BriefingError

if TYPE_CHECKING:
    from bot.bootstrap import Container

PROMPT = "briefing> "
BANNER = ("Briefing bot console. Type a command such as /stance putin ceasefire, "
          "/briefing help for all commands, or quit.")


def run_console(container: Container, *, stdin: TextIO | None = None,
                stdout: TextIO | None = None) -> None:
    stdin = stdin or sys.stdin
    stdout = stdout or sys.stdout
    interactive = stdin.isatty()
    if interactive:
        print(BANNER, file=stdout)
    while True:
        if interactive:
            print(PROMPT, end="", file=stdout, flush=True)
        line = stdin.readline()
        if not line:  # end of input
            if interactive:
                print(file=stdout)
            return
        text = line.strip()
        if not text:
            continue
        if text.lower() in ("quit", "exit", "/quit", "/exit"):
            return
        ctx = Context(now=container.clock(), user_id="console")
        try:
            message = render(dispatch(text, ctx=ctx, deps=container.deps))
        except BriefingError as exc:
            message = render_error(exc)
        print(to_plain(message), file=stdout, flush=True)
        print(file=stdout)

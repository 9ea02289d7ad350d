"""Test entry point: the real clock process, with its time shifted and its waits shortened."""

from __future__ import annotations

import argparse
from datetime import timedelta

from bot import bootstrap
from bot.clock import run_clock


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--db", required=True)
    parser.add_argument("--shift-hours", type=float, default=0.0,
                        help="stand the clock this many hours after the real time")
    parser.add_argument("--lease-seconds", type=float, default=600.0)
    parser.add_argument("--retry-seconds", type=float, default=30.0)
    args = parser.parse_args()
    settings = bootstrap.load_settings(args.db)
    bootstrap.configure_logging(settings)
    container = bootstrap.build(settings)
    shift = timedelta(hours=args.shift_hours)
    run_clock(container, now=lambda: bootstrap.utcnow() + shift,
              lease=timedelta(seconds=args.lease_seconds),
              retry_base_seconds=args.retry_seconds)


if __name__ == "__main__":
    main()

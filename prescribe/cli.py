"""The ``prescribe`` command line.

Each area registers its subcommands from its own module in ``prescribe/commands/`` (a
``register(subparsers)`` function), so areas grow without touching one shared file.
Commands that need the web app (``serve``, ``db``, ``users``, ``demo``) import ``web``
only when they run: the core CLI works without the web stack configured.

User errors (``PrescribeError``) are printed without a traceback and exit with the error's
code (2 for bad input or rules); anything else is a bug and raises.
"""

from __future__ import annotations

import argparse
import importlib
import sys

from .errors import PrescribeError

COMMAND_MODULES = (
    "score",
    "rules",
    "recommend",
    "model",
    "batch",
    "webapp",
)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="prescribe",
        description="Exercise-prescription assistant: score, screen, prescribe.",
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in COMMAND_MODULES:
        try:
            module = importlib.import_module(f"prescribe.commands.{name}")
        except ModuleNotFoundError as exc:
            if exc.name == f"prescribe.commands.{name}":
                continue  # an area not built yet
            raise
        module.register(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "func", None):
        parser.print_help()
        return 1
    try:
        return int(args.func(args) or 0)
    except PrescribeError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return exc.exit_code


if __name__ == "__main__":  # pragma: no cover - exercised through the console script
    sys.exit(main())

"""The ``storyline`` command: parses arguments, builds Settings, calls the Python API and
turns StorylineErrors into one-line messages with non-zero exit codes. No logic here."""

# `--help` lists the commands in the order their modules are imported
# isort: off
from storyline.cli import runs, read, live, edit
from storyline.cli.common import app

# isort: on

#: the modules whose commands make up the app (importing one registers its commands)
COMMANDS = (runs, read, live, edit)

__all__ = ["COMMANDS", "app", "main"]


def main() -> None:  # pragma: no cover - console entry point
    app()

"""`python -m storyline` runs the CLI."""

from storyline.cli.main import run

run()

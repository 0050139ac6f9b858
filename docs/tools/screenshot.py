"""Render `storyline demo` (or any storyline command) to an SVG terminal screenshot for the docs.

    python docs/tools/screenshot.py docs/images/demo.svg demo
    python docs/tools/screenshot.py docs/images/story.svg story st_...

Runs the real CLI in-process with rich's recording console at a fixed width, in a temporary
store unless --db is given among the command's arguments.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

from storyline.cli import main as cli
from storyline.cli import output


def main() -> None:
    target, args = Path(sys.argv[1]), sys.argv[2:]
    output.out.record = True  # every command module prints through this one console
    output.out.width = 118
    output.out.soft_wrap = False
    with tempfile.TemporaryDirectory() as tmp:
        if "--db" not in args:
            args = ["--db", str(Path(tmp) / "demo.db"), *args]
        try:
            cli.app(args, standalone_mode=False)
        except SystemExit:
            pass
    target.parent.mkdir(parents=True, exist_ok=True)
    output.out.save_svg(str(target), title="storyline " + " ".join(a for a in args[2:]))
    print(f"wrote {target}")


if __name__ == "__main__":
    main()

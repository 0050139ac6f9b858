"""Follow-mode tests: a loopback site of feeds and pages (`newsite.py`), reached by the fetcher only
through ``fetch.allow_networks = ["127.0.0.0/8"]``."""

from __future__ import annotations

import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
for folder in (HERE, HERE.parent / "sources"):  # newsite.py here, loopback.py beside the fetcher's
    if str(folder) not in sys.path:
        sys.path.insert(0, str(folder))

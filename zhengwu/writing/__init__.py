"""Official documents (公文): drafting, GB/T 9704-2012 rendering, format checking, summaries, minutes, simplification."""

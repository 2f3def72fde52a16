"""Benchmarks behind `zhengwu eval ...`: each measures the product on real external data."""

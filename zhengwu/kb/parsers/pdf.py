"""placeholder"""
from pathlib import Path


def parse(path: Path):
    raise NotImplementedError


parse_xlsx = parse_csv = parse

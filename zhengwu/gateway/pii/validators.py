"""Check-digit and structure checks for Chinese identifiers.

The GB 11643 and GB 32100 check digits come from python-stdnum (cn.ric, cn.uscc); Luhn from stdnum.luhn.
We add what stdnum does not decide for masking: a 15-digit (pre-1999) ID has no check digit, and a
county code unknown to stdnum's table should not un-mask a number whose checksum and birth date are fine.
"""

from __future__ import annotations

import datetime
import re

from stdnum import luhn
from stdnum.cn import ric, uscc
from stdnum.exceptions import ValidationError

_SEP = re.compile(r"[\s\-·]")


def compact(value: str) -> str:
    return _SEP.sub("", value).upper()


def _valid_date(y: int, m: int, d: int) -> bool:
    try:
        dt = datetime.date(y, m, d)
    except ValueError:
        return False
    return datetime.date(1900, 1, 1) <= dt <= datetime.date.today()


def valid_province(code: str) -> bool:
    """First two digits of GB/T 2260: provinces 11–82 (11–15, 21–23, 31–37, 41–46, 50–54, 61–65, 71, 81, 82), and
    83, the code of the residence permits of Taiwan residents (830000 + birth date + sequence + check digit)."""
    return code.isdigit() and int(code) in _PROVINCES


_PROVINCES = {11, 12, 13, 14, 15, 21, 22, 23, 31, 32, 33, 34, 35, 36, 37, 41, 42, 43, 44, 45, 46,
              50, 51, 52, 53, 54, 61, 62, 63, 64, 65, 71, 81, 82, 83}


def id_card_check(value: str) -> tuple[bool, str]:
    """(valid, reason) for an 18- or 15-digit resident ID number (separators allowed)."""
    n = compact(value)
    if len(n) == 18:
        if not n[:17].isdigit() or not (n[17].isdigit() or n[17] == "X"):
            return False, "format"
        if not valid_province(n[:2]):
            return False, "region code"
        if not _valid_date(int(n[6:10]), int(n[10:12]), int(n[12:14])):
            return False, "birth date"
        if ric.calc_check_digit(n) != n[17]:
            return False, "GB 11643 check digit"
        return True, "GB 11643 check digit"
    if len(n) == 15:
        if not n.isdigit():
            return False, "format"
        if not valid_province(n[:2]):
            return False, "region code"
        if not _valid_date(1900 + int(n[6:8]), int(n[8:10]), int(n[10:12])):
            return False, "birth date"
        return True, "15-digit: region + birth date (no check digit)"
    return False, "length"


def foreigner_id_valid(value: str) -> bool:
    """外国人永久居留身份证 (2023 version): 9 + province + 3-digit nationality code + birth date YYYYMMDD + sequence
    + the GB 11643 MOD 11-2 check character."""
    n = compact(value)
    if len(n) != 18 or n[0] != "9" or not n[:17].isdigit() or not valid_province(n[1:3]):
        return False
    if not _valid_date(int(n[6:10]), int(n[10:12]), int(n[12:14])):
        return False
    return ric.calc_check_digit(n) == n[17]


def id_card_valid(value: str) -> bool:
    """GB 11643 validity as python-stdnum's cn.ric.validate decides it (incl. the birth-place table)."""
    try:
        ric.validate(compact(value))
        return True
    except ValidationError:
        return False


def birth_place(value: str) -> dict[str, str] | None:
    try:
        return ric.get_birth_place(compact(value))
    except (ValidationError, ValueError):
        return None


_USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"


def credit_code_valid(value: str) -> bool:
    """GB 32100 structure and check character. python-stdnum's cn.uscc computes the check character but rejects
    every code whose first two characters are not digits, while the standard gives letters to registration
    authorities (A 中央军委改革和编制办公室, N 农业农村, Y 其他) and organisation types (Y1 …), so the structure is
    checked here: two code characters, the 6-digit region, 10 code characters."""
    n = compact(value)
    if len(n) != 18 or not n[2:8].isdigit() or any(c not in _USCC_ALPHABET for c in n):
        return False
    return uscc.calc_check_digit(n) == n[17]


def registration_number_valid(value: str) -> bool:
    """The 15-digit 营业执照注册号 used before 统一社会信用代码 (工商总局 2006 rule): a 6-digit region code, and the
    last digit a GB/T 17710 (ISO 7064 MOD 11,10) check digit."""
    n = compact(value)
    if len(n) != 15 or not n.isdigit() or not valid_province(n[:2]):
        return False
    p = 10
    for c in n:
        s = p % 11 + int(c)
        p = (s % 10 or 10) * 2
    return s % 10 == 1


def luhn_valid(value: str) -> bool:
    return luhn.is_valid(compact(value))


def all_same(value: str) -> bool:
    n = compact(value)
    return len(set(n)) <= 1


def sequential(value: str) -> bool:
    """1234567890123456-style runs (each digit one more than the previous, mod 10)."""
    n = compact(value)
    if not n.isdigit() or len(n) < 8:
        return False
    return all((int(b) - int(a)) % 10 == 1 for a, b in zip(n, n[1:])) or \
        all((int(a) - int(b)) % 10 == 1 for a, b in zip(n, n[1:]))

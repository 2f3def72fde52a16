"""Password hashing (scrypt from the standard library, salted, parameters stored with the hash) and the rules a
new password must meet. Why scrypt: memory-hard, no extra dependency, and `hashlib.scrypt` is in every CPython
build we ship on."""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
import re

from zhengwu.errors import ZhengwuError

N, R, P = 2 ** 14, 8, 1
MIN_LENGTH = 10


def hash_password(password: str) -> str:
    salt = os.urandom(16)
    digest = hashlib.scrypt(password.encode("utf-8"), salt=salt, n=N, r=R, p=P, dklen=32)
    return f"scrypt${N}${R}${P}${base64.b64encode(salt).decode()}${base64.b64encode(digest).decode()}"


def verify_password(password: str, stored: str) -> bool:
    try:
        algo, n, r, p, salt, digest = stored.split("$")
        if algo != "scrypt":
            return False
        got = hashlib.scrypt(password.encode("utf-8"), salt=base64.b64decode(salt), n=int(n), r=int(r), p=int(p),
                             dklen=32)
    except (ValueError, TypeError):
        return False
    return hmac.compare_digest(got, base64.b64decode(digest))


def check_password_rules(password: str, username: str = "") -> None:
    """At least 10 characters, three of four kinds (upper, lower, digit, other), not containing the user name."""
    kinds = sum(bool(re.search(p, password)) for p in (r"[A-Z]", r"[a-z]", r"\d", r"[^A-Za-z\d]"))
    problems = []
    if len(password) < MIN_LENGTH:
        problems.append((f"至少 {MIN_LENGTH} 个字符", f"at least {MIN_LENGTH} characters"))
    if kinds < 3:
        problems.append(("须包含大写字母、小写字母、数字、符号中的至少三类", "three of: upper case, lower case, digits, symbols"))
    if username and username.lower() in password.lower():
        problems.append(("不能包含用户名", "must not contain the user name"))
    if problems:
        raise ZhengwuError("weak_password", "密码不符合要求：" + "；".join(z for z, _ in problems) + "。",
                           "The password does not meet the rules: " + "; ".join(e for _, e in problems) + ".")

"""Who is calling: local accounts, departments as a tree, roles, web sessions and API keys.

Identity is authenticated, never taken from a client's headers (DESIGN decision of 2026-11-29): the web layer
turns a session cookie, an API key or (only from a configured proxy address with the shared secret) a trusted
proxy's headers into a `Caller`; anything else is an anonymous citizen of the public department.
"""

from zhengwu.identity.accounts import (authenticate, change_password, create_department, create_user, department_tree,
                                       get_user, list_departments, list_users, set_role, subtree, unlock)
from zhengwu.identity.apikeys import create_key, list_keys, revoke_key, verify_key
from zhengwu.identity.roles import ROLES, can_read_audit, check_role
from zhengwu.identity.sessions import end_session, open_session, session_caller

__all__ = ["authenticate", "change_password", "create_department", "create_user", "department_tree", "get_user",
           "list_departments", "list_users", "set_role", "subtree", "unlock", "create_key", "list_keys",
           "revoke_key", "verify_key", "ROLES", "can_read_audit", "check_role", "open_session", "end_session",
           "session_caller"]

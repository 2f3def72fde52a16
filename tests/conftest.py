"""Shared fixtures: a fresh data directory and SQLite file per test, the real HTTP server, shared data paths."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TypeVar

import httpx
import pytest

T = TypeVar("T")

ROOT = Path(__file__).resolve().parent.parent
SHARED = Path(os.environ.get("ZHENGWU_SHARED", ROOT.parent / "shared"))
EVAL = SHARED / "eval"
CORPUS = SHARED / "corpus"
FIXTURES = Path(__file__).resolve().parent / "fixtures"


TEST_DATABASE = os.environ.get("ZHENGWU_TEST_DATABASE", "sqlite").lower()
"""`ZHENGWU_TEST_DATABASE=postgresql` runs every test that uses `zw_env` against a fresh PostgreSQL database
in the session's private cluster (`pg_server`) instead of a SQLite file: the scale profile's storage."""

ON_POSTGRES = TEST_DATABASE in ("postgresql", "postgres", "pg")

sqlite_only = pytest.mark.skipif(ON_POSTGRES, reason="opens the SQLite file directly (sqlite3 module) to tamper "
                                 "with or inspect it; the PostgreSQL pass has its own tests for that")


@pytest.fixture(scope="session")
def pg_template(pg_server) -> str:
    """A migrated template database: each test's database is a copy of it (CREATE DATABASE ... TEMPLATE), which
    takes a fraction of a second where running every migration per test would take seconds."""
    from sqlalchemy import create_engine, text

    from zhengwu.store.db import init_db, reset_engines

    admin = create_engine(pg_server, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text("DROP DATABASE IF EXISTS zw_template"))
        conn.execute(text("CREATE DATABASE zw_template"))
    url = pg_server.rsplit("/", 1)[0] + "/zw_template"
    reset_engines()
    init_db(url)
    reset_engines()  # no connection may stay open on a template
    admin.dispose()
    return "zw_template"


def _fresh_pg_database(pg_server: str, template: str, name: str) -> str:
    from sqlalchemy import create_engine, text

    admin = create_engine(pg_server, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}" TEMPLATE "{template}"'))
    admin.dispose()
    return pg_server.rsplit("/", 1)[0] + "/" + name


def _drop_pg_database(pg_server: str, name: str) -> None:
    from sqlalchemy import create_engine, text

    admin = create_engine(pg_server, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory) -> Path:
    """A migrated SQLite file, made once per session (per xdist worker): each test's database starts as a copy of
    it, as on PostgreSQL (`pg_template`). Running every migration costs ~0.4 s per test, the copy a millisecond;
    the test process's own `init_db` still checks the copy is at all heads."""
    from zhengwu.config import reset_settings
    from zhengwu.store.db import init_db, reset_engines

    db = tmp_path_factory.mktemp("sqlite-template") / "zhengwu.db"
    reset_engines()
    init_db(f"sqlite:///{db}")
    reset_engines()  # closes the connections: the WAL is checkpointed into the file, which is then complete
    reset_settings()
    return db


def _copy_sqlite_template(template: Path, data: Path) -> None:
    """The template as `data`/zhengwu.db, with the modes the product gives a new database (0700 dir, 0600 file)."""
    import shutil

    data.mkdir(mode=0o700)
    os.chmod(data, 0o700)
    shutil.copyfile(template, data / "zhengwu.db")
    os.chmod(data / "zhengwu.db", 0o600)


@pytest.fixture
def zw_env(tmp_path, monkeypatch, request):
    """An isolated installation: its own data dir and database (a SQLite file, or a fresh PostgreSQL database
    when ZHENGWU_TEST_DATABASE=postgresql), settings re-read. The database is already migrated (a copy of a
    template); tests marked `fresh_data_dir` get no data directory at all, to see what the product creates."""
    import uuid

    from zhengwu.config import reset_settings
    from zhengwu.store.db import reset_engines

    for key in list(os.environ):
        if key.startswith("ZHENGWU_") and key not in ("ZHENGWU_SHARED", "ZHENGWU_TEST_DATABASE"):
            monkeypatch.delenv(key, raising=False)
    data = tmp_path / "data"
    monkeypatch.setenv("ZHENGWU_DATA_DIR", str(data))
    monkeypatch.setenv("ZHENGWU_CONFIG", str(tmp_path / "zhengwu.toml"))
    monkeypatch.setenv("ZHENGWU_EMBEDDER", "none")
    pg_name = None
    if ON_POSTGRES:
        pg_server = request.getfixturevalue("pg_server")
        template = request.getfixturevalue("pg_template")
        pg_name = f"zw_t_{uuid.uuid4().hex[:12]}"
        monkeypatch.setenv("ZHENGWU_DATABASE_URL", _fresh_pg_database(pg_server, template, pg_name))
    elif request.node.get_closest_marker("fresh_data_dir") is None:
        _copy_sqlite_template(request.getfixturevalue("sqlite_template"), data)
    _forget_indexes()
    reset_settings()
    reset_engines()
    yield data
    reset_settings()
    reset_engines()
    _forget_indexes()
    if pg_name is not None:
        _drop_pg_database(request.getfixturevalue("pg_server"), pg_name)


def _forget_indexes() -> None:
    """The in-memory search indexes are keyed by knowledge-base ids and versions, which every fresh database
    repeats (kb 1, version 1): another test's index must not answer this one's searches."""
    search = sys.modules.get("zhengwu.kb.search")
    if search is not None:
        search.clear_indexes()


def use_backend(monkeypatch, url: str, *, model: str = "test-model", **settings: str) -> None:  # noqa: ANN001
    """Point the isolated installation's generative backend at `url`; `settings` are further ZHENGWU_LLM_* values
    (timeout="3", retries="0" ...)."""
    import json

    from zhengwu.config import reset_settings

    monkeypatch.setenv("ZHENGWU_LLM_BACKEND", "openai")
    monkeypatch.setenv("ZHENGWU_LLM_URLS", json.dumps([url]))
    monkeypatch.setenv("ZHENGWU_LLM_MODEL", model)
    for name, value in settings.items():
        monkeypatch.setenv(f"ZHENGWU_LLM_{name.upper()}", value)
    reset_settings()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


SERVER_START_S = 180  # a start takes ~7 CPU-seconds; with the suite on every core a loaded machine needs more


def wait_for(pred: Callable[[], T], timeout: float, every: float = 0.1) -> T:
    """Poll `pred` until it returns something truthy or `timeout` seconds pass; its last value either way."""
    deadline = time.time() + timeout
    while time.time() < deadline:
        got = pred()
        if got:
            return got
        time.sleep(every)
    return pred()


def wait_up(proc: subprocess.Popen, url: str, timeout: float, what: str) -> None:
    """Wait until a service started as `proc` answers `url` with 200; RuntimeError (with its output) if it exits
    first or never answers."""
    def up() -> bool:
        if proc.poll() is not None:
            raise RuntimeError(f"{what} exited: {proc.stdout.read() if proc.stdout else ''}")
        try:
            return httpx.get(url, timeout=1).status_code == 200
        except httpx.HTTPError:
            return False

    if not wait_for(up, timeout, every=0.2):
        proc.kill()
        raise RuntimeError(f"{what} did not start in {timeout:.0f} s")


def start_server(env: dict[str, str], cwd: Path | None = None) -> tuple[subprocess.Popen, str]:
    """Start the real `zhengwu serve` on 127.0.0.1 and wait until /healthz answers."""
    port = free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "zhengwu", "serve", "--host", "127.0.0.1", "--port", str(port), "--workers", "1"],
        env=env, cwd=cwd or ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )
    base = f"http://127.0.0.1:{port}"
    wait_up(proc, base + "/healthz", SERVER_START_S, "server")
    return proc, base


def stop_process(proc: subprocess.Popen, seconds: float = 10) -> None:
    """Stop a server the tests started: politely first, killed if it has not exited within `seconds`."""
    proc.terminate()
    try:
        proc.wait(seconds)
    except subprocess.TimeoutExpired:
        proc.kill()


@contextmanager
def running_server(env: dict[str, str] | None = None) -> Iterator[str]:
    """The real `zhengwu serve` for the duration of the block; yields its base URL, stops it afterwards."""
    proc, base = start_server(dict(os.environ) if env is None else env)
    try:
        yield base
    finally:
        stop_process(proc)


@pytest.fixture
def live_server(zw_env):
    """The real HTTP server over the isolated installation; yields its base URL."""
    with running_server() as base:
        yield base


def run_cli(*args: str, input: str | None = None, env_extra: dict[str, str] | None = None,
            timeout: float = 600) -> subprocess.CompletedProcess:
    """Run `python -m zhengwu ARGS` as a real subprocess with the current (isolated) environment."""
    env = dict(os.environ)
    if env_extra:
        env.update(env_extra)
    return subprocess.run([sys.executable, "-m", "zhengwu", *args], input=input, capture_output=True,
                          text=True, env=env, timeout=timeout, cwd=ROOT)


def _pg_bin() -> Path | None:
    for cand in sorted(Path("/usr/lib/postgresql").glob("*/bin"), reverse=True):
        if (cand / "initdb").exists() and (cand / "pg_ctl").exists():
            return cand
    return None


@pytest.fixture(scope="session")
def pg_server():
    """A real, private PostgreSQL cluster for the scale profile (skips when the server is not installed)."""
    import pwd
    import shutil

    bindir = _pg_bin()
    if bindir is None:
        pytest.skip("PostgreSQL server not installed (apt-get install postgresql); .ci/run installs it")
    import tempfile

    base = Path(tempfile.mkdtemp(prefix="zhengwu-pg-"))  # not under pytest's 0700 root-only tmp dir
    datadir, sockdir = base / "data", base / "sock"
    sockdir.mkdir()
    run_as: list[str] = []
    if os.geteuid() == 0:  # postgres refuses to run as root
        try:
            pwd.getpwnam("postgres")
        except KeyError:
            pytest.skip("no 'postgres' system user to run the server as")
        shutil.chown(base, "postgres")
        shutil.chown(sockdir, "postgres")
        base.chmod(0o755)
        run_as = ["runuser", "-u", "postgres", "--"]
    subprocess.run([*run_as, str(bindir / "initdb"), "-D", str(datadir), "-U", "zhengwu", "--auth=trust",
                    "-E", "UTF8", "--locale=C.UTF-8"], check=True, capture_output=True)
    port = free_port()
    subprocess.run([*run_as, str(bindir / "pg_ctl"), "-D", str(datadir), "-w", "-l", str(base / "log.txt"),
                    "-o", f"-p {port} -k {sockdir} -c listen_addresses=127.0.0.1", "start"],
                   check=True, capture_output=True)
    subprocess.run([str(bindir / "createdb"), "-h", "127.0.0.1", "-p", str(port), "-U", "zhengwu", "zhengwu"],
                   check=True, capture_output=True)
    yield f"postgresql+psycopg://zhengwu@127.0.0.1:{port}/zhengwu"
    subprocess.run([*run_as, str(bindir / "pg_ctl"), "-D", str(datadir), "-m", "fast", "stop"], capture_output=True)
    shutil.rmtree(base, ignore_errors=True)


# --- identity for HTTP tests: real accounts, real sign-in, real API keys (headers prove nothing) ---------------

TEST_PASSWORD = "Test-Pass-2026!"


def make_account(username: str, department: str, role: str, password: str = TEST_PASSWORD) -> None:
    """A user in the isolated installation (its department created if missing)."""
    from zhengwu.context import Caller
    from zhengwu.identity import create_user
    from zhengwu.identity.accounts import ensure_department
    from zhengwu.store import session_scope

    with session_scope() as s:
        ensure_department(s, department)
        create_user(s, Caller("test-setup", "*", "admin"), username, department=department, role=role,
                    password=password)


def signed_in(base: str, username: str, department: str, role: str) -> httpx.Client:
    """An HTTP client signed in through /login as a new account; it sends this site's Origin like a browser."""
    make_account(username, department, role)
    c = httpx.Client(base_url=base, headers={"Origin": base}, timeout=120)
    r = c.post("/login", data={"username": username, "password": TEST_PASSWORD})
    assert r.status_code == 303 and r.headers["location"] == "/" and "zw_session" in c.cookies, r.text
    return c


def api_key(department: str, role: str = "officer", *, app: str = "test-app",
            scenarios: list[str] | None = None) -> dict[str, str]:
    """Authorization headers with a new API key acting as `role` in `department`."""
    from zhengwu.context import Caller
    from zhengwu.identity import create_key
    from zhengwu.store import session_scope

    with session_scope() as s:
        _, key = create_key(s, Caller("test-setup", "*", "admin"), app=app, department=department, role=role,
                            scenarios=scenarios)
    return {"Authorization": f"Bearer {key}"}


def session_headers(base: str, username: str, department: str, role: str) -> dict[str, str]:
    """Headers of a browser signed in as a new account (its session cookie and this site's Origin)."""
    c = signed_in(base, username, department, role)
    return {"Cookie": f"zw_session={c.cookies['zw_session']}", "Origin": base}


# --- a fixed-reply OpenAI-compatible chat endpoint on 127.0.0.1 ----------------------------------------------
# A protocol-boundary double (no model is installed here): it records what the door sends (`received`) and answers
# every chat completion with `reply`.

def _fixed_reply_handler():  # noqa: ANN202 - the handler class (http.server imported only where used)
    import json
    from http.server import BaseHTTPRequestHandler

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *args) -> None:  # noqa: ANN002
            pass

        def do_POST(self) -> None:  # noqa: N802
            raw = self.rfile.read(int(self.headers.get("Content-Length", "0"))).decode("utf-8")
            self.server.received.append(json.loads(raw))  # type: ignore[attr-defined]
            out = {"id": "x", "object": "chat.completion", "model": "test-model",
                   "choices": [{"index": 0, "message": {"role": "assistant",
                                                        "content": self.server.reply},  # type: ignore[attr-defined]
                                "finish_reason": "stop"}],
                   "usage": {"prompt_tokens": 10, "completion_tokens": 10, "total_tokens": 20}}
            data = json.dumps(out, ensure_ascii=False).encode("utf-8")
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

    return Handler


@contextmanager
def fixed_reply_server(reply: str = "") -> Iterator:
    """A running fixed-reply endpoint (`.received`, `.reply`, `.url`), shut down on leaving."""
    import threading
    from http.server import ThreadingHTTPServer

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _fixed_reply_handler())
    httpd.daemon_threads = True
    httpd.received, httpd.reply = [], reply  # type: ignore[attr-defined]
    httpd.url = f"http://127.0.0.1:{httpd.server_address[1]}"  # type: ignore[attr-defined]
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    try:
        yield httpd
    finally:
        httpd.shutdown()
        httpd.server_close()


@pytest.fixture
def fixed_reply_model(zw_env, monkeypatch):  # noqa: ANN001, ANN201
    """The isolated installation's generative backend pointed at a fixed-reply endpoint (set `.reply`)."""
    with fixed_reply_server() as httpd:
        use_backend(monkeypatch, httpd.url, retries="0")
        yield httpd


def run_schemathesis(live_server: str, tmp_path: Path, operations: str, *, max_examples: int,
                     authorization: str | None = None, request_timeout: int = 30,
                     time_limit: int = 300) -> subprocess.CompletedProcess:
    """Schemathesis against the real server's /openapi.json for the operations matching `operations`: generated
    requests, "no 5xx" checked, seeded and bounded. Skips when schemathesis is missing or when it passes its time
    limit on a busy machine (slowness is not a failure); the caller asserts on the run."""
    import shutil

    pytest.importorskip("schemathesis", reason="schemathesis not installed (pip install -e '.[test]')")
    exe = shutil.which("schemathesis") or str(Path(sys.executable).with_name("schemathesis"))
    cmd = [exe, "run", f"{live_server}/openapi.json", "--checks", "not_a_server_error",
           "--phases", "examples,fuzzing", "--max-examples", str(max_examples), "--seed", "1", "--no-shrink",
           "--workers", "1", "--request-timeout", str(request_timeout), "--include-path-regex", operations,
           "--report", "junit", "--report-dir", str(tmp_path)]
    if authorization:
        cmd += ["-H", f"Authorization: {authorization}"]
    try:
        return subprocess.run(cmd, capture_output=True, text=True, timeout=time_limit, cwd=tmp_path)  # its cache too
    except subprocess.TimeoutExpired:
        pytest.skip(f"schemathesis did not finish within {time_limit} s on this machine")


# --- a real browser for the page tests: Debian chromium driven by Playwright (no browser download) -------------

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--no-first-run", "--disable-sync"]


@pytest.fixture
def browser():
    """A headless chromium; tests open their own pages with the viewport and options they need."""
    if not Path(CHROMIUM).exists():
        pytest.skip("Debian chromium not installed (apt-get install chromium); .ci/run installs it")
    sync_api = pytest.importorskip("playwright.sync_api", reason="playwright Python package not installed")
    with sync_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield b
        b.close()

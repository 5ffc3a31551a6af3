"""The opt-in LLM composer: rewrites the offline answer in warmer words, shown only when it is grounded.

LangChain chat models stay inside this module. ``build_rewriter`` returns None for the default offline
provider, so nothing here is imported, built or called unless a school configures an LLM.

Fails open to the offline answer: any error, HTTP status, timeout, unreadable or ungrounded reply returns
the draft unchanged (``AnswerRewriter`` must never raise). The whole call has one deadline,
``timeout_seconds``: it runs in a worker thread the caller stops waiting for. httpx timeouts alone would not
do, because they bound each read, and a server sending a token every few seconds never trips them.
"""

from __future__ import annotations

import logging
import re
import threading
from collections.abc import Generator, Sequence
from concurrent.futures import Future
from dataclasses import dataclass
from typing import TYPE_CHECKING

from bot.config import ComposerSettings, Settings
from bot.errors import ConfigError
from bot.grounding import check_grounding
from bot.ports import AnswerRewriter, Embedder
from bot.prompts import PromptMessage, build_prompt
from bot.schemas import Answer, Message, RetrievedChunk

if TYPE_CHECKING:
    from langchain_core.language_models import BaseChatModel
    from langchain_core.messages import BaseMessage

logger = logging.getLogger("koers")

# Reasoning models (Qwen3, DeepSeek-R1) may put their thinking before the answer.
_THINKING = re.compile(r"<think>.*?</think>", re.DOTALL)


@dataclass
class LlmRewriter:
    """An ``AnswerRewriter`` backed by a LangChain chat model and checked by ``bot.grounding``."""

    model: BaseChatModel
    embedder: Embedder
    settings: ComposerSettings

    def rewrite(
        self,
        question: str,
        history: Sequence[Message],
        hits: Sequence[RetrievedChunk],
        draft: Answer,
    ) -> Answer:
        try:
            reply = self._generate(build_prompt(question, history, hits, draft))
            result = check_grounding(
                _THINKING.sub("", reply).strip(),
                hits,
                question,
                self.embedder,
                self.settings.grounding_threshold,
            )
        except Exception as exc:  # the contract: a failing LLM never costs the student an answer
            logger.warning("LLM composer failed, showing the offline answer: %s", _describe(exc))
            return draft
        if not result.ok:
            logger.info("LLM answer not grounded, showing the offline answer: %s", "; ".join(result.reasons))
            return draft
        return draft.model_copy(update={"text": result.text, "citations": result.citations})

    def _generate(self, prompt: Sequence[PromptMessage]) -> str:
        """The reply, or TimeoutError once ``timeout_seconds`` have passed, however the server behaves."""
        future: Future[str] = Future()
        stop = threading.Event()
        messages = _langchain_messages(prompt)

        def work() -> None:
            try:
                future.set_result(self._call(messages, stop))
            except BaseException as exc:  # handed to the waiting caller, which decides
                future.set_exception(exc)

        # A daemon thread: a stalled server must not keep the process alive. It ends by itself when
        # the stream loop sees ``stop`` or when httpx's own timeout ends a blocked read.
        threading.Thread(target=work, name="koers-llm", daemon=True).start()
        try:
            return future.result(timeout=self.settings.timeout_seconds)
        finally:
            stop.set()

    def _call(self, messages: list[BaseMessage], stop: threading.Event) -> str:
        if not self.settings.stream:
            return str(self.model.invoke(messages, stream=False).text)
        parts: list[str] = []
        stream = self.model.stream(messages)
        try:
            for chunk in stream:
                if stop.is_set():
                    break  # closing the generator closes the HTTP response
                parts.append(chunk.text)
        finally:
            if isinstance(stream, Generator):
                stream.close()  # now, not at garbage collection: frees the connection to the server
        return "".join(parts)


def build_rewriter(settings: Settings, embedder: Embedder) -> AnswerRewriter | None:
    """The LLM composer the settings ask for, or None for the offline composer (the default)."""
    composer = settings.composer
    match composer.provider:
        case "offline":
            return None
        case "openai":
            return LlmRewriter(_openai_model(composer), embedder, composer)
        case "ollama":
            return LlmRewriter(_ollama_model(composer), embedder, composer)


def _openai_model(composer: ComposerSettings) -> BaseChatModel:
    try:
        from langchain_openai import ChatOpenAI
        from pydantic import SecretStr
    except ImportError as exc:
        raise ConfigError(
            "composer.provider 'openai' needs the package langchain-openai: pip install langchain-openai"
        ) from exc
    # Always an explicit key: otherwise the client would send OPENAI_API_KEY from the environment to
    # whatever server base_url names. Local servers accept any key.
    return ChatOpenAI(
        base_url=composer.base_url,
        model=composer.model,
        api_key=composer.api_key or SecretStr("not-needed"),
        timeout=composer.timeout_seconds,
        max_retries=0,  # a retry would only spend the student's waiting time; the draft is ready
        temperature=composer.temperature,
        # sent as max_completion_tokens, the current name in the OpenAI API (vLLM reads it too)
        max_completion_tokens=composer.max_tokens,
        streaming=composer.stream,
    )


def _ollama_model(composer: ComposerSettings) -> BaseChatModel:
    try:
        from langchain_ollama import ChatOllama
    except ImportError as exc:
        raise ConfigError(
            "composer.provider 'ollama' needs the package langchain-ollama: pip install langchain-ollama"
        ) from exc
    headers = {}
    if composer.api_key is not None:  # Ollama itself has no keys; a proxy in front of it may
        headers["Authorization"] = f"Bearer {composer.api_key.get_secret_value()}"
    return ChatOllama(
        base_url=composer.base_url,
        model=composer.model,
        temperature=composer.temperature,
        num_predict=composer.max_tokens,
        client_kwargs={"timeout": composer.timeout_seconds, "headers": headers},
    )


def _langchain_messages(prompt: Sequence[PromptMessage]) -> list[BaseMessage]:
    from langchain_core.messages import AIMessage, HumanMessage, SystemMessage

    kinds = {"system": SystemMessage, "user": HumanMessage, "assistant": AIMessage}
    return [kinds[m.role](content=m.content) for m in prompt]


def _describe(exc: BaseException) -> str:
    """One line for the log, without the request (it holds the student's question)."""
    if isinstance(exc, TimeoutError):
        return "no complete reply in time"
    return f"{type(exc).__name__}: {str(exc).splitlines()[0] if str(exc) else ''}"[:300]

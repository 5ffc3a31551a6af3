"""The opt-in LLM composer: rewrites the offline answer in warmer words, shown only when it is grounded.

LangChain chat models stay in ``bot.adapters.chat_model``. ``build_rewriter`` returns None for the default
offline provider, so nothing here is imported, built or called unless a school configures an LLM.

Fails open to the offline answer: any error, HTTP status, timeout, unreadable or ungrounded reply returns
the draft unchanged (``AnswerRewriter`` must never raise). The whole call has one deadline,
``timeout_seconds``: it runs in a worker thread the caller stops waiting for. httpx timeouts alone would not
do, because they bound each read, and a server sending a token every few seconds never trips them.
"""

from __future__ import annotations

import logging
import re
import threading
from collections.abc import Sequence
from concurrent.futures import Future
from dataclasses import dataclass

from bot.adapters.chat_model import chat_model
from bot.answer.grounding import check_grounding
from bot.answer.prompts import build_prompt
from bot.core.config import ComposerSettings, Settings
from bot.core.ports import AnswerRewriter, ChatModel, Embedder, PromptMessage
from bot.core.schemas import Answer, Message, RetrievedChunk

logger = logging.getLogger("koers")

# Reasoning models (Qwen3, DeepSeek-R1) may put their thinking before the answer.
_THINKING = re.compile(r"<think>.*?</think>", re.DOTALL)


@dataclass
class LlmRewriter:
    """An ``AnswerRewriter`` backed by a chat model and checked by ``bot.answer.grounding``."""

    model: ChatModel
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

        def work() -> None:
            try:
                future.set_result(self.model.reply(prompt, stop))
            except BaseException as exc:  # handed to the waiting caller, which decides
                future.set_exception(exc)

        # A daemon thread: a stalled server must not keep the process alive. It ends by itself when
        # the stream loop sees ``stop`` or when httpx's own timeout ends a blocked read.
        threading.Thread(target=work, name="koers-llm", daemon=True).start()
        try:
            return future.result(timeout=self.settings.timeout_seconds)
        finally:
            stop.set()


def build_rewriter(settings: Settings, embedder: Embedder) -> AnswerRewriter | None:
    """The LLM composer the settings ask for, or None for the offline composer (the default)."""
    composer = settings.composer
    match composer.provider:
        case "offline":
            return None
        case "openai" | "ollama":
            return LlmRewriter(chat_model(composer.provider, composer), embedder, composer)


def _describe(exc: BaseException) -> str:
    """One line for the log, without the request (it holds the student's question)."""
    if isinstance(exc, TimeoutError):
        return "no complete reply in time"
    return f"{type(exc).__name__}: {str(exc).splitlines()[0] if str(exc) else ''}"[:300]

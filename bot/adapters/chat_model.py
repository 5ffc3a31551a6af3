"""The LLM chat models a school can configure (OpenAI-compatible servers, Ollama), through LangChain.

LangChain stays inside this module: the rewriter (``bot.answer.rewrite``) sees a ``bot.core.ports.ChatModel``
that turns a prompt into a reply. Nothing here is imported unless a school configures an LLM.
"""

from __future__ import annotations

import threading
from collections.abc import Generator, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from bot.core.config import ComposerSettings
from bot.core.errors import ConfigError
from bot.core.ports import PromptMessage

if TYPE_CHECKING:
    from langchain_core.language_models import BaseChatModel
    from langchain_core.messages import BaseMessage


@dataclass
class LangChainChat:
    """A LangChain chat model; streamed when ``stream`` is on, so a stalled reply can be abandoned."""

    model: BaseChatModel
    stream: bool

    def reply(self, prompt: Sequence[PromptMessage], stop: threading.Event) -> str:
        """The model's whole reply; a streamed reply stops early once ``stop`` is set."""
        messages = _langchain_messages(prompt)
        if not self.stream:
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


def openai_chat(composer: ComposerSettings) -> LangChainChat:
    try:
        from langchain_openai import ChatOpenAI
        from pydantic import SecretStr
    except ImportError as exc:
        raise ConfigError(
            "composer.provider 'openai' heeft het pakket langchain-openai nodig: pip install langchain-openai"
        ) from exc
    # Always an explicit key: otherwise the client would send OPENAI_API_KEY from the environment to
    # whatever server base_url names. Local servers accept any key.
    return LangChainChat(
        ChatOpenAI(
            base_url=composer.base_url,
            model=composer.model,
            api_key=composer.api_key or SecretStr("not-needed"),
            timeout=composer.timeout_seconds,
            max_retries=0,  # a retry would only spend the student's waiting time; the draft is ready
            temperature=composer.temperature,
            # sent as max_completion_tokens, the current name in the OpenAI API (vLLM reads it too)
            max_completion_tokens=composer.max_tokens,
            streaming=composer.stream,
        ),
        composer.stream,
    )


def ollama_chat(composer: ComposerSettings) -> LangChainChat:
    try:
        from langchain_ollama import ChatOllama
    except ImportError as exc:
        raise ConfigError(
            "composer.provider 'ollama' heeft het pakket langchain-ollama nodig: pip install langchain-ollama"
        ) from exc
    headers = {}
    if composer.api_key is not None:  # Ollama itself has no keys; a proxy in front of it may
        headers["Authorization"] = f"Bearer {composer.api_key.get_secret_value()}"
    return LangChainChat(
        ChatOllama(
            base_url=composer.base_url,
            model=composer.model,
            temperature=composer.temperature,
            num_predict=composer.max_tokens,
            client_kwargs={"timeout": composer.timeout_seconds, "headers": headers},
        ),
        composer.stream,
    )


def _langchain_messages(prompt: Sequence[PromptMessage]) -> list[BaseMessage]:
    from langchain_core.messages import AIMessage, HumanMessage, SystemMessage

    kinds = {"system": SystemMessage, "user": HumanMessage, "assistant": AIMessage}
    return [kinds[m.role](content=m.content) for m in prompt]

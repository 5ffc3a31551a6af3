"""The LLM chat models a school can configure (OpenAI-compatible servers, Ollama), through LangChain.

LangChain stays inside this module: the rewriter (``bot.answer.rewrite``) sees a ``bot.core.ports.ChatModel``
that turns a prompt into a reply. The model is made by LangChain's provider-independent
``init_chat_model`` and the reply is one LCEL chain (our messages -> chat model -> text). Nothing here is
imported unless a school configures an LLM.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Generator, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal

from bot.core.config import ComposerSettings
from bot.core.errors import ConfigError
from bot.core.ports import PromptMessage

if TYPE_CHECKING:
    from langchain_core.language_models import BaseChatModel
    from langchain_core.messages import BaseMessage
    from langchain_core.runnables import Runnable

Provider = Literal["openai", "ollama"]


@dataclass
class LangChainChat:
    """A LangChain chat model; streamed when ``stream`` is on, so a stalled reply can be abandoned."""

    model: BaseChatModel
    stream: bool

    def reply(self, prompt: Sequence[PromptMessage], stop: threading.Event) -> str:
        """The model's whole reply; a streamed reply stops early once ``stop`` is set."""
        if not self.stream:
            return _chain(self.model.bind(stream=False)).invoke(prompt)
        parts: list[str] = []
        stream = _chain(self.model).stream(prompt)
        try:
            for text in stream:
                if stop.is_set():
                    break  # closing the generator closes the HTTP response
                parts.append(text)
        finally:
            if isinstance(stream, Generator):
                stream.close()  # now, not at garbage collection: frees the connection to the server
        return "".join(parts)


def _chain(model: Runnable[Any, Any]) -> Runnable[Sequence[PromptMessage], str]:
    """Our prompt messages -> the chat model -> the reply's text (LCEL)."""
    from langchain_core.output_parsers import StrOutputParser
    from langchain_core.runnables import RunnableLambda

    return RunnableLambda(_langchain_messages) | model | StrOutputParser()


def _openai_options(composer: ComposerSettings) -> dict[str, Any]:
    from pydantic import SecretStr

    # Always an explicit key: otherwise the client would send OPENAI_API_KEY from the environment to
    # whatever server base_url names. Local servers accept any key.
    return {
        "base_url": composer.base_url,
        "api_key": composer.api_key or SecretStr("not-needed"),
        "timeout": composer.timeout_seconds,
        "max_retries": 0,  # a retry would only spend the student's waiting time; the draft is ready
        "temperature": composer.temperature,
        # sent as max_completion_tokens, the current name in the OpenAI API (vLLM reads it too)
        "max_completion_tokens": composer.max_tokens,
        "streaming": composer.stream,
    }


def _ollama_options(composer: ComposerSettings) -> dict[str, Any]:
    headers = {}
    if composer.api_key is not None:  # Ollama itself has no keys; a proxy in front of it may
        headers["Authorization"] = f"Bearer {composer.api_key.get_secret_value()}"
    return {
        "base_url": composer.base_url,
        "temperature": composer.temperature,
        "num_predict": composer.max_tokens,
        "client_kwargs": {"timeout": composer.timeout_seconds, "headers": headers},
    }


# Per provider: the integration package LangChain needs, and our settings as that model's options.
_PROVIDERS: dict[Provider, tuple[str, Callable[[ComposerSettings], dict[str, Any]]]] = {
    "openai": ("langchain-openai", _openai_options),
    "ollama": ("langchain-ollama", _ollama_options),
}


def chat_model(provider: Provider, composer: ComposerSettings) -> LangChainChat:
    """The chat model of ``provider`` with the school's settings, made by LangChain's ``init_chat_model``.

    The provider is always named: an Ollama model name such as "qwen2.5:7b" would otherwise be read as
    "provider:model"."""
    from langchain.chat_models import init_chat_model

    package, options = _PROVIDERS[provider]
    try:
        model = init_chat_model(composer.model, model_provider=provider, **options(composer))
    except ImportError as exc:
        raise ConfigError(
            f"composer.provider '{provider}' heeft het pakket {package} nodig: pip install {package}"
        ) from exc
    return LangChainChat(model, composer.stream)


def _langchain_messages(prompt: Sequence[PromptMessage]) -> list[BaseMessage]:
    from langchain_core.messages import AIMessage, HumanMessage, SystemMessage

    kinds = {"system": SystemMessage, "user": HumanMessage, "assistant": AIMessage}
    return [kinds[m.role](content=m.content) for m in prompt]

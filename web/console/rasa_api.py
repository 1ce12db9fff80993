"""The running Rasa server's HTTP API, as the console uses it: what the live model makes
of a question (``/model/parse``) and the model the worker that answers serves
(``/status``). (Models are not replaced through ``PUT /model``, which loads on Rasa's
event loop and would hold up every visitor for the load: see bot/channels/live_model.py.
Which model *every* worker serves is in the database, as the workers report it:
bot/storage/model_servers.py.)

Rasa's API exists only behind its token (RASA_API_TOKEN, which `make run` makes up for
each start when none is set).
"""

from __future__ import annotations

import asyncio
import os
from dataclasses import dataclass
from typing import Any

import aiohttp

PARSE_TIMEOUT = 10  # seconds for a page's worth of questions


class RasaApiError(RuntimeError):
    """The Rasa server could not be asked; the message says why, for the page."""


@dataclass(frozen=True)
class Parsed:
    intent: str
    confidence: float

    @property
    def understood(self) -> bool:
        return self.intent != "nlu_fallback"


@dataclass(frozen=True)
class RasaApi:
    url: str
    token: str

    @classmethod
    def from_env(cls, env=None) -> RasaApi:
        env = os.environ if env is None else env
        url = (env.get("RASA_URL") or "http://127.0.0.1:5005").strip().rstrip("/")
        return cls(url, env.get("RASA_API_TOKEN") or "")

    async def _call(self, method: str, path: str, timeout: float, **kwargs) -> Any:
        if not self.token:
            raise RasaApiError("the Rasa server's API is off (RASA_API_TOKEN is not set)")
        try:
            async with aiohttp.ClientSession(
                timeout=aiohttp.ClientTimeout(total=timeout)
            ) as session:
                async with session.request(
                    method, f"{self.url}{path}", params={"token": self.token}, **kwargs
                ) as response:
                    if response.status >= 300:
                        raise RasaApiError(f"the Rasa server answered {response.status}")
                    if response.status == 204:
                        return None
                    return await response.json(content_type=None)
        except asyncio.TimeoutError:
            raise RasaApiError("the Rasa server did not answer in time") from None
        except (aiohttp.ClientError, ValueError) as error:
            raise RasaApiError(f"the Rasa server could not be reached ({error})") from None

    async def parse_all(self, texts: list[str]) -> dict[str, Parsed]:
        """What the live model makes of each text; RasaApiError if it cannot be asked."""

        async def one(text: str) -> Parsed:
            body = await self._call("POST", "/model/parse", PARSE_TIMEOUT, json={"text": text})
            intent = body.get("intent") or {}
            return Parsed(str(intent.get("name")), float(intent.get("confidence") or 0))

        unique = list(dict.fromkeys(texts))
        results = await asyncio.gather(*(one(text) for text in unique))
        return dict(zip(unique, results, strict=True))

    async def status(self) -> dict[str, Any]:
        return await self._call("GET", "/status", PARSE_TIMEOUT)

"""Talk to Rasa's REST channel, turning every way it can fail into one exception.

The widget needs to know only whether to offer a retry, so failures are
reduced to three kinds (unreachable, too slow, answered wrongly).
"""

from __future__ import annotations

import asyncio
from typing import Any

import aiohttp

Messages = list[dict[str, Any]]


class UpstreamError(Exception):
    """Rasa could not give an answer. `status` and `code` are what the widget receives."""

    def __init__(self, status: int, code: str, detail: str):
        super().__init__(detail)
        self.status = status
        self.code = code


class RasaClient:
    def __init__(self, rasa_url: str, timeout: float):
        self.webhook = f"{rasa_url}/webhooks/rest/webhook"
        self.timeout = aiohttp.ClientTimeout(total=timeout)
        self._session: aiohttp.ClientSession | None = None

    async def start(self) -> None:
        self._session = aiohttp.ClientSession(timeout=self.timeout)

    async def close(self) -> None:
        if self._session is not None:
            await self._session.close()

    async def send(
        self, sender: str, message: str, metadata: dict[str, str] | None = None
    ) -> Messages:
        """Rasa's replies to one message; `metadata` travels with it (the visitor's language)."""
        assert self._session is not None, "start() first"
        body: dict[str, object] = {"sender": sender, "message": message}
        if metadata:
            body["metadata"] = metadata
        try:
            async with self._session.post(self.webhook, json=body) as response:
                if response.status != 200:
                    raise UpstreamError(502, "assistant_error", f"Rasa answered {response.status}")
                body = await response.json(content_type=None)
        except asyncio.TimeoutError:
            raise UpstreamError(504, "assistant_timeout", "Rasa did not answer in time") from None
        except aiohttp.ClientError as error:
            raise UpstreamError(503, "assistant_unavailable", str(error)) from None
        except ValueError:  # not JSON
            raise UpstreamError(502, "assistant_error", "Rasa answered, not in JSON") from None
        if not isinstance(body, list) or not all(isinstance(item, dict) for item in body):
            raise UpstreamError(502, "assistant_error", "Rasa answered with something not a list")
        return body

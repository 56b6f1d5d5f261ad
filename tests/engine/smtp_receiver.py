"""A real SMTP server (aiosmtpd) on a loopback port the OS picks, in a thread of its own."""

from __future__ import annotations

import asyncio
import threading
from email import message_from_bytes
from email.message import Message
from types import TracebackType
from typing import Any

from aiosmtpd.smtp import SMTP, Envelope, Session


class _Collect:
    def __init__(self, messages: list[Message]) -> None:
        self.messages = messages

    async def handle_DATA(self, server: SMTP, session: Session, envelope: Envelope) -> str:
        content = envelope.original_content or b""
        self.messages.append(message_from_bytes(content))
        return "250 Message accepted for delivery"


class SmtpReceiver:
    """``with SmtpReceiver() as smtp: smtp.url`` (``smtp://127.0.0.1:PORT``); ``smtp.messages`` as received."""

    def __init__(self) -> None:
        self.messages: list[Message] = []
        self._loop = asyncio.new_event_loop()
        self._server: Any = None
        self._thread = threading.Thread(target=self._loop.run_forever, daemon=True)

    @property
    def url(self) -> str:
        return f"smtp://127.0.0.1:{self._server.sockets[0].getsockname()[1]}"

    def __enter__(self) -> SmtpReceiver:
        self._thread.start()
        handler = _Collect(self.messages)
        created = asyncio.run_coroutine_threadsafe(
            self._loop.create_server(lambda: SMTP(handler), "127.0.0.1", 0), self._loop
        )
        self._server = created.result(timeout=10)
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self._server.close()
        asyncio.run_coroutine_threadsafe(self._server.wait_closed(), self._loop).result(timeout=10)
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(timeout=10)
        self._loop.close()

"""Sending what the engine queued: webhook POSTs and SMTP relays, off the request path, never in a transaction.

One background task per app (started by app.py's lifespan). Each round claims due rows in one transaction,
awaits the network with no transaction open, and records the results in a second one: like AC, a delivery
is tried once (no retries), and a 410 answer deactivates its webhook (ac-api-facts-breadth.md §6.2).
``drain`` is also awaited by the control plane's wait, so a test waits for deliveries without sleeping.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from typing import TYPE_CHECKING
from urllib.parse import unquote, urlsplit

from sqlalchemy import bindparam, func, or_, select, update

from fakecampaign.db import statement
from fakecampaign.engine import outbox
from fakecampaign.engine.outbox import EmailRecord
from fakecampaign.engine.runner import Runner
from fakecampaign.services import webhooks
from fakecampaign.services.webhooks import DeliveryRecord
from fakecampaign.tables import WEBHOOK_DELIVERIES

if TYPE_CHECKING:
    import httpx  # imported when the first webhook is sent: a server that sends none never pays for it

T = WEBHOOK_DELIVERIES
Result = tuple[DeliveryRecord, int | None, int, str | None]  # the delivery, HTTP status, milliseconds, error
LOG = logging.getLogger("fakecampaign.delivery")
BATCH = 50
TICK = 1.0  # seconds between rounds when nothing wakes the task (a wait step coming due by the real clock)
ERROR_TEXT = 500  # characters of an error kept in the log
USER_AGENT = "fakecampaign-webhooks"

PENDING = statement(select(T).where(T.c.status == "pending").order_by(T.c.id).limit(BATCH))
CLAIM = statement(update(T).where(T.c.id == bindparam("did"), T.c.status == "pending").values(status="sending"))
RECORD = statement(
    update(T)
    .where(T.c.id == bindparam("did"))
    .values(
        status=bindparam("new_status"),
        http_status=bindparam("code"),
        duration_ms=bindparam("ms"),
        error=bindparam("err"),
        attempted=bindparam("at"),
    )
)
UNFINISHED = statement(
    select(func.count())
    .select_from(T)
    .where(T.c.account_id == bindparam("aid"), or_(T.c.status == "pending", T.c.status == "sending"))
)
INTERRUPTED = statement(
    update(T).where(T.c.status == "sending").values(status="failed", error="interrupted by a restart")
)


class Dispatcher:
    """Delivers pending webhooks and relays outbox emails; ``wake()`` is safe to call inside a transaction."""

    def __init__(self, runner: Runner, *, timeout: float, smtp_url: str | None) -> None:
        self.runner = runner
        self.store = runner.store
        self.timeout = timeout
        self.smtp_url = smtp_url
        self._wake: asyncio.Event | None = None
        self._task: asyncio.Task[None] | None = None
        self._client: httpx.AsyncClient | None = None
        self._lock: asyncio.Lock | None = None

    def wake(self) -> None:
        if self._wake is not None:
            self._wake.set()

    async def start(self) -> None:
        with self.store.db.transaction() as tx:
            tx.execute(INTERRUPTED)
        self._wake = asyncio.Event()
        self._lock = asyncio.Lock()
        self._task = asyncio.create_task(self._loop(), name="fakecampaign-delivery")

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
        if self._client is not None:
            await self._client.aclose()

    async def _loop(self) -> None:
        assert self._wake is not None
        while True:
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._wake.wait(), TICK)
            self._wake.clear()
            try:
                self.runner.resume_due()
                await self.drain()
            except Exception:  # a bad round must not end deliveries for the life of the server
                LOG.exception("delivery round failed")

    async def drain(self) -> None:
        """Send everything pending now (webhooks, then relayed emails); returns when none is left."""
        if self._lock is None:
            return
        async with self._lock:
            while True:
                batch = self._claim()
                if not batch:
                    break
                # In order per URL (a receiver sees a contact's events as they happened), URLs in parallel.
                by_url: dict[str, list[DeliveryRecord]] = {}
                for delivery in batch:
                    by_url.setdefault(delivery.url, []).append(delivery)
                groups = await asyncio.gather(*(self._post_in_order(group) for group in by_url.values()))
                self._record([result for group in groups for result in group])
            if self.smtp_url:
                for email in outbox.relay_due(self.store):
                    error = await asyncio.to_thread(_relay, self.smtp_url, email, self.timeout)
                    outbox.mark_relayed(self.store, email_id=email.id, error=error)

    async def wait(self, *, account_id: int, timeout: float) -> bool:
        """Deliver and wait until the account has nothing pending; False if ``timeout`` ran out first."""
        if self._lock is None:  # an app served without its lifespan (an ASGI test client): start here
            await self.start()
        deadline = time.monotonic() + timeout
        while True:
            await self.drain()
            with self.store.db.transaction() as tx:
                left = int(tx.scalar(UNFINISHED, aid=account_id) or 0)
            if not left:
                return True
            if time.monotonic() >= deadline:
                return False
            await asyncio.sleep(0.01)  # another round holds the lock; it finishes within the HTTP timeout

    def _claim(self) -> list[DeliveryRecord]:
        claimed = []
        with self.store.db.transaction() as tx:
            for row in tx.all(PENDING):
                if tx.execute(CLAIM, did=row["id"]):
                    claimed.append(DeliveryRecord(**row))
        return claimed

    async def _post_in_order(self, group: list[DeliveryRecord]) -> list[Result]:
        return [await self._post(delivery) for delivery in group]

    def _http(self) -> httpx.AsyncClient:
        if self._client is None:
            import httpx

            # trust_env=False: a test tool posts where it is told; a proxy from the environment must not
            # intercept loopback receivers.
            headers = {"User-Agent": USER_AGENT}
            self._client = httpx.AsyncClient(timeout=self.timeout, trust_env=False, headers=headers)
        return self._client

    async def _post(self, delivery: DeliveryRecord) -> Result:
        import httpx

        client = self._http()
        started = time.monotonic()
        try:
            # Keys are unique in AC's payloads; a dict keeps their order for the form encoder. Streamed, and the
            # body never read: only the status matters, and a receiver must not make the server buffer a reply.
            async with client.stream("POST", delivery.url, data=dict(delivery.pairs())) as reply:
                status = reply.status_code
        except httpx.HTTPError as error:
            return delivery, None, _ms(started), (f"{type(error).__name__}: {error}")[:ERROR_TEXT]
        return delivery, status, _ms(started), None

    def _record(self, results: list[Result]) -> None:
        now = self.store.clock.timestamp()
        with self.store.db.transaction() as tx:
            for delivery, code, ms, error in results:
                ok = code is not None and 200 <= code < 300
                if error is None and not ok:
                    error = f"HTTP {code}"
                tx.execute(
                    RECORD,
                    did=delivery.id,
                    new_status="delivered" if ok else "failed",
                    code=code,
                    ms=ms,
                    err=error,
                    at=now,
                )
                if code == 410 and delivery.webhook_id is not None:  # "410 ... the webhook becomes inactive"
                    webhooks.deactivate(tx, webhook_id=delivery.webhook_id, when=now)


def _ms(started: float) -> int:
    return int((time.monotonic() - started) * 1000)


def _relay(smtp_url: str, email: EmailRecord, timeout: float) -> str | None:
    """Send one outbox email to the SMTP server at ``smtp://[user:pass@]host:port`` (blocking: in a thread)."""
    import smtplib  # only a server relaying to SMTP needs these
    from email.message import EmailMessage

    parts = urlsplit(smtp_url)
    message = EmailMessage()
    message["From"] = email.from_email
    message["To"] = email.to
    message["Subject"] = email.subject
    message["X-Fakecampaign-Automation"] = email.automation_name
    message.set_content(email.text)
    if email.html:
        message.add_alternative(email.html, subtype="html")
    try:
        smtp_class = smtplib.SMTP_SSL if parts.scheme == "smtps" else smtplib.SMTP
        with smtp_class(parts.hostname or "127.0.0.1", parts.port or 25, timeout=timeout) as client:
            if parts.username:
                client.login(unquote(parts.username), unquote(parts.password or ""))
            client.send_message(message)
    except (OSError, smtplib.SMTPException) as error:
        return f"{type(error).__name__}: {error}"[:ERROR_TEXT]
    return None

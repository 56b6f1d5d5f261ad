"""The server a test session's accounts live on: a LiveServer in a thread, or an external one (docker)."""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from contextlib import suppress
from pathlib import Path
from typing import TYPE_CHECKING, Any

from fakecampaign.testing.account import FakecampaignAccount
from fakecampaign.testing.control import ControlPlane, FakecampaignError

if TYPE_CHECKING:
    from fakecampaign.config import Settings
    from fakecampaign.testing.process import ServerProcess
    from fakecampaign.testing.reuse import KeptServer
    from fakecampaign.testing.server import LiveServer

URL_ENV = "FAKECAMPAIGN_URL"
ADMIN_TOKEN_ENV = "FAKECAMPAIGN_ADMIN_TOKEN"
CREATE_ATTEMPTS = 3  # generated credentials can collide with another session's on a shared server
# Plain accounts (no marker) are made and removed this many at a time: two HTTP calls per test cost more
# than the 2 ms a test may spend on its account (README "Performance").
BATCH = 32


class FakecampaignServer:
    """Where accounts are created: ``url``, the ``control`` plane client, and ``new_account()``."""

    def __init__(
        self,
        control: ControlPlane,
        *,
        live: LiveServer | None = None,
        process: ServerProcess | KeptServer | None = None,
        external: bool = False,
        prefix: str = "pytest",
    ) -> None:
        self.control = control
        self.live = live  # an in-thread server this session started
        self.process = process  # a server process this session started and stops, or its lease on a kept one
        self._external = external
        self.prefix = prefix
        self._fresh: list[dict[str, Any]] = []  # made in a batch, never handed out
        self._used: list[str] = []  # handed out and released, to remove in the next batch

    @property
    def url(self) -> str:
        return self.control.url

    @property
    def external(self) -> bool:
        """True when the server was started elsewhere (FAKECAMPAIGN_URL), not by this test run."""
        return self._external

    @classmethod
    def start(cls, *, settings: Settings | None = None, prefix: str = "pytest") -> FakecampaignServer:
        """A new in-memory fakecampaign on a free loopback port, in a thread of this process."""
        # Imported here: the app is only loaded by sessions that use it, not by every pytest run.
        from fakecampaign.config import Settings
        from fakecampaign.testing.server import LiveServer

        # The session's own server is in memory, open and on the documented defaults, whatever FAKECAMPAIGN_*
        # variables the shell exports (those are for a server started with `fakecampaign serve`).
        live = LiveServer(settings or Settings.documented_defaults()).start()
        return cls(ControlPlane(live.url), live=live, prefix=prefix)

    @classmethod
    def attach(cls, process: ServerProcess | KeptServer, *, prefix: str = "pytest") -> FakecampaignServer:
        """The session's server process (spawned while pytest collected, or kept from an earlier run), once it
        answers."""
        try:
            process.wait_ready()
        except BaseException:
            process.stop()
            raise
        return cls(ControlPlane(process.url), process=process, prefix=prefix)

    @classmethod
    def shared(cls, url: str, *, prefix: str = "pytest") -> FakecampaignServer:
        """The server the xdist controller started for all its workers, once it answers."""
        from fakecampaign.testing.process import READY_TIMEOUT, wait_healthy

        wait_healthy(url, READY_TIMEOUT)
        return cls(ControlPlane(url), prefix=prefix)

    @classmethod
    def connect(cls, url: str, *, admin_token: str | None = None, prefix: str = "pytest") -> FakecampaignServer:
        """An already running fakecampaign (e.g. the docker container); checks that it answers."""
        import http.client  # for the https client's errors; only a run against an external server pays for it

        control = ControlPlane(url, admin_token=admin_token)
        try:
            control.health()
        except (FakecampaignError, OSError, http.client.HTTPException) as error:
            control.close()
            raise RuntimeError(
                f"fakecampaign at {URL_ENV}={url} does not answer /_fakecampaign/health: {error}"
            ) from None
        return cls(control, external=True, prefix=prefix)

    @classmethod
    def from_environment(cls, environ: Mapping[str, str], *, prefix: str = "pytest") -> FakecampaignServer:
        """``connect`` to FAKECAMPAIGN_URL when it is set (with FAKECAMPAIGN_ADMIN_TOKEN), else ``start``."""
        url = environ.get(URL_ENV, "").strip()
        if url:
            return cls.connect(url, admin_token=environ.get(ADMIN_TOKEN_ENV) or None, prefix=prefix)
        return cls.start(prefix=prefix)

    def new_account(
        self, spec: Mapping[str, Any] | None = None, *, search: tuple[Path, ...] = ()
    ) -> FakecampaignAccount:
        """Create an account named ``<prefix>-<uuid>`` (POST /_fakecampaign/accounts); ``delete()`` it after."""
        body = dict(spec or {})
        attempt = 0
        while True:
            attempt += 1
            body["name"] = f"{self.prefix}-{uuid.uuid4().hex}"
            try:
                return FakecampaignAccount(self.control.create_account(body), control=self.control, search=search)
            except FakecampaignError as error:
                if error.status_code != 409 or attempt == CREATE_ATTEMPTS:
                    raise

    def take_account(self, *, search: tuple[Path, ...] = ()) -> FakecampaignAccount:
        """A fresh, empty account with tracking on, from a batch made ahead; ``release()`` it after use."""
        if not self._fresh:
            self._fresh = self.control.create_accounts(BATCH, self.prefix)
        return FakecampaignAccount(self._fresh.pop(), control=self.control, search=search)

    def release(self, account: FakecampaignAccount) -> None:
        """Done with ``account``: it is removed, with all its data, in the next batch (at the latest at stop)."""
        account.close()
        self._used.append(account.name)
        if len(self._used) >= BATCH:
            self.flush()

    def flush(self) -> None:
        """Remove every released account and every batch account never handed out."""
        names = self._used + [account["name"] for account in self._fresh]
        self._used, self._fresh = [], []
        self.control.delete_accounts(names)

    def stop(self, *, wait: bool = True) -> None:
        """Remove what is left of the pool (on an external server: the run's own one is in memory and goes
        away with its accounts), close the control connection and stop the server this session started
        (``wait=False``: an in-thread server is only asked to stop)."""
        if self.external:
            import http.client

            with suppress(FakecampaignError, OSError, http.client.HTTPException):  # a server already gone
                self.flush()
        self.control.close()
        if self.live is not None:
            self.live.stop(wait=wait)
        if self.process is not None:
            self.process.stop()

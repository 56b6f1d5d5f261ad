"""``python -m fakecampaign.testing.child FD``: serve an in-memory fakecampaign on an inherited listening socket.

Started by ``process.ServerProcess.spawn``; exits when its stdin ends, i.e. when the test session that started
it is gone, however it went.
"""

from __future__ import annotations

import gc
import os
import socket
import sys
import threading
import time

import uvicorn

from fakecampaign.app import create_app
from fakecampaign.config import Settings

GRACE = 2.0  # seconds uvicorn gets to wind down once the parent is gone


def main(argv: list[str]) -> int:
    sock = socket.socket(fileno=int(argv[1]))
    app = create_app(Settings.documented_defaults())
    server = uvicorn.Server(uvicorn.Config(app, log_level="warning", access_log=False, lifespan="on"))
    threading.Thread(target=_exit_with_parent, args=(server,), daemon=True).start()
    gc.freeze()  # as `fakecampaign serve` does: start-up objects stay out of the collector's way
    server.run(sockets=[sock])
    return 0


def _exit_with_parent(server: uvicorn.Server) -> None:
    sys.stdin.buffer.read()  # returns at EOF: the parent closed the pipe or died
    server.should_exit = True
    time.sleep(GRACE)
    os._exit(0)


if __name__ == "__main__":
    raise SystemExit(main(sys.argv))

"""How each server under test is started: fakecampaign through its CLI, the baseline under the same uvicorn."""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from pathlib import Path

from bench.options import API_TOKEN, REPO, VENV_BIN
from bench.procs import HOST, Server, free_port

FC_READY = "/_fakecampaign/health"
BASELINE_READY = "/contacts/1"
BASELINE_CONTACT_ID = 1


def fakecampaign(
    log_dir: Path, *, db: Path | None, cpu: int | None, name: str = "fakecampaign", workers: int = 1
) -> Server:
    """``fakecampaign serve`` (uvicorn with loop/http "auto": uvloop + httptools, no access log)."""
    port = free_port()
    argv = [str(VENV_BIN / "fakecampaign"), "serve", "--host", HOST, "--port", str(port)]
    if db is not None:
        argv += ["--db", str(db)]
    if workers > 1:
        argv += ["--workers", str(workers)]
    env = {"FAKECAMPAIGN_LOG_LEVEL": "warning"}
    return Server(name, argv, port=port, ready_path=FC_READY, log=log_dir / f"{name}.log", env=env, cpu=cpu)


def baseline(log_dir: Path, *, db: Path, cpu: int | None, name: str = "baseline") -> Server:
    """bench/baseline_app.py under uvicorn with the options fakecampaign's server ends up with."""
    port = free_port()
    argv = [str(VENV_BIN / "python"), "-m", "uvicorn", "bench.baseline_app:app", "--host", HOST, "--port", str(port)]
    argv += ["--loop", "uvloop", "--http", "httptools", "--workers", "1", "--no-access-log", "--log-level", "warning"]
    env = {"BENCH_BASELINE_DB": str(db), "PYTHONPATH": str(REPO)}
    return Server(name, argv, port=port, ready_path=BASELINE_READY, log=log_dir / f"{name}.log", env=env, cpu=cpu)


def api(server: Server, method: str, path: str, body: object | None = None) -> tuple[int, bytes]:
    """One v3 call with the default account's Api-Token; returns (status, body)."""
    data = None if body is None else json.dumps(body).encode()
    req = urllib.request.Request(server.url + path, data=data, method=method)
    req.add_header("Api-Token", API_TOKEN)
    if data is not None:
        req.add_header("Content-Type", "application/json")
    try:
        with urllib.request.urlopen(req, timeout=30) as resp:
            return int(resp.status), resp.read()
    except urllib.error.HTTPError as error:
        return int(error.code), error.read()


def create_contact(server: Server, email: str) -> int:
    status, body = api(server, "POST", "/api/3/contacts", {"contact": {"email": email}})
    if status not in (200, 201):
        raise RuntimeError(f"POST /api/3/contacts answered {status}: {body[:300]!r}")
    return int(json.loads(body)["contact"]["id"])

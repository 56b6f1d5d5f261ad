"""``make bench-peers`` (not in CI): the same GET-by-id and form POST from fakecampaign, the bare FastAPI
baseline, WireMock standalone, Prism and json-server, in one run, side by side.

Every server is up at once, pinned to CPU 0 with wrk on CPU 1; each round runs one burst per server and request,
in an order rotated every round, and each peer's ratio to fakecampaign is taken per round. WireMock and Prism
are stateless stubs (no storage work); json-server stores, rewriting its whole JSON file on each write;
fakecampaign checks credentials, looks the contact up and commits on every /event. The tools are installed here
on first use: Node packages into .fakecampaign/peers (npm), Java from Debian's packages when it is missing.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import tempfile
from collections.abc import Sequence
from contextlib import ExitStack
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bench import cpus as cpus_module
from bench import machine, servers, wrk
from bench.options import API_TOKEN, BENCH_EMAIL, REPO, RESULTS
from bench.procs import HOST, Server, free_port, rss_mb
from bench.stats import spread

PEERS_DIR = REPO / ".fakecampaign" / "peers"
NPM_PACKAGES = ("wiremock@3.13.2", "@stoplight/prism-cli@5.14.2", "json-server@0.17.4")
EVENT_REPLY = {"success": 1, "message": "Event spawned"}
NAMES = ("fakecampaign", "baseline", "wiremock", "prism", "json-server")


@dataclass(frozen=True)
class Peer:
    name: str
    server: Server
    get_path: str
    post_path: str
    headers: dict[str, str]
    ready_s: float = 0.0


def ensure_tools() -> None:
    if shutil.which("java") is None:
        print("bench-peers: installing Java (default-jre-headless) from Debian's packages", flush=True)
        subprocess.run(["apt-get", "install", "-y", "-q", "default-jre-headless"], check=True, timeout=900)
    if not (PEERS_DIR / "node_modules" / ".bin" / "json-server").exists():
        if shutil.which("npm") is None:
            raise SystemExit("bench-peers needs npm (Debian: apt-get install npm)")
        print(f"bench-peers: npm install {' '.join(NPM_PACKAGES)} into {PEERS_DIR}", flush=True)
        PEERS_DIR.mkdir(parents=True, exist_ok=True)
        argv = ["npm", "install", "--prefix", str(PEERS_DIR), "--no-audit", "--no-fund", "--silent", *NPM_PACKAGES]
        subprocess.run(argv, check=True, timeout=900)


def _bin(name: str) -> str:
    return str(PEERS_DIR / "node_modules" / ".bin" / name)


def _wiremock(work: Path, contact: dict[str, Any], cpu: int | None) -> Server:
    jar = next((PEERS_DIR / "node_modules" / "wiremock" / "build").glob("wiremock-standalone-*.jar"))
    root = work / "wiremock"
    (root / "mappings").mkdir(parents=True, exist_ok=True)
    stubs = {
        "get": {"request": {"method": "GET", "url": "/api/3/contacts/1"}, "response": _json_response(contact)},
        "post": {"request": {"method": "POST", "url": "/event"}, "response": _json_response(EVENT_REPLY)},
    }
    for name, stub in stubs.items():
        (root / "mappings" / f"{name}.json").write_text(json.dumps(stub))
    port = free_port()
    argv = ["java", "-jar", str(jar), "--port", str(port), "--bind-address", HOST, "--root-dir", str(root)]
    argv += ["--disable-banner"]
    return Server("wiremock", argv, port=port, ready_path="/api/3/contacts/1", log=work / "wiremock.log", cpu=cpu)


def _json_response(body: dict[str, Any]) -> dict[str, Any]:
    return {"status": 200, "jsonBody": body, "headers": {"Content-Type": "application/json"}}


def _prism(work: Path, contact: dict[str, Any], cpu: int | None) -> Server:
    form = {name: {"type": "string"} for name in ("actid", "key", "event", "eventdata", "visit")}
    spec = {
        "openapi": "3.0.3",
        "info": {"title": "peers", "version": "1"},
        "paths": {
            "/api/3/contacts/{id}": {
                "get": {
                    "parameters": [{"name": "id", "in": "path", "required": True, "schema": {"type": "string"}}],
                    "responses": {"200": {"description": "contact", "content": _example(contact)}},
                }
            },
            "/event": {
                "post": {
                    "requestBody": {
                        "content": {
                            "application/x-www-form-urlencoded": {
                                "schema": {"type": "object", "properties": form, "required": ["actid", "key"]}
                            }
                        }
                    },
                    "responses": {"200": {"description": "event", "content": _example(EVENT_REPLY)}},
                }
            },
        },
    }
    path = work / "prism.json"
    path.write_text(json.dumps(spec))
    port = free_port()
    argv = [_bin("prism"), "mock", "-h", HOST, "-p", str(port), str(path)]
    return Server("prism", argv, port=port, ready_path="/api/3/contacts/1", log=work / "prism.log", cpu=cpu)


def _example(body: dict[str, Any]) -> dict[str, Any]:
    return {"application/json": {"example": body}}


def _json_server(work: Path, contact: dict[str, Any], cpu: int | None) -> Server:
    db = work / "db.json"
    db.write_text(json.dumps({"contacts": [{**contact["contact"], "id": 1}], "events": []}))
    port = free_port()
    argv = [_bin("json-server"), "--host", HOST, "--port", str(port), "--quiet", str(db)]
    return Server("json-server", argv, port=port, ready_path="/contacts/1", log=work / "json-server.log", cpu=cpu)


def _contact(work: Path) -> dict[str, Any]:
    """fakecampaign's own answer for one contact: every stub serves these same bytes."""
    with servers.fakecampaign(work, db=None, cpu=None, name="fc-sample") as fc:
        fc.wait_ready(timeout=60)
        contact_id = servers.create_contact(fc, BENCH_EMAIL)
        status, body = servers.api(fc, "GET", f"/api/3/contacts/{contact_id}")
    assert status == 200, body
    parsed: dict[str, Any] = json.loads(body)
    return parsed


def run(rounds: int, duration: int, warmup: int, conns: int) -> str:
    ensure_tools()
    wrk.ensure_wrk()
    where = cpus_module.choose(pin=True)
    info = machine.describe()
    print(f"bench-peers: {info['summary']}; {where.describe()}", flush=True)
    with tempfile.TemporaryDirectory(prefix="fakecampaign-peers-") as tmp, ExitStack() as stack:
        work = Path(tmp)
        post_lua = wrk.write_post_script(work)
        contact = _contact(work)
        fc = servers.fakecampaign(work, db=work / "fc.sqlite3", cpu=where.server)
        base = servers.baseline(work, db=work / "baseline.sqlite3", cpu=where.server)
        made = {
            "fakecampaign": (fc, None, "/event", {"Api-Token": API_TOKEN}),
            "baseline": (base, f"/contacts/{servers.BASELINE_CONTACT_ID}", "/event", {}),
            "wiremock": (_wiremock(work, contact, where.server), "/api/3/contacts/1", "/event", {}),
            "prism": (_prism(work, contact, where.server), "/api/3/contacts/1", "/event", {}),
            "json-server": (_json_server(work, contact, where.server), "/contacts/1", "/events", {}),
        }
        peers: dict[str, Peer] = {}
        for name, (server, get_path, post_path, headers) in made.items():
            stack.enter_context(server)
            ready = server.wait_ready(timeout=120)
            if name == "fakecampaign":
                get_path = f"/api/3/contacts/{servers.create_contact(server, BENCH_EMAIL)}"
            assert get_path is not None
            peers[name] = Peer(name, server, get_path, post_path, headers, ready)
        results: dict[str, dict[str, list[dict[str, Any]]]] = {n: {"get": [], "post": []} for n in peers}
        order = list(peers)
        for r in range(-1, rounds):  # round -1: warm-up (JIT, caches), discarded
            seconds = warmup if r < 0 else duration
            turn = order[r % len(order) :] + order[: r % len(order)] if r >= 0 else order
            for name in turn:
                peer = peers[name]
                for kind in ("get", "post"):
                    path = peer.get_path if kind == "get" else peer.post_path
                    script = post_lua if kind == "post" else None
                    res = wrk.run(
                        peer.server.url + path,
                        conns=conns,
                        seconds=seconds,
                        cpu=where.load,
                        script=script,
                        headers=peer.headers,
                    )
                    if r >= 0:
                        results[name][kind].append(
                            {"rate": res.requests / res.seconds, "p99_ms": res.p99_ms, "errors": _errors(res)}
                        )
            if r >= 0:
                print(f"bench-peers: round {r + 1}/{rounds} done", flush=True)
        rss = {name: rss_mb(peer.server.pid) for name, peer in peers.items()}
    text = _table(results, peers, rss, info, rounds, duration, conns, where.describe())
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "peers.md").write_text(text)
    (RESULTS / "peers.json").write_text(json.dumps({"machine": info, "results": results, "rss_mb": rss}, indent=1))
    return text


def _errors(res: wrk.WrkResult) -> int:
    return res.non_2xx + res.socket_errors


def _table(
    results: dict[str, dict[str, list[dict[str, Any]]]],
    peers: dict[str, Peer],
    rss: dict[str, float],
    info: dict[str, str],
    rounds: int,
    duration: int,
    conns: int,
    where: str,
) -> str:
    fc = results["fakecampaign"]
    lines = [
        f"Measured {info['date']} on {info['summary']}; {where}; {rounds} rounds of wrk -c{conns} -d{duration}s per "
        "server and request, order rotated each round.",
        "",
        "| server | what it does | GET by id, req/s | vs fakecampaign | POST form, req/s | vs fakecampaign "
        "| p99 GET / POST ms | start to first 200 | RSS after |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    kinds = {
        "fakecampaign": "stateful: auth, SQLite read / 3 rows committed",
        "baseline": "bare FastAPI + sqlite3: 1 row read / 1 committed",
        "wiremock": "stateless stubs (JVM), request journal on",
        "prism": "stateless mock from an OpenAPI document",
        "json-server": "stateful: rewrites its JSON file per write",
    }
    for name in NAMES:
        mine = results[name]
        cells = [name, kinds[name]]
        for kind in ("get", "post"):
            rate = spread([r["rate"] for r in mine[kind]])
            ratios = spread([m["rate"] / f["rate"] for m, f in zip(mine[kind], fc[kind], strict=True)])
            errors = sum(r["errors"] for r in mine[kind])
            cells += [rate.fmt() + (f" ({errors} errors)" if errors else ""), f"{ratios.median:.2f}"]
        p99 = [spread([r["p99_ms"] for r in mine[k]]).median for k in ("get", "post")]
        cells += [f"{p99[0]:.1f} / {p99[1]:.1f}", f"{peers[name].ready_s * 1000:,.0f} ms", f"{rss[name]:.0f} MB"]
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines) + "\n"


def main(argv: Sequence[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m bench.peers", description=__doc__)
    p.add_argument("--rounds", type=int, default=3)
    p.add_argument("--duration", type=int, default=5, help="seconds per burst (default 5)")
    p.add_argument("--warmup", type=int, default=3, help="seconds of discarded warm-up per burst (default 3)")
    p.add_argument("--conns", type=int, default=32)
    a = p.parse_args(argv)
    print(run(a.rounds, a.duration, a.warmup, a.conns))
    return 0


if __name__ == "__main__":
    os.environ.setdefault("PYTHONUNBUFFERED", "1")
    raise SystemExit(main())

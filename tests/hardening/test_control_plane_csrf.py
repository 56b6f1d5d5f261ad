"""Issue 8 item 6: a web page cannot drive the control plane (CSRF), a rebinding DNS name cannot reach a
loopback server (Host check), and a page from another site cannot read the accounts' credentials.

Browsers mark each request with Origin and Sec-Fetch-* headers; these tests send what a browser sends."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest

from fakecampaign.api.guards import HostGuard, parse_allowed_hosts
from fakecampaign.config import Settings
from fakecampaign.errors import HostNotAllowed
from fakecampaign.testing.server import LiveServer

CROSS_SITE = {"Origin": "https://evil.example", "Sec-Fetch-Site": "cross-site", "Sec-Fetch-Mode": "no-cors"}
LOCALHOST_OTHER_PORT = {"Origin": "http://localhost:3000", "Sec-Fetch-Site": "same-site", "Sec-Fetch-Mode": "cors"}
WEB = httpx.Client(timeout=10, verify=False)  # plain http: skip loading CA certs for every call
OLD_BROWSER = {"Origin": "https://evil.example"}  # an Origin but no fetch metadata


@pytest.fixture(scope="module", autouse=True)
def _close_web() -> Iterator[None]:
    yield
    WEB.close()


@pytest.fixture(scope="module")
def server() -> Iterator[LiveServer]:
    with LiveServer(Settings()) as live:
        yield live


def contacts_of_fake(url: str) -> int:
    reply = WEB.get(f"{url}/_fakecampaign/state", params={"account": "fake"})
    return len(reply.json()["contacts"])


@pytest.mark.parametrize("headers", [CROSS_SITE, LOCALHOST_OTHER_PORT, OLD_BROWSER], ids=["cross", "port", "old"])
@pytest.mark.parametrize(
    ("method", "path", "content_type", "body"),
    [
        ("POST", "/_fakecampaign/reset?account=fake", "text/plain", b""),
        ("POST", "/_fakecampaign/reset", None, None),
        ("POST", "/_fakecampaign/accounts", "text/plain", b'{"name": "csrf"}'),
        ("POST", "/_fakecampaign/seed", "application/x-www-form-urlencoded", b"x=1"),
        ("DELETE", "/_fakecampaign/accounts/fake", None, None),
        ("GET", "/_fakecampaign/accounts", None, None),
        ("GET", "/_fakecampaign/state", None, None),
    ],
)
def test_a_cross_site_page_cannot_call_the_control_plane(
    server: LiveServer, headers: dict[str, str], method: str, path: str, content_type: str | None, body: bytes | None
) -> None:
    WEB.post(f"{server.url}/api/3/contacts", headers={"Api-Token": "fake-api-token"},
               json={"contact": {"email": "kept@example.com"}})  # fmt: skip
    sent = dict(headers, **({"Content-Type": content_type} if content_type else {}))
    response = WEB.request(method, f"{server.url}{path}", headers=sent, content=body)
    assert response.status_code == 403
    assert response.json() == {"message": "Forbidden: the control plane does not take calls from another site's page"}
    assert "api_token" not in response.text
    assert contacts_of_fake(server.url) == 1
    assert WEB.get(f"{server.url}/_fakecampaign/accounts/csrf").status_code == 404


@pytest.mark.parametrize("content_type", ["text/plain", "application/x-www-form-urlencoded", "multipart/form-data"])
def test_a_control_write_must_be_json(server: LiveServer, content_type: str) -> None:
    # What a page can send cross-site without a preflight, even from a browser that sends no fetch metadata.
    response = WEB.post(
        f"{server.url}/_fakecampaign/accounts", content=b'{"name": "plain"}',
        headers={"Content-Type": content_type},
    )  # fmt: skip
    assert response.status_code == 415
    assert response.json()["message"].startswith("Control-plane bodies must be JSON")
    assert WEB.get(f"{server.url}/_fakecampaign/accounts/plain").status_code == 404


def test_the_same_origin_ui_and_plain_clients_still_work(server: LiveServer) -> None:
    host = server.url.removeprefix("http://")
    same_origin = {"Origin": server.url, "Sec-Fetch-Site": "same-origin", "Sec-Fetch-Mode": "cors", "Host": host}
    made = WEB.post(f"{server.url}/_fakecampaign/accounts", json={"name": "ui-made"}, headers=same_origin)
    assert made.status_code == 201
    listed = WEB.get(f"{server.url}/_fakecampaign/accounts", headers=same_origin)
    assert listed.status_code == 200
    typed = {"Sec-Fetch-Site": "none", "Sec-Fetch-Mode": "navigate"}  # the user typed the URL
    assert WEB.get(f"{server.url}/_fakecampaign/accounts", headers=typed).status_code == 200
    # Following a link from another site shows the page to the user; the other site reads nothing.
    link = {"Sec-Fetch-Site": "cross-site", "Sec-Fetch-Mode": "navigate"}
    assert WEB.get(f"{server.url}/_fakecampaign/health", headers=link).status_code == 200
    assert WEB.delete(f"{server.url}/_fakecampaign/accounts/ui-made").status_code == 204
    charset = {"Content-Type": "application/json; charset=utf-8"}
    assert WEB.post(f"{server.url}/_fakecampaign/reset", headers=charset).status_code == 200


def test_a_navigation_cannot_write(server: LiveServer) -> None:
    # A cross-site <form method=post> is a navigation too, but never a GET.
    form = {"Sec-Fetch-Site": "cross-site", "Sec-Fetch-Mode": "navigate", "Origin": "https://evil.example"}
    response = WEB.post(f"{server.url}/_fakecampaign/reset", headers=form)
    assert response.status_code == 403


@pytest.mark.parametrize("host", ["evil.example", "evil.example:8080", "127.0.0.1.nip.io", "[::2]:80", ""])
def test_a_loopback_server_refuses_a_foreign_host_header(server: LiveServer, host: str) -> None:
    for path in ("/_fakecampaign/accounts", "/api/3/contacts", "/event"):
        response = WEB.get(f"{server.url}{path}", headers={"Host": host, "Api-Token": "fake-api-token"})
        assert response.status_code == 403, path
        assert response.json()["message"].startswith("Forbidden: Host ")
        assert "fake-api-token" not in response.text


@pytest.mark.parametrize("host", ["localhost", "localhost:8080", "127.0.0.1", "[::1]:8080", "app.localhost"])
def test_a_loopback_server_answers_loopback_names(server: LiveServer, host: str) -> None:
    response = WEB.get(f"{server.url}/_fakecampaign/health", headers={"Host": host})
    assert response.status_code == 200


def test_allowed_hosts_adds_names_and_applies_on_every_interface() -> None:
    allowed = parse_allowed_hosts("fakecampaign, Docker.Internal")
    container = {"type": "http", "server": ("172.18.0.2", 8080), "headers": [(b"host", b"fakecampaign:8080")]}
    evil = {**container, "headers": [(b"host", b"evil.example")]}
    HostGuard(allowed).check(container)
    HostGuard(allowed).check({**container, "headers": [(b"host", b"docker.internal")]})
    with pytest.raises(HostNotAllowed):
        HostGuard(allowed).check(evil)
    HostGuard(None).check(evil)  # unset: no check off loopback
    HostGuard(parse_allowed_hosts("*")).check(evil)
    guard = HostGuard(None)
    loopback = {"server": ("127.0.0.1", 80), "headers": [(b"host", b"localhost")]}
    for _ in range(2):  # the second time from the cache of accepted values
        guard.check(loopback)
        with pytest.raises(HostNotAllowed):
            guard.check({**loopback, "headers": [(b"host", b"evil.example")]})
    assert parse_allowed_hosts(None) is None


def test_allowed_hosts_on_a_live_server() -> None:
    with LiveServer(Settings(allowed_hosts="fakecampaign")) as live:
        ok = WEB.get(f"{live.url}/_fakecampaign/health", headers={"Host": "fakecampaign:8080"})
        refused = WEB.get(f"{live.url}/_fakecampaign/health", headers={"Host": "evil.example"})
    assert (ok.status_code, refused.status_code) == (200, 403)

"""A hostile-but-fair corpus of requests (issue 8): the kinds a careful attacker or a broken client sends, not
only what schemathesis generates from the OpenAPI document.

Each case is raw bytes on a socket, so requests no HTTP library would send (bad request lines, a 100 KB URL,
lone surrogates, truncated JSON) are in it too. Each says which statuses are acceptable: never a 5xx, and
always the refusal AC (or the hardening) documents. ``python -m tests.hostile.corpus`` prints its size and kinds.

Placeholders filled in when a case is sent: ``{TOKEN}`` (the canary account's Api-Token), ``{ACTID}``,
``{KEY}`` (its actid and event key), ``{CID}`` (one of its contacts), ``{HOST}`` (the server's host:port).
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass, field
from urllib.parse import quote, urlencode

JSON = "application/json"
FORM = "application/x-www-form-urlencoded"


@dataclass(frozen=True)
class Case:
    kind: str
    name: str
    method: str
    target: str
    expect: frozenset[int]
    headers: tuple[tuple[str, str], ...] = ()
    body: bytes = b""
    server: str = "open"  # "open": no admin token; "locked": FAKECAMPAIGN_ADMIN_TOKEN set
    raw: bytes | None = None  # the whole request as sent, when it is not even HTTP an HTTP library would send
    extra: dict[str, str] = field(default_factory=dict)

    @property
    def id(self) -> str:
        return f"{self.kind}:{self.name}"


def _case(kind: str, name: str, method: str, target: str, expect: set[int] | int, **kw: object) -> Case:
    statuses = frozenset({expect} if isinstance(expect, int) else expect)
    return Case(kind, name, method, target, statuses, **kw)  # type: ignore[arg-type]


def _json_headers(token: bool = True) -> tuple[tuple[str, str], ...]:
    return (("Content-Type", JSON), *((("Api-Token", "{TOKEN}"),) if token else ()))


V3_READS = [
    "/api/3/",
    "/api/3/contacts",
    "/api/3/contacts/{CID}",
    "/api/3/contacts/{CID}/trackingLogs",
    "/api/3/trackingLogs",
    "/api/3/activities",
    "/api/3/users/me",
    "/api/3/accounts",
    "/api/3/campaigns",
    "/api/3/automations",
    "/api/3/eventTracking",
    "/api/3/eventTrackingEvents",
]
V3_WRITES = [
    ("POST", "/api/3/contacts", {"contact": {"email": "x@example.com", "firstName": "X"}}),
    ("POST", "/api/3/contact/sync", {"contact": {"email": "x@example.com"}}),
    ("PUT", "/api/3/contacts/{CID}", {"contact": {"firstName": "Y"}}),
    ("POST", "/api/3/eventTrackingEvents", {"eventTrackingEvent": {"name": "x"}}),
    ("PUT", "/api/3/eventTracking", {"eventTracking": {"enabled": False}}),
    ("POST", "/api/3/eventTracking", {"eventTracking": {"enabled": False}}),
]
CONTROL = [
    ("GET", "/_fakecampaign/accounts", None),
    ("GET", "/_fakecampaign/accounts/canary", None),
    ("DELETE", "/_fakecampaign/accounts/canary", None),
    ("POST", "/_fakecampaign/accounts", {"name": "intruder"}),
    ("POST", "/_fakecampaign/accounts/batch", {"count": 3}),
    ("POST", "/_fakecampaign/accounts/batch-delete", {"names": ["canary"]}),
    ("POST", "/_fakecampaign/reset", None),
    ("POST", "/_fakecampaign/reset?account=canary", None),
    ("POST", "/_fakecampaign/seed?account=canary", {"contacts": [{"email": "seeded@example.com"}]}),
    ("POST", "/_fakecampaign/seed", {"path": "/etc/passwd"}),
    ("GET", "/_fakecampaign/events", None),
    ("GET", "/_fakecampaign/requests", None),
    ("GET", "/_fakecampaign/state?account=canary", None),
]


def _bad_tokens() -> list[Case]:
    # Six kinds of bad Api-Token on every v3 route: AC's 403 before anything else.
    kinds = {
        "missing": None,
        "empty": "",
        "wrong": "0" * 72,
        "spaces": "   ",
        "long": "t" * 10_000,
        "control": "\x01\x7f\xff",
    }
    cases = []
    for kind, value in kinds.items():
        headers = () if value is None else (("Api-Token", value),)
        expect = {400, 403} if kind == "control" else 403  # control bytes: the HTTP parser may refuse first
        for path in V3_READS:
            cases.append(_case("bad-token", f"{kind} GET {path}", "GET", path, expect, headers=headers))
        for method, path, body in V3_WRITES:
            cases.append(
                _case("bad-token", f"{kind} {method} {path}", method, path, expect,
                      headers=(("Content-Type", JSON), *headers), body=json.dumps(body).encode())
            )  # fmt: skip
    return cases


def _bad_admin_tokens() -> list[Case]:
    # Five kinds of bad admin token on every control route of a locked server.
    kinds = {
        "missing": (),
        "empty-bearer": (("Authorization", "Bearer "),),
        "wrong-bearer": (("Authorization", "Bearer nope"),),
        "wrong-header": (("X-Fakecampaign-Admin-Token", "nope"),),
        "basic": (("Authorization", "Basic c2VjcmV0OnNlY3JldA=="),),
    }
    cases = []
    for kind, headers in kinds.items():
        for method, path, body in CONTROL:
            sent = (("Content-Type", JSON), *headers) if body is not None else headers
            payload = json.dumps(body).encode() if body is not None else b""
            cases.append(
                _case("bad-admin", f"{kind} {method} {path}", method, path, 403, headers=sent, body=payload,
                      server="locked")
            )  # fmt: skip
    return cases


def _seed_paths() -> list[Case]:
    paths = [
        "/etc/shadow", "/etc/passwd", "/dev/zero", "/dev/urandom", "/dev/stdin", "/proc/self/environ",
        "/proc/self/mem", "../../../../etc/passwd", "fixtures/../../etc/passwd", "/", ".", "..", "~/.ssh/id_rsa",
        "\\\\server\\share\\x.json", "/tmp", "file:///etc/passwd",
    ]  # fmt: skip
    cases = []
    for path in paths:
        body = json.dumps({"path": path}).encode()
        cases.append(
            _case("seed-path", path, "POST", "/_fakecampaign/seed", 403, headers=_json_headers(False), body=body)
        )
    # With a seed directory (the locked server's): outside is still 403; odd names inside are 422 at worst.
    for path in ["/etc/passwd", "../x.json", "/dev/zero", "..", "\x00.json", "missing.json", "", "."]:
        body = json.dumps({"path": path}).encode()
        admin = (("Authorization", "Bearer secret"),)
        cases.append(
            _case("seed-path", f"with dir {path!r}", "POST", "/_fakecampaign/seed", {403, 422},
                  headers=(*_json_headers(False), *admin), body=body, server="locked")
        )  # fmt: skip
    return cases


JSON_ROUTES = [
    ("POST", "/api/3/contacts", '{{"contact": {{"email": "s@example.com", "firstName": {v}}}}}', True),
    ("POST", "/api/3/contact/sync", '{{"contact": {{"email": {v}}}}}', True),
    ("PUT", "/api/3/contacts/{CID}", '{{"contact": {{"lastName": {v}}}}}', True),
    ("POST", "/api/3/eventTrackingEvents", '{{"eventTrackingEvent": {{"name": {v}}}}}', True),
    ("PUT", "/api/3/eventTracking", '{{"eventTracking": {{"enabled": {v}}}}}', True),
    ("POST", "/_fakecampaign/seed?account=canary", '{{"contacts": [{{"email": {v}}}]}}', False),
    ("POST", "/_fakecampaign/accounts", '{{"name": {v}}}', False),
]


def _unreadable_text() -> list[Case]:
    """Lone surrogates and invalid UTF-8: 400 {} everywhere (once a 500 on seven routes)."""
    values = {
        "lone-high": '"\\ud800"',
        "lone-low": '"\\udfff"',
        "reversed-pair": '"\\udc00\\ud800"',
        "high-then-text": '"a\\uDBFFb"',
        "surrogate-key": '"x", "\\ud800": 1',
    }
    cases = []
    for method, path, template, token in JSON_ROUTES:
        for name, value in values.items():
            body = template.format(v=value).encode()
            cases.append(
                _case("unicode", f"{name} {method} {path}", method, path, 400, headers=_json_headers(token), body=body)
            )
        for name, raw in {
            "bad-utf8": b'"\xff\xfe"',
            "overlong": b'"\xc0\xaf"',
            "utf8-surrogate": b'"\xed\xa0\x80"',
        }.items():
            body = template.format(v="@@").encode().replace(b"@@", raw)
            cases.append(
                _case("unicode", f"{name} {method} {path}", method, path, 400, headers=_json_headers(token), body=body)
            )
    return cases


def _malformed_json() -> list[Case]:
    bodies = {
        "truncated": b'{"contact": {"email": "a@b.c"',
        "trailing": b'{"contact": {}} xyz',
        "deep": b'{"a":' * 100_000 + b"1" + b"}" * 100_000,
        "deep-array": b"[" * 50_000 + b"]" * 50_000,
        "huge-number": b'{"contact": {"email": 1e999999}}',
        "big-int": b'{"contact": {"email": ' + b"9" * 5000 + b"}}",
        "nan": b'{"contact": {"email": NaN}}',
        "array": b"[1, 2, 3]",
        "null": b"null",
        "string": b'"contact"',
        "empty": b"",
        "nul": b'{"contact": {"email": "a\\u0000@example.com", "firstName": "\\u0000"}}',
        "wrong-types": b'{"contact": {"email": ["a"], "firstName": {"x": 1}, "phone": true}}',
    }
    cases = []
    for method, path, _template, token in JSON_ROUTES:
        # POST /_fakecampaign/accounts takes no body at all (or null): an account with generated credentials
        expect = {400, 404, 415, 422} | ({201} if path == "/_fakecampaign/accounts" else set())
        for name, body in bodies.items():
            cases.append(
                _case("json", f"{name} {method} {path}", method, path, expect,
                      headers=_json_headers(token), body=body)
            )  # fmt: skip
    return cases


def _numbers() -> list[Case]:
    """Out-of-range and malformed integers in paths and query strings (2^63 once gave a 500)."""
    values = [
        "9223372036854775808",
        "18446744073709551616",
        "1" + "0" * 30,
        "-1",
        "1e3",
        "abc",
        "%00",
        "0x10",
        "",
        "1.5",
    ]
    cases = []
    for value in values:
        for path in ["/api/3/contacts/{v}", "/api/3/contacts/{v}/trackingLogs", "/api/3/trackingLogs/{v}"]:
            target = path.replace("{v}", value or "%20")
            cases.append(
                _case(
                    "numbers", f"{path} {value!r}", "GET", target, {200, 400, 404}, headers=(("Api-Token", "{TOKEN}"),)
                )
            )
        for param in ["offset", "limit", "id_greater", "ids", "contact"]:
            target = f"/api/3/contacts?{param}={value}" if param != "contact" else f"/api/3/activities?contact={value}"
            cases.append(
                _case("numbers", f"{param}={value!r}", "GET", target, {200, 400}, headers=(("Api-Token", "{TOKEN}"),))
            )
        for param in ["offset", "limit"]:
            cases.append(
                _case(
                    "numbers",
                    f"journal {param}={value!r}",
                    "GET",
                    f"/_fakecampaign/events?{param}={value}",
                    {200, 400, 422},
                )
            )
    return cases


def _event_forms() -> list[Case]:
    """Hostile /event calls: every one is answered trackcmp's way (200 with success 0 or 1) or 413."""
    visit = json.dumps({"email": "canary@example.com"})
    base = {"actid": "{ACTID}", "key": "{KEY}", "event": "hostile", "visit": visit}
    forms = {
        "unknown-actid-big-data": {**base, "actid": "999999999", "eventdata": "x" * 500_000},
        "actid-overflow": {**base, "actid": "9" * 5000},
        "actid-nul": {**base, "actid": "12345\x006789"},
        "visit-deep": {**base, "visit": '{"a":' * 50_000 + "1" + "}" * 50_000},
        "visit-surrogate": {**base, "visit": '{"email": "\\udfff"}'},
        "visit-array": {**base, "visit": "[1,2]"},
        "visit-email-number": {**base, "visit": '{"email": 5}'},
        "visit-huge-email": {**base, "visit": json.dumps({"email": "e" * 200_000 + "@example.com"})},
        "eventdata-too-long": {**base, "eventdata": "y" * 65_536},
        "event-too-long": {**base, "event": "e" * 5000},
        "event-nul": {**base, "event": "a\x00b"},
        "no-fields": {},
        "only-actid": {"actid": "{ACTID}"},
        "wrong-key": {**base, "key": "wrong"},
        "sql-key": {**base, "key": "' OR 1=1 --"},
    }
    cases = [
        _case("event", name, "POST", "/event", 200, headers=(("Content-Type", FORM),), body=urlencode(form).encode())
        for name, form in forms.items()
    ]
    raw_bodies = {
        "bad-percent": b"actid=%zz&key=%&event=%%%",
        "bad-utf8": b"actid={ACTID}&key={KEY}&event=%ff%fe&visit=%ed%a0%80",
        "repeated": b"actid=1&actid=2&actid={ACTID}&key={KEY}&event=a&event=b",
        "no-equals": b"actid&key&event",
        "semicolons": b"actid={ACTID};key={KEY};event=x",
        "plus-and-space": b"actid=+{ACTID}+&key={KEY}&event=a+b",
    }
    for name, body in raw_bodies.items():
        cases.append(_case("event", name, "POST", "/event", 200, headers=(("Content-Type", FORM),), body=body))
    multipart = {
        "multipart-no-boundary": (
            "multipart/form-data",
            b"--x\r\nContent-Disposition: form-data; name=actid\r\n\r\n1\r\n--x--",
        ),
        "multipart-truncated": (
            "multipart/form-data; boundary=x",
            b'--x\r\nContent-Disposition: form-data; name="actid"\r\n\r\n12',
        ),
        "multipart-garbage": ("multipart/form-data; boundary=x", b"\x00\x01\x02" * 1000),
        "json-body": (JSON, json.dumps({"actid": "{ACTID}", "key": "{KEY}", "event": "x"}).encode()),
        "text-plain": ("text/plain", b"actid={ACTID}&key={KEY}&event=x"),
        "no-content-type": ("", b"actid={ACTID}&key={KEY}&event=x"),
    }
    for name, (ctype, body) in multipart.items():
        headers = (("Content-Type", ctype),) if ctype else ()
        cases.append(_case("event", name, "POST", "/event", 200, headers=headers, body=body))
    query = "/event?" + urlencode(
        {"actid": "{ACTID}", "key": "{KEY}", "event": "q" * 40, "visit": '{"email":"\\ud800"}'}
    )
    cases.append(_case("event", "query-string", "POST", query, 200))
    return cases


def _oversized_bodies() -> list[Case]:
    big = b"x" * (10 * 1024 * 1024)
    routes = [
        ("POST", "/api/3/contacts"), ("POST", "/api/3/contact/sync"), ("PUT", "/api/3/contacts/{CID}"),
        ("POST", "/api/3/eventTrackingEvents"), ("POST", "/_fakecampaign/accounts"), ("POST", "/_fakecampaign/seed"),
    ]  # fmt: skip
    cases = [
        _case(
            "size",
            f"10 MB {method} {path}",
            method,
            path,
            413,
            headers=_json_headers(path.startswith("/api")),
            body=big,
        )
        for method, path in routes
    ]
    cases.append(_case("size", "10 MB /event", "POST", "/event", 413, headers=(("Content-Type", FORM),), body=big))
    cases.append(
        _case("size", "declared 10 GB", "POST", "/event", 413,
              headers=(("Content-Type", FORM), ("Content-Length", str(10**10))), body=b"")
    )  # fmt: skip
    return cases


def _cross_site() -> list[Case]:
    kinds = {
        "cross-site": (
            ("Origin", "https://evil.example"),
            ("Sec-Fetch-Site", "cross-site"),
            ("Sec-Fetch-Mode", "cors"),
        ),
        "same-site": (("Origin", "http://localhost:3000"), ("Sec-Fetch-Site", "same-site"), ("Sec-Fetch-Mode", "cors")),
        "origin-only": (("Origin", "https://evil.example"),),
        "null-origin": (("Origin", "null"),),
    }
    cases = []
    for kind, headers in kinds.items():
        for method, path, body in CONTROL:
            sent = (("Content-Type", "text/plain"), *headers) if body is not None else headers
            payload = json.dumps(body).encode() if body is not None else b""
            cases.append(_case("csrf", f"{kind} {method} {path}", method, path, 403, headers=sent, body=payload))
    for ctype in ["text/plain", FORM, "multipart/form-data; boundary=x", "application/xml", "application/jsonx"]:
        for method, path, body in CONTROL:
            if body is not None:
                cases.append(
                    _case("csrf", f"{ctype} {method} {path}", method, path, 415,
                          headers=(("Content-Type", ctype),), body=json.dumps(body).encode())
                )  # fmt: skip
    return cases


def _hosts() -> list[Case]:
    hosts = ["evil.example", "evil.example:8080", "127.0.0.1.nip.io", "localhost.evil.example", "[::2]", "0", ""]
    cases = []
    for host in hosts:
        for method, path in [("GET", "/_fakecampaign/accounts"), ("GET", "/api/3/contacts"), ("POST", "/event")]:
            cases.append(
                _case("host", f"{host!r} {method} {path}", method, path, 403,
                      headers=(("Host", host), ("Api-Token", "{TOKEN}")))
            )  # fmt: skip
    return cases


def _http() -> list[Case]:
    """Requests at the edge of HTTP itself, sent byte for byte."""
    raw = {
        "100 KB URL": (b"GET /api/3/" + b"a" * 100_000 + b" HTTP/1.1\r\nHost: {HOST}\r\n\r\n", {414}),
        "1 MB header": (b"GET / HTTP/1.1\r\nHost: {HOST}\r\nX-Big: " + b"a" * 1_000_000 + b"\r\n\r\n", {431}),
        "2000 headers": (
            b"GET / HTTP/1.1\r\nHost: {HOST}\r\n" + b"X-A: b\r\n" * 2000 + b"\r\n",
            {307, 431},
        ),  # / leads to the UI
        "unknown method": (b"FOO /api/3/contacts HTTP/1.1\r\nHost: {HOST}\r\n\r\n", {400}),
        "lowercase method": (b"get /api/3/contacts HTTP/1.1\r\nHost: {HOST}\r\n\r\n", {400}),
        "space in target": (b"GET /a b HTTP/1.1\r\nHost: {HOST}\r\n\r\n", {400}),
        "binary request line": (b"\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03\r\n\r\n", {400}),
        "HTTP/2 preface": (b"PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n", {400, 404, 405, 505}),
        "no version": (b"GET /\r\n\r\n", {307, 400}),  # HTTP/0.9-style: no Host; / leads to the UI
        "bad version": (b"GET / HTTP/9.9\r\nHost: {HOST}\r\n\r\n", {400, 505}),
        "header without colon": (b"GET / HTTP/1.1\r\nHost: {HOST}\r\nNoColon\r\n\r\n", {400}),
        "NUL in header": (b"GET / HTTP/1.1\r\nHost: {HOST}\r\nX-A: a\x00b\r\n\r\n", {400}),
        "bad chunked": (b"POST /event HTTP/1.1\r\nHost: {HOST}\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n", {400}),
        "CL and TE": (
            b"POST /event HTTP/1.1\r\nHost: {HOST}\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n",
            {200, 400},
        ),
        "negative CL": (b"POST /event HTTP/1.1\r\nHost: {HOST}\r\nContent-Length: -1\r\n\r\n", {400}),
        "two CLs": (b"POST /event HTTP/1.1\r\nHost: {HOST}\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\nab", {400}),
    }
    cases = [_case("http", name, "", "", expect, raw=data) for name, (data, expect) in raw.items()]
    paths = {
        "NUL in path": ("GET", "/api/3/contacts/%00", {400, 404}),
        "bad percent in path": ("GET", "/api/3/contacts/%zz", {400, 404}),
        "encoded slash": ("GET", "/api/3/contacts/1%2F2", {400, 404}),
        "dot segments": ("GET", "/api/3/../../_fakecampaign/accounts", {200, 403, 404}),
        "absolute-form": ("GET", "http://{HOST}/api/3/contacts", {200}),
        "double slash": ("GET", "//api/3/contacts", {403, 404}),
        "HEAD contacts": ("HEAD", "/api/3/contacts", {200}),
        "HEAD event": ("HEAD", "/event", {405}),
        "OPTIONS event": ("OPTIONS", "/event", {204}),
        "GET event": ("GET", "/event", {405}),
        "TRACE": ("TRACE", "/api/3/contacts", {405}),
        "PROPFIND": ("PROPFIND", "/api/3/contacts", {405}),
        "PATCH contact": ("PATCH", "/api/3/contacts/{CID}", {405}),
        "unknown route": ("GET", "/api/3/" + quote("ü" * 100), {404}),
        "long query": ("GET", "/api/3/contacts?search=" + "s" * 30_000, {200}),
        "sql search": ("GET", "/api/3/contacts?search=" + quote("' OR 1=1 --"), {200}),
        "sql email": ("GET", "/api/3/contacts?email=" + quote('"; DROP TABLE contacts; --'), {200}),
        "like wildcard": ("GET", "/api/3/contacts?search=%25", {200}),
        "filters injection": ("GET", "/api/3/contacts?filters[email]=" + quote("a' OR '1'='1"), {200}),
        "orders injection": ("GET", "/api/3/contacts?orders[email]=" + quote("ASC; DROP TABLE contacts"), {200, 400}),
    }
    for name, (method, path, expect) in paths.items():
        cases.append(_case("http", name, method, path, expect, headers=(("Api-Token", "{TOKEN}"),)))
    return cases


def corpus() -> list[Case]:
    return [
        *_bad_tokens(),
        *_bad_admin_tokens(),
        *_seed_paths(),
        *_unreadable_text(),
        *_malformed_json(),
        *_numbers(),
        *_event_forms(),
        *_oversized_bodies(),
        *_cross_site(),
        *_hosts(),
        *_http(),
    ]


if __name__ == "__main__":
    cases = corpus()
    print(f"{len(cases)} cases:", dict(Counter(c.kind for c in cases)))

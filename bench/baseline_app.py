"""The baseline: a bare FastAPI app doing each hot route's least work, served exactly like fakecampaign.

(a) GET /contacts/{id}: one contact-sized JSON (AC's contact fields) read by primary key with stdlib sqlite3.
(b) POST /event: five form fields, one row committed per request (WAL, synchronous=NORMAL).
The database file is $BENCH_BASELINE_DB; ``bench.servers`` runs this under uvicorn like fakecampaign.
"""

from __future__ import annotations

import json
import os
import sqlite3
import time
from typing import Annotated

from fastapi import FastAPI, Form, HTTPException, Response

DB = sqlite3.connect(os.environ.get("BENCH_BASELINE_DB", ":memory:"), isolation_level=None, check_same_thread=False)
DB.executescript("""
PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=5000;
CREATE TABLE IF NOT EXISTS contacts (id INTEGER PRIMARY KEY, email TEXT, first_name TEXT, last_name TEXT,
    phone TEXT, hash TEXT, cdate TEXT, udate TEXT);
CREATE TABLE IF NOT EXISTS events (id INTEGER PRIMARY KEY, actid TEXT, key TEXT, event TEXT, eventdata TEXT,
    visit TEXT, tstamp INTEGER);
INSERT OR IGNORE INTO contacts VALUES (1, 'bench@example.com', '', '', '', '9f8e7d6c5b4a39281706f5e4d3c2b1a0',
    '2026-11-27T04:00:00-06:00', '2026-11-27T04:00:00-06:00');
""")
# AC's contact fields and links, so the body is contact-sized like fakecampaign's (about 2 KB).
EMPTY = ("orgname", "segmentio_id", "email_local", "email_domain")
ZEROS = ("orgid", "bounced_hard", "bounced_soft", "ip", "sentcnt", "gravatar", "deleted", "anonymized", "mpp_tracking")
NULLS = ("bounced_date", "ua", "socialdata_lastcheck", "rating_tstamp", "adate", "edate", "deleted_at", "created_by")
LINKS = "bounceLogs contactAutomations contactData contactGoals contactLists contactLogs contactTags contactDeals"
LINKS += " deals fieldValues geoIps notes organization plusAppend trackingLogs scoreValues accountContacts"
LINKS += " automationEntryCounts"
TOP = ("contactAutomations", "contactLists", "deals", "fieldValues", "geoAddresses", "geoIps")
app = FastAPI()


@app.get("/contacts/{contact_id}")
async def get_contact(contact_id: int) -> Response:
    sql = "SELECT id, email, first_name, last_name, phone, hash, cdate, udate FROM contacts WHERE id = ?"
    row = DB.execute(sql, (contact_id,)).fetchone()
    if row is None:
        raise HTTPException(404, "No Result found for Subscriber")
    cid, email, first, last, phone, hash_, cdate, udate = row
    base = f"http://127.0.0.1:8080/api/3/contacts/{cid}/"
    contact = {"cdate": cdate, "email": email, "phone": phone, "firstName": first, "lastName": last, "hash": hash_}
    contact |= dict.fromkeys(EMPTY, "") | dict.fromkeys(ZEROS, "0") | dict.fromkeys(NULLS) | {"udate": udate}
    contact |= {"created_utc_timestamp": cdate, "updated_utc_timestamp": udate, "created_timestamp": cdate}
    contact |= {"updated_timestamp": udate, "email_empty": False, "scoreValues": [], "accountContacts": []}
    contact |= {"links": {name: base + name for name in LINKS.split()}, "id": str(cid), "organization": None}
    return Response(json.dumps({**{k: [] for k in TOP}, "contact": contact}), media_type="application/json")


@app.post("/event")
async def track_event(
    actid: Annotated[str, Form()], key: Annotated[str, Form()], event: Annotated[str, Form()],
    eventdata: Annotated[str, Form()] = "", visit: Annotated[str, Form()] = "",
) -> Response:  # fmt: skip
    sql = "INSERT INTO events (actid, key, event, eventdata, visit, tstamp) VALUES (?, ?, ?, ?, ?, ?)"
    DB.execute(sql, (actid, key, event, eventdata, visit, int(time.time())))
    return Response(b'{"success":1,"message":"Event spawned"}', media_type="application/json")

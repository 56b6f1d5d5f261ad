"""Tag and list triggers, actions and webhooks, through the tags and lists resources' own services."""

from __future__ import annotations

from typing import Any

from tests.conftest import Account
from tests.engine.conftest import journal, outbox, seed, wait_for_webhooks
from tests.engine.receiver import Receiver

ALL_SOURCES = ["public", "admin", "api", "system"]
MAIL = {"send_email": {"subject": "Hi %FIRSTNAME%", "body": "tagged"}}


def _tag(account: Account, contact_id: str, name: str) -> dict[str, Any]:
    tag = account.api.post("/api/3/tags", json={"tag": {"tag": name, "tagType": "contact"}})
    assert tag.status_code == 201, tag.text
    body = {"contactTag": {"contact": contact_id, "tag": tag.json()["tag"]["id"]}}
    link = account.api.post("/api/3/contactTags", json=body)
    assert link.status_code == 201, link.text
    created: dict[str, Any] = link.json()["contactTag"]
    return created


def _list(account: Account, name: str) -> str:
    response = account.api.post("/api/3/lists", json={"list": {"name": name}})
    assert response.is_success, response.text
    list_id: str = response.json()["list"]["id"]
    return list_id


def _subscribe(account: Account, contact_id: str, list_id: str, status: int = 1) -> None:
    body = {"contactList": {"list": list_id, "contact": contact_id, "status": status}}
    response = account.api.post("/api/3/contactLists", json=body)
    assert response.status_code in {200, 201}, response.text


def _tag_names(account: Account, contact_id: str) -> list[str]:
    links = account.api.get(f"/api/3/contacts/{contact_id}/contactTags").json()["contactTags"]
    return sorted(account.api.get(f"/api/3/tags/{link['tag']}").json()["tag"]["tag"] for link in links)


def test_tag_added_and_removed_triggers(acct: Account) -> None:
    seed(
        acct,
        automations=[
            {"name": "on vip", "trigger": {"tag_added": "vip"}, "actions": [MAIL]},
            {"name": "off vip", "trigger": {"tag_removed": "vip"}, "actions": [MAIL]},
        ],
    )
    contact = acct.create_contact("ann@example.com", firstName="Ann")
    _tag(acct, contact["id"], "other")
    link = _tag(acct, contact["id"], "vip")
    assert [e["automation"]["name"] for e in outbox(acct)] == ["on vip"]
    assert acct.api.delete(f"/api/3/contactTags/{link['id']}").status_code == 200
    assert [e["automation"]["name"] for e in outbox(acct)] == ["on vip", "off vip"]


def test_list_subscribed_trigger_by_name_and_by_id(acct: Account) -> None:
    news = _list(acct, "Newsletter")
    seed(
        acct,
        automations=[
            {"name": "by name", "trigger": {"list_subscribed": "Newsletter"}, "actions": [MAIL]},
            {"name": "by id", "trigger": {"list_subscribed": int(news)}, "actions": [MAIL]},
        ],
    )
    contact = acct.create_contact("ann@example.com")
    _subscribe(acct, contact["id"], news)
    assert sorted(e["automation"]["name"] for e in outbox(acct)) == ["by id", "by name"]


def test_tag_and_list_actions(acct: Account) -> None:
    news = _list(acct, "Newsletter")
    seed(
        acct,
        automations=[
            {
                "name": "onboard",
                "trigger": {"event": "signup"},
                "actions": [
                    {"add_tag": "customer"},
                    {"add_tag": "trial"},
                    {"remove_tag": "trial"},
                    {"subscribe": "Newsletter"},
                    {"subscribe": "No such list"},
                ],
            }
        ],
    )
    contact = acct.create_contact("ann@example.com")
    acct.track("ann@example.com", "signup", "")
    assert _tag_names(acct, contact["id"]) == ["customer"]
    [membership] = acct.api.get(f"/api/3/contacts/{contact['id']}/contactLists").json()["contactLists"]
    assert (membership["list"], str(membership["status"])) == (news, "1")
    failed = [e for e in journal(acct) if e["outcome"] == "failed"]
    assert [(e["trigger"], "No such list" in (e["reason"] or "")) for e in failed] == [("step:subscribe", True)]
    assert journal(acct)[-1]["outcome"] == "completed"


def test_an_action_that_triggers_another_automation(acct: Account) -> None:
    seed(
        acct,
        automations=[
            {"name": "tagger", "trigger": {"event": "e"}, "actions": [{"add_tag": "vip"}]},
            {"name": "mailer", "trigger": {"tag_added": "vip"}, "actions": [MAIL]},
        ],
    )
    acct.create_contact("ann@example.com", firstName="Ann")
    acct.track("ann@example.com", "e", "")
    [email] = outbox(acct)
    assert (email["automation"]["name"], email["subject"]) == ("mailer", "Hi Ann")


def test_a_loop_of_automations_stops(acct: Account) -> None:
    seed(
        acct,
        automations=[
            {"name": "add", "trigger": {"tag_removed": "ping"}, "actions": [{"add_tag": "ping"}]},
            {"name": "remove", "trigger": {"tag_added": "ping"}, "actions": [{"remove_tag": "ping"}]},
        ],
    )
    contact = acct.create_contact("ann@example.com")
    _tag(acct, contact["id"], "ping")  # answers, though the two automations would go on for ever
    assert [e["reason"] for e in journal(acct, outcome="not_fired")] == ["loop_limit"]


def test_tag_webhooks_carry_the_tag_and_the_contacts_tags(acct: Account) -> None:
    with Receiver() as receiver:
        hook = {
            "name": "tags",
            "url": receiver.url,
            "events": ["contact_tag_added", "contact_tag_removed"],
            "sources": ALL_SOURCES,
        }
        assert acct.api.post("/api/3/webhooks", json={"webhook": hook}).status_code == 201
        contact = acct.create_contact("ann@example.com")
        _tag(acct, contact["id"], "alpha")
        link = _tag(acct, contact["id"], "beta")
        acct.api.delete(f"/api/3/contactTags/{link['id']}")
        wait_for_webhooks(acct)
        forms = receiver.forms()
    assert [(f["type"], f["tag"]) for f in forms] == [
        ("contact_tag_added", "alpha"),
        ("contact_tag_added", "beta"),
        ("contact_tag_removed", "beta"),
    ]
    assert [f["contact[tags]"] for f in forms] == ["alpha", "alpha, beta", "alpha"]
    assert all(f["contact[email]"] == "ann@example.com" for f in forms)


def test_list_webhooks_and_listid_scoping(acct: Account) -> None:
    news, other = _list(acct, "News"), _list(acct, "Other")
    with Receiver() as receiver:
        for path, listid in (("/any", None), ("/news", news)):
            hook = {
                "name": path,
                "url": receiver.url + path,
                "events": ["subscribe", "unsubscribe"],
                "sources": ALL_SOURCES,
            }
            if listid is not None:
                hook["listid"] = listid
            assert acct.api.post("/api/3/webhooks", json={"webhook": hook}).status_code == 201
        contact = acct.create_contact("ann@example.com")
        _subscribe(acct, contact["id"], news)
        _subscribe(acct, contact["id"], other)
        _subscribe(acct, contact["id"], news, status=2)
        wait_for_webhooks(acct)
        seen = [(r.path, r.form["type"], r.form["list"]) for r in receiver.received]
    assert sorted(seen) == sorted(
        [
            ("/any", "subscribe", "0"),  # the contact's creation (G82)
            ("/any", "subscribe", news),
            ("/any", "subscribe", other),
            ("/any", "unsubscribe", news),
            ("/news", "subscribe", news),
            ("/news", "unsubscribe", news),
        ]
    )


def test_changes_made_by_an_automation_come_from_system(acct: Account) -> None:
    seed(acct, automations=[{"name": "tagger", "trigger": {"event": "e"}, "actions": [{"add_tag": "vip"}]}])
    with Receiver() as receiver:
        for source in ("api", "system"):
            hook = {
                "name": source,
                "url": f"{receiver.url}/{source}",
                "events": ["contact_tag_added"],
                "sources": [source],
            }
            assert acct.api.post("/api/3/webhooks", json={"webhook": hook}).status_code == 201
        contact = acct.create_contact("ann@example.com")
        acct.track("ann@example.com", "e", "")  # the automation tags: system
        _tag(acct, contact["id"], "manual")  # the API tags: api
        wait_for_webhooks(acct)
        seen = sorted((r.path, r.form["tag"], r.form["initiated_from"]) for r in receiver.received)
    assert seen == [("/api", "manual", "api"), ("/system", "vip", "system")]

// fakecampaign UI: live refresh by polling, copy buttons, and demo actions that make the real calls.
"use strict";
(function () {
  const body = document.body;
  const prefix = body.dataset.prefix;
  const adminToken = body.dataset.adminToken || "";

  function toast(text) {
    const el = document.getElementById("toast");
    if (!el) return;
    el.textContent = text;
    el.classList.add("show");
    clearTimeout(toast.timer);
    toast.timer = setTimeout(() => el.classList.remove("show"), 2500);
  }

  // Swap every [data-live] region for the server's fresh rendering of this same page.
  async function refresh() {
    const response = await fetch(location.href, { headers: { Accept: "text/html" }, credentials: "same-origin" });
    if (!response.ok) return;
    const fresh = new DOMParser().parseFromString(await response.text(), "text/html");
    document.querySelectorAll("[data-live][id]").forEach((region) => {
      const next = fresh.getElementById(region.id);
      if (!next || next.innerHTML === region.innerHTML) return;
      const rows = "[data-journal-id], [data-request-id], [data-feed-id]";
      const key = (row) => row.dataset.journalId || row.dataset.requestId || row.dataset.feedId;
      const known = new Set([...region.querySelectorAll(rows)].map(key));
      region.innerHTML = next.innerHTML;
      region.querySelectorAll(rows).forEach((row) => {
        if (!known.has(key(row))) row.classList.add("fresh");
      });
    });
  }

  function poll() {
    const status = document.getElementById("live-status");
    if (!status || !document.querySelector("[data-live]")) return;
    const interval = Number(body.dataset.liveInterval) || 500;
    let version = body.dataset.liveVersion || null;
    let busy = false;
    setInterval(async () => {
      if (busy || document.hidden) return;
      busy = true;
      try {
        const response = await fetch(prefix + "/live", { headers: adminHeaders(), credentials: "same-origin" });
        const data = await response.json();
        status.classList.add("on");
        status.classList.remove("off");
        if (version !== null && data.version !== version) await refresh();
        version = data.version;
      } catch (error) {
        status.classList.add("off");
        status.classList.remove("on");
      } finally {
        busy = false;
      }
    }, interval);
  }

  function adminHeaders(extra) {
    const headers = Object.assign({}, extra || {});
    if (adminToken) headers["X-Fakecampaign-Admin-Token"] = adminToken;
    return headers;
  }

  function credentialsOf(element) {
    const card = element.closest("[data-api-token]");
    return { account: element.dataset.account || body.dataset.account, apiToken: (card || body).dataset.apiToken };
  }

  async function api(method, path, apiToken, payload) {
    const response = await fetch(path, {
      method,
      headers: { "Api-Token": apiToken, "Content-Type": "application/json" },
      body: payload === undefined ? undefined : JSON.stringify(payload),
    });
    const text = await response.text();
    return { ok: response.ok, status: response.status, text };
  }

  async function control(method, path, payload) {
    const response = await fetch(path, {
      method,
      headers: adminHeaders({ "Content-Type": "application/json" }),
      body: JSON.stringify(payload || {}),
      credentials: "same-origin",
    });
    return { ok: response.ok, status: response.status, text: await response.text() };
  }

  function show(form, result) {
    const out = form.querySelector("output.reply");
    if (!out) return;
    out.textContent = (result.status ? result.status + " " : "") + result.text;
    out.classList.toggle("bad", !result.ok);
  }

  const actions = {
    // A real trackcmp call: form-encoded, the account's actid and event key, so the drop rules apply.
    async track(form, data) {
      const email = form.dataset.email || data.get("email");
      const fields = new URLSearchParams({
        actid: body.dataset.actid, key: body.dataset.eventKey, event: data.get("event"),
        visit: JSON.stringify({ email }),
      });
      if (data.get("eventdata")) fields.set("eventdata", data.get("eventdata"));
      const response = await fetch("/event", { method: "POST", body: fields });
      const text = await response.text();
      let ok = response.ok;
      try { ok = ok && JSON.parse(text).success === 1; } catch (e) { ok = false; }
      return { ok, status: response.status, text };
    },
    async contact(form, data) {
      const contact = { email: data.get("email") };
      if (data.get("firstName")) contact.firstName = data.get("firstName");
      if (data.get("lastName")) contact.lastName = data.get("lastName");
      return api("POST", "/api/3/contacts", body.dataset.apiToken, { contact });
    },
    async whitelist(form, data) {
      return api("POST", "/api/3/eventTrackingEvents", body.dataset.apiToken, { eventTrackingEvent: { name: data.get("name") } });
    },
    async login(form, data) {
      const response = await fetch(prefix + "/login", {
        method: "POST", headers: { "Content-Type": "application/json" },
        body: JSON.stringify({ token: data.get("token") }), credentials: "same-origin",
      });
      if (response.ok) location.assign(form.dataset.next);
      return { ok: response.ok, status: response.status, text: await response.text() };
    },
  };

  document.addEventListener("submit", async (event) => {
    const form = event.target.closest("form[data-action]");
    if (!form || !actions[form.dataset.action]) return;
    event.preventDefault();
    const result = await actions[form.dataset.action](form, new FormData(form));
    show(form, result);
    toast(result.ok ? "Done" : "Refused: " + result.status);
    if (result.ok && form.dataset.action !== "track" && form.dataset.action !== "login") form.reset();
    await refresh();
  });

  document.addEventListener("change", async (event) => {
    const target = event.target;
    if (target.matches("select[data-autosubmit]")) target.form.submit();
    if (target.matches("input[data-action=tracking]")) {
      const { apiToken } = credentialsOf(target);
      const result = await api("PUT", "/api/3/eventTracking", apiToken, { eventTracking: { enabled: target.checked } });
      toast(result.ok ? "Tracking " + (target.checked ? "on" : "off") : "Refused: " + result.status);
      await refresh();
    }
  });

  document.addEventListener("click", async (event) => {
    const target = event.target;
    if (target.matches("button.copy")) {
      try {
        await navigator.clipboard.writeText(target.dataset.copy);
        toast("Copied");
      } catch (error) {
        const range = document.createRange();
        range.selectNodeContents(target.previousElementSibling);
        getSelection().removeAllRanges();
        getSelection().addRange(range);
        toast("Selected: press Ctrl+C");
      }
    }
    if (target.matches("button[data-action=reset]")) {
      const name = target.dataset.account;
      if (!confirm("Reset " + name + " to the state it started with?")) return;
      const result = await control("POST", "/_fakecampaign/reset?account=" + encodeURIComponent(name));
      toast(result.ok ? "Reset " + name : "Refused: " + result.status);
      await refresh();
    }
  });

  poll();
})();

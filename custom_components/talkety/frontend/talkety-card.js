// The Talkety dashboard card: live calls you can end one by one, a dialler with
// contacts and prices, recent calls with call-back, and the account's costs.
// Plain custom elements, no build step: the integration serves this file as is.

const DOMAIN = "talkety";
const DOCS = "https://github.com/talkety/talkety/blob/main/docs/home-assistant.md#the-talkety-card";
const SECTIONS = ["show_costs", "show_live", "show_dialler", "show_recent"];
const PRICE_DELAY_MS = 400; // wait for typing to pause before asking for a price
const MISSING_RETRY_MS = 5000; // how often a card without its account asks again
const PRICE_RETRY_MS = 60000; // how soon a price that could not be had is asked for again

const STRINGS = {
  en: {
    title: "Talkety",
    no_account: "No Talkety account is set up yet.",
    account_missing: "This Talkety account is not loaded.",
    costs: "Costs",
    running: "Running",
    today: "Today",
    month: "This month",
    live: "Live calls",
    no_live: "No active call.",
    conference: "Conference",
    hang_up: "Hang up",
    keep: "Keep",
    hanging_up: "Hanging up…",
    confirm_call: "End the call to {who}?",
    confirm_conference: "End the whole conference?",
    confirm_leg: "Take {who} out of the conference?",
    hang_up_call: "Hang up the call to {who}",
    hang_up_conference: "Hang up the conference",
    hang_up_leg: "Hang up {who}",
    dialler: "Call someone",
    mode_call: "One person",
    mode_conference: "Conference",
    ring_first: "Ring first",
    to: "Name or number",
    add: "Add",
    remove: "Remove {who}",
    participants: "Participants",
    pricing: "Checking the price…",
    price: "{price} per minute",
    invalid: "Talkety cannot call {input}.",
    call: "Call",
    start_conference: "Start conference",
    calling: "Calling {who}…",
    conference_started: "Conference started with {who}.",
    recent: "Recent calls",
    no_recent: "No call yet.",
    call_back: "Call back",
    call_back_who: "Call {who} back",
    status: {
      connecting: "Ringing {from} first",
      ringing: "Ringing {to}",
      connected: "Connected",
      disconnected: "Answered",
      unanswered: "Ended before an answer",
      busy: "Busy",
      no_answer: "No answer",
      failed: "Failed",
      unknown: "Unknown",
    },
    editor: {
      config_entry: "Account",
      title: "Title",
      show_costs: "Show costs",
      show_live: "Show live calls",
      show_dialler: "Show the dialler",
      show_recent: "Show recent calls",
    },
    picker: "Live calls with hang-up, a dialler with contacts and prices, recent calls and costs.",
  },
  de: {
    title: "Talkety",
    no_account: "Noch kein Talkety-Konto eingerichtet.",
    account_missing: "Dieses Talkety-Konto ist nicht geladen.",
    costs: "Kosten",
    running: "Laufend",
    today: "Heute",
    month: "Diesen Monat",
    live: "Laufende Anrufe",
    no_live: "Kein laufender Anruf.",
    conference: "Konferenz",
    hang_up: "Auflegen",
    keep: "Weiter",
    hanging_up: "Lege auf…",
    confirm_call: "Den Anruf an {who} beenden?",
    confirm_conference: "Die ganze Konferenz beenden?",
    confirm_leg: "{who} aus der Konferenz nehmen?",
    hang_up_call: "Anruf an {who} auflegen",
    hang_up_conference: "Konferenz auflegen",
    hang_up_leg: "{who} auflegen",
    dialler: "Anrufen",
    mode_call: "Eine Person",
    mode_conference: "Konferenz",
    ring_first: "Zuerst klingeln bei",
    to: "Name oder Nummer",
    add: "Hinzufügen",
    remove: "{who} entfernen",
    participants: "Teilnehmer",
    pricing: "Preis wird abgefragt…",
    price: "{price} pro Minute",
    invalid: "Talkety kann {input} nicht anrufen.",
    call: "Anrufen",
    start_conference: "Konferenz starten",
    calling: "Rufe {who} an…",
    conference_started: "Konferenz mit {who} gestartet.",
    recent: "Letzte Anrufe",
    no_recent: "Noch kein Anruf.",
    call_back: "Zurückrufen",
    call_back_who: "{who} zurückrufen",
    status: {
      connecting: "Klingelt zuerst bei {from}",
      ringing: "Klingelt bei {to}",
      connected: "Verbunden",
      disconnected: "Angenommen",
      unanswered: "Vor dem Abheben beendet",
      busy: "Besetzt",
      no_answer: "Keine Antwort",
      failed: "Fehlgeschlagen",
      unknown: "Unbekannt",
    },
    editor: {
      config_entry: "Konto",
      title: "Titel",
      show_costs: "Kosten zeigen",
      show_live: "Laufende Anrufe zeigen",
      show_dialler: "Wählfeld zeigen",
      show_recent: "Letzte Anrufe zeigen",
    },
    picker: "Laufende Anrufe mit Auflegen, Wählfeld mit Kontakten und Preisen, letzte Anrufe und Kosten.",
  },
};

const OUTCOME_ICONS = {
  disconnected: "mdi:phone-check",
  busy: "mdi:phone-cancel",
  no_answer: "mdi:phone-missed",
  unanswered: "mdi:phone-remove",
  failed: "mdi:phone-alert",
};

// --- pure helpers ---------------------------------------------------------------------

function strings(hass) {
  const language = (hass && (hass.locale?.language || hass.language)) || "en";
  return STRINGS[language] || STRINGS[language.split("-")[0]] || STRINGS.en;
}

function fill(text, values = {}) {
  return text.replace(/\{(\w+)\}/g, (_, key) => (key in values ? String(values[key]) : ""));
}

function money(value, currency, locale) {
  const amount = Number(value) || 0;
  try {
    return new Intl.NumberFormat(locale, {
      style: "currency",
      currency,
      minimumFractionDigits: 4,
      maximumFractionDigits: 4,
    }).format(amount);
  } catch (err) {
    return `${amount.toFixed(4)} ${currency}`; // not an ISO 4217 code
  }
}

function clock(seconds) {
  const total = Math.max(0, Math.floor(seconds));
  const [h, m, s] = [Math.floor(total / 3600), Math.floor(total / 60) % 60, total % 60];
  const mm = h ? String(m).padStart(2, "0") : String(m);
  return `${h ? `${h}:` : ""}${mm}:${String(s).padStart(2, "0")}`;
}

// What a status means for this call, in words: who is being rung, or how it ended.
function statusText(t, status, values) {
  return fill(t.status[status] || t.status.unknown, values);
}

function outcomeOf(call) {
  return call.status === "disconnected" && !call.duration ? "unanswered" : call.status;
}

// Why Home Assistant refused an action, as the integration worded it.
function reason(err) {
  // Home Assistant prefixes a validation error with this English phrase; the integration's
  // own (translated) text follows it.
  return String(err.message || err).replace(/^Validation error: /, "");
}

function dialable(digits) {
  return digits ? `+${digits}` : "";
}

function whoOf(name, number) {
  return name || dialable(number);
}

// A conference's called people, or a call's callee.
function calledOf(subject) {
  if (Array.isArray(subject.to)) {
    return subject.to.map((number, i) => whoOf((subject.to_name || [])[i], number)).join(", ");
  }
  return whoOf(subject.to_name, subject.to);
}

function liveSubjects(hass, account) {
  const calls = hass.states[account.entities.active_calls]?.attributes.calls || [];
  const conferences = hass.states[account.entities.active_conferences]?.attributes.conferences || [];
  return [
    ...calls.map((c) => ({ ...c, key: `call:${c.call_id}`, kind: "call" })),
    ...conferences.map((c) => ({ ...c, key: `conference:${c.conference_id}`, kind: "conference" })),
  ];
}

// What ticks on screen: every live call and conference, and each participant's leg.
function tickingOf(subjects) {
  const legs = subjects.flatMap((s) =>
    (s.legs || []).filter((leg) => !leg.owner).map((leg) => ({ ...leg, key: `leg:${leg.call_id}`, kind: "leg" }))
  );
  return [...subjects, ...legs];
}

// Talkety bills a connected call per second at the sum of both numbers' per-minute prices
// (talkety-api.md); a conference leg at its callee's price and the owner's leg at the
// caller's (the project's decision where the API is silent, in talkety_core/simulator).
// Null when a price is not known: the card then ticks at the rate the readings show.
function ratePerSecond(subject, prices) {
  const price = (digits) => (prices.has(digits) ? prices.get(digits) : null);
  let parts;
  if (subject.kind === "call") parts = [price(subject.from), price(subject.to)];
  else if (subject.kind === "leg") parts = [price(subject.to)];
  else {
    parts = (subject.legs || [])
      .filter((leg) => leg.status === "connected")
      .map((leg) => (leg.owner ? price(subject.from) : price(leg.to)));
  }
  if (parts.some((p) => p === null)) return null;
  return parts.reduce((a, b) => a + b, 0) / 60;
}

function el(tag, props = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(props)) {
    if (value === undefined || value === null || value === false) continue;
    if (key.startsWith("on")) node.addEventListener(key.slice(2), value);
    else if (key === "class") node.className = value;
    else if (key === "value") node.value = value;
    else node.setAttribute(key, value === true ? "" : value);
  }
  for (const child of children.flat()) {
    if (child === null || child === undefined || child === false) continue;
    node.append(child instanceof Node ? child : String(child));
  }
  return node;
}

function icon(name) {
  return el("ha-icon", { icon: name, "aria-hidden": "true" });
}

const STYLE = `
  :host { display: block; }
  ha-card { padding: 0 16px 16px; color: var(--primary-text-color); }
  h2 { margin: 0; padding: 16px 0 8px; font-size: var(--ha-card-header-font-size, 24px);
       font-weight: var(--ha-font-weight-normal, 400); }
  h3 { margin: 16px 0 8px; font-size: 1em; font-weight: 500; color: var(--secondary-text-color); }
  ul { list-style: none; margin: 0; padding: 0; }
  li { padding: 8px 0; border-top: 1px solid var(--divider-color); }
  li.leg { border-top: none; padding: 4px 0 4px 32px; }
  .row { display: flex; flex-wrap: wrap; align-items: center; gap: 4px 12px; }
  .who { flex: 1 1 10em; min-width: 0; overflow-wrap: anywhere; }
  .muted, .empty { color: var(--secondary-text-color); }
  .figures { font-variant-numeric: tabular-nums; white-space: nowrap; }
  .costs { display: grid; grid-template-columns: repeat(auto-fit, minmax(5.5em, 1fr)); gap: 8px; }
  .costs div { text-align: center; }
  .costs .amount { font-size: 1.2em; font-variant-numeric: tabular-nums; }
  ha-icon { --mdc-icon-size: 20px; color: var(--state-icon-color, var(--paper-item-icon-color)); }
  .outcome-busy ha-icon, .outcome-failed ha-icon, .outcome-no_answer ha-icon,
  .outcome-unanswered ha-icon { color: var(--error-color); }
  .outcome-disconnected ha-icon { color: var(--success-color, var(--primary-color)); }
  button { font: inherit; cursor: pointer; border-radius: 18px; padding: 6px 14px; min-height: 36px;
           border: 1px solid var(--primary-color); background: none; color: var(--primary-color); }
  button.primary { background: var(--primary-color); color: var(--text-primary-color, #fff); }
  button.danger { border-color: var(--error-color); color: var(--error-color); }
  button.danger.primary { background: var(--error-color); color: var(--text-primary-color, #fff); }
  button[aria-checked="true"] { background: var(--primary-color); color: var(--text-primary-color, #fff); }
  button:disabled { opacity: 0.5; cursor: default; }
  button:focus-visible, input:focus-visible, select:focus-visible {
    outline: 2px solid var(--primary-color); outline-offset: 2px; }
  input, select { font: inherit; color: var(--primary-text-color); min-height: 36px; box-sizing: border-box;
    background: var(--input-fill-color, var(--secondary-background-color)); border: none;
    border-bottom: 1px solid var(--input-idle-line-color, var(--secondary-text-color));
    border-radius: 4px 4px 0 0; padding: 4px 8px; }
  label { display: flex; flex-direction: column; gap: 2px; font-size: 0.9em;
          color: var(--secondary-text-color); flex: 1 1 12em; }
  .dialler .row { margin-bottom: 8px; align-items: flex-end; }
  .chips { display: flex; flex-wrap: wrap; gap: 6px; margin-bottom: 8px; }
  .chip { border-radius: 16px; padding: 2px 4px 2px 12px; background: var(--secondary-background-color); }
  .chip button { border: none; padding: 2px 8px; min-height: 28px; color: var(--secondary-text-color); }
  .message { margin: 4px 0; }
  .error { color: var(--error-color); }
  .warning { color: var(--warning-color, var(--error-color)); padding: 16px 0; }
`;

// --- the card -------------------------------------------------------------------------

class TalketyCard extends HTMLElement {
  static getConfigElement() {
    return document.createElement("talkety-card-editor");
  }

  static getStubConfig() {
    return {}; // the only account, every section
  }

  constructor() {
    super();
    this._config = null;
    this._hass = null;
    this._accounts = null; // from talkety/card, loaded once and after a reload
    this._signatures = {};
    this._anchors = new Map(); // live subject key -> {duration, cost, status, rate, seen}
    this._prices = new Map(); // digits -> price per minute (null: not callable)
    this._asked = new Set(); // digits whose price was asked for
    this._confirming = null;
    this._busy = new Set();
    this._dial = { mode: "call", caller: null, to: "", participants: [], quote: null };
    this._notice = null; // what the last action did: {text, error}
    this.attachShadow({ mode: "open" });
  }

  setConfig(config) {
    if (!config || typeof config !== "object") throw new Error("Invalid configuration");
    this._config = { show_costs: true, show_live: true, show_dialler: true, show_recent: true, ...config };
    this._signatures = {};
    this._render();
  }

  set hass(hass) {
    const before = this._hass;
    this._hass = hass;
    if (this._accounts === null || this._accountReloaded(before, hass) || this._stillMissing()) {
      this._loadAccounts();
    }
    this._render();
  }

  get hass() {
    return this._hass;
  }

  getCardSize() {
    return 8;
  }

  getGridOptions() {
    return { columns: 12, min_columns: 6 };
  }

  connectedCallback() {
    this._ticker = window.setInterval(() => this._tick(), 1000);
  }

  disconnectedCallback() {
    window.clearInterval(this._ticker);
  }

  get _account() {
    if (!this._accounts) return null;
    const wanted = this._config?.config_entry;
    return wanted ? this._accounts.find((a) => a.entry_id === wanted) || null : this._accounts[0] || null;
  }

  // An account reloads (new contacts, options) by removing its entities and adding them again.
  _accountReloaded(before, hass) {
    const id = this._account?.entities.active_calls;
    if (!id || !before) return false;
    const was = before.states[id];
    const now = hass.states[id];
    return Boolean(now) && (!was || was.state === "unavailable") && now.state !== "unavailable";
  }

  // Opened while Home Assistant starts (or the account is being set up): ask again, now and then.
  _stillMissing() {
    if (this._accounts === null || this._account) return false;
    const now = Date.now();
    if (now - (this._lastAsked || 0) < MISSING_RETRY_MS) return false;
    this._lastAsked = now;
    return true;
  }

  async _loadAccounts() {
    if (this._loading || !this._hass) return;
    this._loading = true;
    try {
      const result = await this._hass.callWS({ type: `${DOMAIN}/card` });
      this._accounts = result.accounts;
    } catch (err) {
      this._accounts = [];
    } finally {
      this._loading = false;
    }
    this._signatures = {};
    this._render();
  }

  async _service(service, data, response = false) {
    const result = await this._hass.callWS({
      type: "call_service",
      domain: DOMAIN,
      service,
      service_data: { config_entry: this._account.entry_id, ...data },
      return_response: response,
    });
    return result.response;
  }

  // --- rendering: each section is rebuilt only when what it shows changed ------------

  _render() {
    if (!this._config || !this._hass) return;
    const t = strings(this._hass);
    const root = this.shadowRoot;
    if (!this._card) {
      this._card = el("ha-card");
      root.append(el("style", {}, STYLE), this._card);
    }
    const account = this._account;
    const frame = JSON.stringify([this._config, account?.entry_id, this._accounts === null, t.title]);
    if (this._signatures.frame !== frame) {
      this._signatures = { frame };
      const title = this._config.title || (account ? `${t.title} ${account.title}` : t.title);
      this._card.replaceChildren(el("h2", {}, title));
      if (this._accounts !== null && !account) {
        const text = this._accounts.length ? t.account_missing : t.no_account;
        this._card.append(el("div", { class: "warning", role: "status" }, text));
      }
      this._sections = {};
      if (!account) return;
      const notice = this._notice;
      this._noticeNode = el("p", { class: notice?.error ? "message error" : "message", role: "status" }, notice?.text);
      for (const name of SECTIONS) {
        if (this._config[name] === false) continue;
        this._sections[name] = el("section");
        this._card.append(this._sections[name]);
        if (name === "show_dialler") this._card.append(this._noticeNode); // beside the Call button
      }
      if (!this._noticeNode.parentNode) this._card.append(this._noticeNode);
    }
    if (!account) return;
    this._watchAnchors(account);
    this._section("show_costs", () => this._costs(t, account));
    this._section("show_live", () => this._live(t, account));
    this._section("show_dialler", () => this._dialler(t, account));
    this._section("show_recent", () => this._recent(t, account));
    this._tick();
  }

  // build() returns [signature, () => nodes]; focus survives a rebuild by data-key.
  _section(name, build) {
    const container = this._sections[name];
    if (!container) return;
    const [signature, nodes] = build();
    if (this._signatures[name] === signature) return;
    this._signatures[name] = signature;
    const focused = this.shadowRoot.activeElement?.dataset?.key;
    container.replaceChildren(...nodes());
    const again = focused && container.querySelector(`[data-key="${CSS.escape(focused)}"]`);
    if (!again) return;
    again.focus();
    if (again.tagName === "INPUT") again.setSelectionRange(again.value.length, again.value.length);
  }

  // Says what an action did (or why it failed) where a screen reader announces it.
  _tell(outcome) {
    const error = outcome !== null && typeof outcome !== "string";
    const text = error ? reason(outcome) : outcome || "";
    this._notice = outcome === null ? null : { text, error };
    this._noticeNode?.replaceChildren(text);
    this._noticeNode?.setAttribute("class", error ? "message error" : "message");
  }

  // Each new reading of a live call anchors its ticking figures at the moment the card saw it.
  _watchAnchors(account) {
    const live = tickingOf(liveSubjects(this._hass, account));
    const seen = new Set();
    const unpriced = [];
    for (const subject of live) {
      seen.add(subject.key);
      const last = this._anchors.get(subject.key);
      if (!last || last.duration !== subject.duration || last.cost !== subject.cost || last.status !== subject.status) {
        this._anchors.set(subject.key, { ...subject, seen: Date.now() });
      } else {
        last.legs = subject.legs;
      }
      const numbers = [subject.from, subject.to].flat(); // a conference lists several
      unpriced.push(...numbers.filter((n) => n && !this._asked.has(n)));
    }
    for (const key of this._anchors.keys()) if (!seen.has(key)) this._anchors.delete(key);
    if (unpriced.length) this._askPrices([...new Set(unpriced)]);
  }

  async _askPrices(digits) {
    digits.forEach((d) => this._asked.add(d));
    try {
      const answer = await this._service("get_prices", { numbers: digits.map(dialable) }, true);
      for (const row of answer.numbers) this._prices.set(row.number, row.price_per_minute);
    } catch (err) {
      // Asked again later, not with every state change: until then the cost ticks at
      // the rate the last readings show.
      window.setTimeout(() => digits.forEach((d) => this._asked.delete(d)), PRICE_RETRY_MS);
    }
  }

  // Seconds and cost a connected call has added since the card last read it.
  _extra(anchor, now) {
    if (anchor.status !== "connected") return { seconds: 0, cost: 0 };
    const seconds = Math.max(0, (now - anchor.seen) / 1000);
    let rate = ratePerSecond(anchor, this._prices);
    if (rate === null) rate = anchor.duration > 0 ? anchor.cost / anchor.duration : 0;
    return { seconds, cost: rate * seconds };
  }

  _tick() {
    if (!this._hass || !this._account) return;
    const now = Date.now();
    const { currency } = this._account;
    const locale = this._hass.locale?.language || this._hass.language;
    let running = 0;
    for (const [key, anchor] of this._anchors) {
      const extra = this._extra(anchor, now);
      if (anchor.kind !== "leg") running += extra.cost; // a conference counts its legs
      this.shadowRoot.querySelectorAll(`[data-tick="${CSS.escape(key)}"]`).forEach((node) => {
        node.textContent = `${clock(anchor.duration + extra.seconds)} · ${money(anchor.cost + extra.cost, currency, locale)}`;
      });
    }
    this.shadowRoot.querySelectorAll("[data-cost]").forEach((node) => {
      const state = this._hass.states[node.dataset.cost];
      const available = state && !["unavailable", "unknown"].includes(state.state);
      node.textContent = available ? money(Number(state.state) + running, currency, locale) : "—";
    });
  }

  _costs(t, account) {
    const tiles = [
      ["running", account.entities.running_cost],
      ["today", account.entities.cost_today],
      ["month", account.entities.cost_month],
    ];
    const nodes = () => [
      el("h3", {}, t.costs),
      el(
        "div",
        { class: "costs" },
        tiles.map(([label, entity]) =>
          el("div", {}, el("div", { class: "muted" }, t[label]), el("div", { class: "amount", "data-cost": entity }))
        )
      ),
    ];
    return [JSON.stringify(tiles), nodes];
  }

  _live(t, account) {
    const live = liveSubjects(this._hass, account);
    const shape = live.map((s) => [s.key, s.status, s.from_name, s.to_name, (s.legs || []).map((l) => [l.call_id, l.status, l.to_name])]);
    const signature = JSON.stringify([shape, this._confirming, [...this._busy]]);
    const nodes = () => [
      el("h3", { id: "live-heading" }, t.live),
      live.length
        ? el("ul", { "aria-labelledby": "live-heading" }, live.map((s) => this._liveRow(t, s)))
        : el("p", { class: "empty" }, t.no_live),
    ];
    return [signature, nodes];
  }

  _liveRow(t, subject) {
    const conference = subject.kind === "conference";
    const who = conference ? t.conference : calledOf(subject);
    const from = whoOf(subject.from_name, subject.from);
    const key = conference ? subject.conference_id : subject.call_id;
    const row = el(
      "li",
      {},
      el(
        "div",
        { class: "row" },
        icon(conference ? "mdi:account-group" : "mdi:phone-in-talk"),
        el("span", { class: "who" }, el("span", { class: "muted" }, `${from} → `), el("strong", {}, who)),
        el("span", { class: "muted" }, statusText(t, subject.status, { from, to: who })),
        el("span", { class: "figures", "data-tick": subject.key }),
        this._hangUp(t, subject.key, conference ? { conference_id: key } : { call_id: key }, {
          label: conference ? t.hang_up_conference : fill(t.hang_up_call, { who }),
          question: conference ? t.confirm_conference : fill(t.confirm_call, { who }),
        })
      )
    );
    if (conference) {
      const legs = (subject.legs || []).filter((leg) => !leg.owner);
      row.append(el("ul", {}, legs.map((leg) => this._legRow(t, leg))));
    }
    return row;
  }

  _legRow(t, leg) {
    const who = whoOf(leg.to_name, leg.to);
    return el(
      "li",
      { class: "leg" },
      el(
        "div",
        { class: "row" },
        el("span", { class: "who" }, who),
        el("span", { class: "muted" }, statusText(t, leg.status, { from: who, to: who })),
        el("span", { class: "figures", "data-tick": `leg:${leg.call_id}` }),
        this._hangUp(t, `leg:${leg.call_id}`, { call_id: leg.call_id }, {
          label: fill(t.hang_up_leg, { who }),
          question: fill(t.confirm_leg, { who }),
        })
      )
    );
  }

  // A Hang up button; pressed once it asks, with Hang up and Keep beside the question.
  _hangUp(t, key, target, { label, question }) {
    if (this._busy.has(key)) {
      return el("button", { class: "danger", disabled: true, "data-key": key }, t.hanging_up);
    }
    if (this._confirming !== key) {
      const ask = () => {
        this._confirming = key;
        this._render();
        this.shadowRoot.querySelector(`[data-key="${CSS.escape(`${key}:yes`)}"]`)?.focus();
      };
      return el("button", { class: "danger", "data-key": key, "aria-label": label, onclick: ask }, t.hang_up);
    }
    const cancel = () => {
      this._confirming = null;
      this._render();
      this.shadowRoot.querySelector(`[data-key="${CSS.escape(key)}"]`)?.focus();
    };
    const confirm = async () => {
      this._confirming = null;
      this._busy.add(key);
      this._render();
      try {
        await this._service("hang_up", target);
      } catch (err) {
        this._tell(err);
      } finally {
        this._busy.delete(key);
        this._render();
      }
    };
    const onkeydown = (ev) => ev.key === "Escape" && cancel();
    return el(
      "span",
      { class: "row", role: "group", "aria-label": question, onkeydown },
      el("span", {}, question),
      el("button", { class: "danger primary", "data-key": `${key}:yes`, onclick: confirm }, t.hang_up),
      el("button", { "data-key": `${key}:no`, onclick: cancel }, t.keep)
    );
  }

  // --- dialler ------------------------------------------------------------------------

  _dialler(t, account) {
    const d = this._dial;
    const signature = JSON.stringify([d, account.contacts, account.default_caller, [...this._busy].includes("place-call")]);
    return [signature, () => this._diallerNodes(t, account)];
  }

  _diallerNodes(t, account) {
    const d = this._dial;
    const locale = this._hass.locale?.language || this._hass.language;
    const callers = [];
    if (account.default_caller) {
      callers.push([account.default_caller, account.default_caller_name]);
    }
    for (const c of account.contacts) if (c.number !== account.default_caller) callers.push([c.number, c.name]);
    const callerLabel = (number, name) => (name ? `${name} (${dialable(number)})` : dialable(number));
    const caller = d.caller || account.default_caller || callers[0]?.[0] || "";
    const conference = d.mode === "conference";
    const mode = (name, label) =>
      el(
        "button",
        { role: "radio", "aria-checked": String(d.mode === name), "data-key": `mode:${name}`, onclick: () => this._setDial({ mode: name, quote: null }, true) },
        label
      );
    const input = el("input", {
      type: "text",
      inputmode: "tel",
      autocomplete: "off",
      list: "talkety-contacts",
      value: d.to,
      "data-key": "to",
      "aria-label": t.to,
      placeholder: t.to,
      oninput: (ev) => this._typed(ev.target.value),
      onkeydown: (ev) => {
        if (ev.key !== "Enter") return;
        if (conference) this._addParticipant();
        else if (this._canCall()) this._call();
      },
    });
    const quote = d.quote;
    let priceLine = "";
    if (quote?.pending) priceLine = t.pricing;
    else if (quote?.invalid) priceLine = quote.reason || fill(t.invalid, { input: quote.invalid });
    else if (quote?.total !== undefined) priceLine = fill(t.price, { price: money(quote.total, quote.currency, locale) });
    const busy = this._busy.has("place-call");
    return [
      el("h3", { id: "dialler-heading" }, t.dialler),
      el(
        "div",
        { class: "dialler", role: "group", "aria-labelledby": "dialler-heading" },
        el("div", { class: "row", role: "radiogroup", "aria-label": t.dialler }, mode("call", t.mode_call), mode("conference", t.mode_conference)),
        el(
          "div",
          { class: "row" },
          el(
            "label",
            {},
            t.ring_first,
            el(
              "select",
              { "data-key": "caller", onchange: (ev) => this._setDial({ caller: ev.target.value }, true) },
              callers.map(([number, name]) => el("option", { value: number, selected: number === caller }, callerLabel(number, name)))
            )
          ),
          el("label", {}, t.to, input),
          conference ? el("button", { "data-key": "add", onclick: () => this._addParticipant() }, t.add) : null
        ),
        el(
          "datalist",
          { id: "talkety-contacts" },
          account.contacts.map((c) => el("option", { value: c.name }, dialable(c.number)))
        ),
        conference
          ? el(
              "div",
              { class: "chips", role: "list", "aria-label": t.participants },
              d.participants.map((p, i) =>
                el(
                  "span",
                  { class: "chip", role: "listitem" },
                  p,
                  el("button", { "aria-label": fill(t.remove, { who: p }), "data-key": `remove:${i}`, onclick: () => this._removeParticipant(i) }, "✕")
                )
              )
            )
          : null,
        el("p", { class: quote?.invalid ? "message error" : "message muted", "aria-live": "polite" }, priceLine),
        el(
          "button",
          { class: "primary", "data-key": "place-call", disabled: busy || !this._canCall(), onclick: () => this._call() },
          conference ? t.start_conference : t.call
        ),
      ),
    ];
  }

  _setDial(change, requote = false) {
    Object.assign(this._dial, change);
    this._render();
    if (requote) this._quote();
  }

  _typed(text) {
    this._dial.to = text; // no re-render while typing: the field keeps its caret
    this._tell(null); // what the last call did is old news
    const dial = this.shadowRoot.querySelector('[data-key="place-call"]');
    if (dial) dial.disabled = !this._canCall(); // the price shown is for another number
    window.clearTimeout(this._priceTimer);
    if (this._dial.mode === "call") this._priceTimer = window.setTimeout(() => this._quote(), PRICE_DELAY_MS);
  }

  _addParticipant() {
    const text = this._dial.to.trim();
    if (!text || this._dial.participants.includes(text)) return;
    this._setDial({ participants: [...this._dial.participants, text], to: "" }, true);
    this.shadowRoot.querySelector('[data-key="to"]')?.focus();
  }

  _removeParticipant(index) {
    this._setDial({ participants: this._dial.participants.filter((_, i) => i !== index) }, true);
  }

  _targets() {
    const d = this._dial;
    return d.mode === "conference" ? d.participants : [d.to.trim()].filter(Boolean);
  }

  _caller() {
    const account = this._account;
    return this._dial.caller || account.default_caller || account.contacts[0]?.number || null;
  }

  _canCall() {
    const q = this._dial.quote;
    return Boolean(q && !q.pending && !q.invalid && q.for === JSON.stringify(this._targets()));
  }

  // The price per minute of what the dial would cost: the caller's number and every callee's.
  async _quote() {
    const targets = this._targets();
    const key = JSON.stringify(targets);
    if (!targets.length) return this._setDial({ quote: null });
    const caller = this._caller();
    this._setDial({ quote: { pending: true, for: key } });
    let quote;
    try {
      const numbers = caller ? [dialable(caller), ...targets] : targets;
      const answer = await this._service("get_prices", { numbers }, true);
      const bad = answer.numbers.find((n) => !n.valid);
      quote = bad ? { invalid: bad.input, for: key } : { total: answer.total_per_minute, currency: answer.currency, for: key };
    } catch (err) {
      // Refused before pricing (not a number, a premium-rate number): the reason is the answer.
      quote = { invalid: targets.join(", "), reason: reason(err), for: key };
    }
    if (JSON.stringify(this._targets()) === key) this._setDial({ quote }); // still what is typed
  }

  async _call() {
    if (!this._canCall() || this._busy.has("place-call")) return;
    const t = strings(this._hass);
    const d = this._dial;
    const caller = this._caller();
    const from = caller ? { from: dialable(caller) } : {};
    const targets = this._targets();
    this._busy.add("place-call");
    this._render();
    try {
      if (d.mode === "conference") {
        await this._service("start_conference", { ...from, participants: targets }, true);
        this._setDial({ participants: [], quote: null });
        this._tell(fill(t.conference_started, { who: targets.join(", ") }));
      } else {
        await this._service("place_call", { ...from, to: targets[0] }, true);
        this._setDial({ to: "", quote: null });
        this._tell(fill(t.calling, { who: targets[0] }));
      }
    } catch (err) {
      this._tell(err);
      // The call may have been placed all the same (its answer was lost): the form empties,
      // so that a second press cannot ring the same people twice. Any other refusal keeps
      // what was typed, and its price is asked again before Call can be pressed.
      const maybePlaced = err.translation_key === "outcome_unknown";
      this._setDial(maybePlaced ? { to: "", participants: [], quote: null } : { quote: null });
      if (!maybePlaced) this._quote();
    } finally {
      this._busy.delete("place-call");
      this._render();
    }
  }

  // --- recent calls -------------------------------------------------------------------

  _recent(t, account) {
    const calls = this._hass.states[account.entities.recent_calls]?.attributes.calls || [];
    const signature = JSON.stringify([calls, [...this._busy], this._hass.locale?.language]);
    const nodes = () => [
      el("h3", { id: "recent-heading" }, t.recent),
      calls.length
        ? el("ul", { "aria-labelledby": "recent-heading" }, calls.map((c, i) => this._recentRow(t, account, c, i)))
        : el("p", { class: "empty" }, t.no_recent),
    ];
    return [signature, nodes];
  }

  _recentRow(t, account, call, index) {
    const locale = this._hass.locale?.language || this._hass.language;
    const who = calledOf(call);
    const status = outcomeOf(call);
    const outcome = statusText(t, status, { from: whoOf(call.from_name, call.from), to: who });
    const ended = call.end ? new Date(call.end) : null;
    const today = ended && ended.toDateString() === new Date().toDateString();
    const style = today ? { timeStyle: "short" } : { dateStyle: "short", timeStyle: "short" };
    const when = ended ? new Intl.DateTimeFormat(locale, style).format(ended) : "";
    const key = `back:${index}:${call.end}`;
    return el(
      "li",
      { class: `outcome-${status}` },
      el(
        "div",
        { class: "row" },
        el("span", { title: outcome }, icon(OUTCOME_ICONS[status] || "mdi:phone-off")),
        el("span", { class: "who" }, el("strong", {}, who), el("span", { class: "muted" }, ` · ${outcome}`)),
        el("span", { class: "muted" }, ended ? el("time", { datetime: call.end }, when) : ""),
        el("span", { class: "figures" }, `${clock(call.duration)} · ${money(call.cost, account.currency, locale)}`),
        el(
          "button",
          {
            "data-key": key,
            "aria-label": fill(t.call_back_who, { who }),
            disabled: this._busy.has(key),
            onclick: () => this._callBack(call, key, who),
          },
          t.call_back
        )
      )
    );
  }

  async _callBack(call, key, who) {
    if (this._busy.has(key)) return;
    const t = strings(this._hass);
    const from = call.from ? { from: dialable(call.from) } : {};
    this._busy.add(key);
    this._render();
    try {
      if (call.type === "conference") {
        await this._service("start_conference", { ...from, participants: call.to.map(dialable) }, true);
      } else {
        await this._service("place_call", { ...from, to: dialable(call.to) }, true);
      }
      this._tell(fill(t.calling, { who }));
    } catch (err) {
      this._tell(err);
    } finally {
      this._busy.delete(key);
      this._render();
    }
  }
}

// --- the visual editor ----------------------------------------------------------------

class TalketyCardEditor extends HTMLElement {
  setConfig(config) {
    this._config = config;
    this._render();
  }

  set hass(hass) {
    this._hass = hass;
    this._render();
  }

  _render() {
    if (!this._hass || !this._config) return;
    const t = strings(this._hass);
    if (!this._form) {
      this._form = document.createElement("ha-form");
      this._form.addEventListener("value-changed", (ev) => {
        ev.stopPropagation();
        const config = { ...this._config, ...ev.detail.value };
        for (const name of SECTIONS) if (config[name] !== false) delete config[name]; // default: shown
        for (const name of ["config_entry", "title"]) if (!config[name]) delete config[name];
        this._config = config;
        this.dispatchEvent(new CustomEvent("config-changed", { detail: { config }, bubbles: true, composed: true }));
      });
      this.append(this._form);
    }
    this._form.hass = this._hass;
    this._form.schema = [
      { name: "config_entry", selector: { config_entry: { integration: DOMAIN } } },
      { name: "title", selector: { text: {} } },
      ...SECTIONS.map((name) => ({ name, selector: { boolean: {} } })),
    ];
    this._form.data = Object.fromEntries([
      ["config_entry", this._config.config_entry || ""],
      ["title", this._config.title || ""],
      ...SECTIONS.map((name) => [name, this._config[name] !== false]),
    ]);
    this._form.computeLabel = (schema) => t.editor[schema.name] || schema.name;
  }
}

// Home Assistant's frontend swaps in a registry of its own while it starts, and an element
// defined in the browser's registry before that is one dashboards never find. This file can
// run first (it loads beside the frontend), so it defines its elements once the frontend's
// root element exists, in whichever registry is in place by then.
function register() {
  if (window.customElements.get("talkety-card")) return;
  window.customElements.define("talkety-card", TalketyCard);
  window.customElements.define("talkety-card-editor", TalketyCardEditor);
  window.customCards = window.customCards || [];
  window.customCards.push({
    type: "talkety-card",
    name: "Talkety",
    description: strings(document.querySelector("home-assistant")?.hass).picker,
    preview: true,
    documentationURL: DOCS,
  });
}

window.customElements.whenDefined("home-assistant").then(register);

/* Koers chat widget. One tag on a school's site:
 *   <script src="https://HOST/widget.js" data-school="ID" defer></script>
 * A floating button opens a chat panel inside a Shadow DOM, so the school's CSS and ours never mix. It
 * talks only to the Koers server it was loaded from (no other requests), streams answers over the
 * server-sent events of POST /v1/chat/stream, and keeps the conversation in this tab's sessionStorage:
 * the server stores nothing. No build step: this file is what the browser runs. */
(() => {
  "use strict";
  const script = document.currentScript;
  if (!script || customElements.get("koers-widget")) return;
  const API = new URL(".", script.src).href.replace(/\/$/, "");
  const SCHOOL = script.dataset.school || "demo";
  const STORE_KEY = `koers:${SCHOOL}`;
  const MAX_TURNS = 50; // the API takes at most 50 earlier messages
  const DEFAULT_TEXTS = {
    title: "Koers: kies je route", open: "Open de keuzehulp", close: "Sluiten", placeholder: "Typ je vraag…",
    send: "Versturen", new_chat: "Nieuw gesprek",
    privacy: "Dit gesprek is anoniem. Noem geen namen of adressen.", sources: "Bronnen",
    routes: "Routes die passen", route_path: "Een route die bij je past", thumbs_up: "Goed antwoord", thumbs_down: "Geen goed antwoord",
    thanks: "Bedankt voor je reactie!", thinking: "Koers zoekt het op…",
    error: "Er ging iets mis. Probeer het zo nog eens.",
  };

  const CSS = `
:host { all: initial; --koers: #0b5cad; font: 16px/1.5 system-ui, -apple-system, "Segoe UI", sans-serif;
  color: #1b1b1b; }
* { box-sizing: border-box; }
button, textarea { font: inherit; }
.launcher { position: fixed; right: 20px; bottom: 20px; z-index: 2147483000; border: 0; border-radius: 999px;
  background: var(--koers); color: #fff; padding: 14px 20px; font-weight: 600; cursor: pointer;
  box-shadow: 0 4px 16px rgba(0,0,0,.25); display: flex; gap: 8px; align-items: center; }
.launcher svg { width: 22px; height: 22px; fill: currentColor; }
.launcher[hidden] { display: none; }
.panel { position: fixed; right: 20px; bottom: 20px; z-index: 2147483001; width: 390px; max-width: calc(100vw - 24px);
  height: min(640px, calc(100vh - 40px)); background: #fff; border-radius: 14px; display: flex;
  flex-direction: column; box-shadow: 0 8px 32px rgba(0,0,0,.3); overflow: hidden;
  transition: opacity .18s ease, transform .18s ease; }
.panel[hidden] { display: none; }
header { background: var(--koers); color: #fff; padding: 12px 14px; display: flex; align-items: center; gap: 8px; }
header h2 { font-size: 1.05rem; margin: 0; flex: 1; }
header button { background: transparent; color: #fff; border: 1px solid rgba(255,255,255,.7); border-radius: 8px;
  padding: 4px 8px; cursor: pointer; font-size: .85rem; white-space: nowrap; }
.privacy { margin: 0; padding: 6px 14px; font-size: .85rem; background: #f1f4f8; color: #333; }
.log { flex: 1; overflow-y: auto; padding: 12px 14px; display: flex; flex-direction: column; gap: 10px; }
.msg { max-width: 92%; padding: 10px 12px; border-radius: 12px; overflow-wrap: anywhere; }
.msg p { margin: 0 0 .6em; } .msg p:last-child, .msg ul:last-child { margin-bottom: 0; }
.msg ul { margin: 0 0 .6em; padding-left: 1.2em; }
.user { align-self: flex-end; background: var(--koers); color: #fff; }
.bot { align-self: flex-start; background: #f1f4f8; }
.bot.error { background: #fdecea; color: #8a1c12; }
sup { line-height: 0; }
sup a { color: var(--koers); font-weight: 600; text-decoration: none; padding: 0 1px; }
sup a:focus-visible, a:focus-visible, button:focus-visible, textarea:focus-visible {
  outline: 3px solid #f5a623; outline-offset: 2px; }
.extra { margin-top: 8px; font-size: .9rem; }
.extra h3 { font-size: .85rem; margin: 8px 0 4px; color: #444; text-transform: uppercase; letter-spacing: .03em; }
.sources ol { margin: 0; padding-left: 1.6em; } .sources a { color: var(--koers); }
.sources q { display: block; color: #444; font-size: .85rem; }
.cards { display: flex; flex-wrap: wrap; gap: 6px; list-style: none; margin: 0; padding: 0; }
.card { border: 1px solid #c9d3df; border-radius: 8px; padding: 4px 8px; background: #fff; }
.card small { display: block; color: #555; font-size: .75rem; }
.path { align-items: center; }
.path .arrow { color: #555; }
.chips { display: flex; flex-wrap: wrap; gap: 6px; margin-top: 8px; }
.chips button { border: 1px solid var(--koers); color: var(--koers); background: #fff; border-radius: 10px;
  padding: 5px 10px; cursor: pointer; text-align: left; font-size: .9rem; }
.chips button:hover { background: #eef4fb; }
.feedback { display: flex; gap: 6px; align-items: center; margin-top: 8px; font-size: .85rem; color: #444; }
.feedback button { border: 1px solid #c9d3df; background: #fff; color: #333; border-radius: 8px;
  padding: 4px 8px; cursor: pointer; line-height: 0; }
.feedback svg { width: 18px; height: 18px; fill: currentColor; }
.feedback button[aria-pressed="true"] { background: var(--koers); color: #fff; border-color: var(--koers); }
form { display: flex; gap: 8px; padding: 10px 12px; border-top: 1px solid #e1e6ed; }
textarea { flex: 1; resize: none; border: 1px solid #8a97a8; border-radius: 10px; padding: 8px 10px;
  min-height: 44px; max-height: 120px; }
form button { border: 0; border-radius: 10px; background: var(--koers); color: #fff; padding: 0 16px;
  font-weight: 600; cursor: pointer; min-height: 44px; }
form button:disabled { opacity: .6; cursor: default; }
.sr { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; }
@media (max-width: 480px) {
  .panel { right: 0; bottom: 0; width: 100vw; max-width: 100vw; height: 100%; border-radius: 0; }
  .launcher { right: 12px; bottom: 12px; }
}
@media (prefers-reduced-motion: reduce) { .panel { transition: none; } * { scroll-behavior: auto !important; } }
`;

  const el = (tag, attrs = {}, ...children) => {
    const node = document.createElement(tag);
    for (const [key, value] of Object.entries(attrs)) {
      if (key === "on") for (const [type, fn] of Object.entries(value)) node.addEventListener(type, fn);
      else if (key === "text") node.textContent = value;
      else node.setAttribute(key, value);
    }
    node.append(...children.filter((child) => child !== null && child !== undefined));
    return node;
  };
  const excerpt = (quote) => (quote.length > 90 ? `${quote.slice(0, 88).replace(/\s+\S*$/, "")}…` : quote);
  const icon = (d) => {
    const svg = document.createElementNS("http://www.w3.org/2000/svg", "svg");
    svg.setAttribute("viewBox", "0 0 24 24");
    svg.setAttribute("aria-hidden", "true");
    const path = document.createElementNS("http://www.w3.org/2000/svg", "path");
    path.setAttribute("d", d);
    svg.append(path);
    return svg;
  };
  const ICONS = {
    chat: "M4 4h16v11H7l-3 3z",
    up: "M2 21h4V9H2v12zm20-11a2 2 0 0 0-2-2h-6.3l1-4.6v-.3c0-.4-.2-.8-.4-1.1L13.2 1 6.6 7.6C6.2 8 6 8.5 6 9v10a2 2 0 0 0 2 2h9c.8 0 1.5-.5 1.8-1.2l3-7.1c.1-.2.2-.5.2-.7v-2z",
    down: "M22 3h-4v12h4V3zM2 14a2 2 0 0 0 2 2h6.3l-1 4.6v.3c0 .4.2.8.4 1.1l1.1 1 6.6-6.6c.4-.4.6-.9.6-1.4V5a2 2 0 0 0-2-2H7c-.8 0-1.5.5-1.8 1.2l-3 7.1c-.1.2-.2.5-.2.7v2z",
  };
  const randomId = () => Array.from(crypto.getRandomValues(new Uint8Array(16)),
    (b) => b.toString(16).padStart(2, "0")).join("");

  class KoersWidget extends HTMLElement {
    constructor() {
      super();
      this.texts = { ...DEFAULT_TEXTS };
      this.greeting = "";
      this.busy = false;
      this.state = this.load();
      this.root = this.attachShadow({ mode: "open" });
    }

    connectedCallback() {
      this.build();
      this.loadConfig();
      if (this.state.open) this.open(false);
    }

    load() {
      try {
        const saved = JSON.parse(sessionStorage.getItem(STORE_KEY) || "null");
        if (saved && Array.isArray(saved.turns)) return saved;
      } catch (_) { /* a broken entry starts a new conversation */ }
      return { conversation: randomId(), turns: [], open: false };
    }

    save() {
      try { sessionStorage.setItem(STORE_KEY, JSON.stringify(this.state)); } catch (_) { /* private mode */ }
    }

    async loadConfig() {
      try {
        const response = await fetch(`${API}/v1/schools/${encodeURIComponent(SCHOOL)}/widget-config`);
        if (!response.ok) return;
        const config = await response.json();
        this.texts = { ...this.texts, ...config.texts };
        this.greeting = config.greeting || "";
        if (/^#[0-9a-f]{6}$/i.test(config.colour)) this.style.setProperty("--koers", config.colour);
        this.applyTexts();
        this.render();
      } catch (_) { /* the defaults stay */ }
    }

    build() {
      const t = this.texts;
      this.launcher = el("button", { class: "launcher", type: "button", "aria-expanded": "false",
        "aria-controls": "koers-panel", on: { click: () => this.open(true) } });
      this.launcherLabel = el("span", { text: t.open });
      this.launcher.append(icon(ICONS.chat), this.launcherLabel);
      this.heading = el("h2", { id: "koers-title", text: t.title });
      this.newButton = el("button", { type: "button", on: { click: () => this.reset() }, text: t.new_chat });
      this.closeButton = el("button", { type: "button", on: { click: () => this.close() }, text: t.close });
      this.privacy = el("p", { class: "privacy", text: t.privacy });
      this.log = el("div", { class: "log", role: "log", "aria-live": "polite", "aria-relevant": "additions",
        "aria-labelledby": "koers-title" });
      this.status = el("div", { class: "sr", role: "status" });
      this.input = el("textarea", { rows: "1", maxlength: "2000", "aria-label": t.placeholder,
        placeholder: t.placeholder, on: { keydown: (event) => this.onKey(event) } });
      this.sendButton = el("button", { type: "submit", text: t.send });
      const form = el("form", { on: { submit: (event) => { event.preventDefault(); this.send(this.input.value); } } },
        this.input, this.sendButton);
      this.panel = el("section", { class: "panel", id: "koers-panel", role: "dialog", "aria-modal": "false",
        "aria-labelledby": "koers-title", hidden: "" },
      el("header", {}, this.heading, this.newButton, this.closeButton), this.privacy, this.log, this.status, form);
      this.panel.addEventListener("keydown", (event) => { if (event.key === "Escape") this.close(); });
      this.root.append(el("style", { text: CSS }), this.launcher, this.panel);
      this.render();
    }

    applyTexts() {
      const t = this.texts;
      this.launcherLabel.textContent = t.open;
      this.heading.textContent = t.title;
      this.newButton.textContent = t.new_chat;
      this.closeButton.textContent = t.close;
      this.privacy.textContent = t.privacy;
      this.input.placeholder = t.placeholder;
      this.input.setAttribute("aria-label", t.placeholder);
      this.sendButton.textContent = t.send;
    }

    open(focus) {
      this.panel.hidden = false;
      this.launcher.hidden = true;
      this.launcher.setAttribute("aria-expanded", "true");
      this.state.open = true;
      this.save();
      this.scrollDown();
      if (focus) this.input.focus();
    }

    close() {
      this.panel.hidden = true;
      this.launcher.hidden = false;
      this.launcher.setAttribute("aria-expanded", "false");
      this.state.open = false;
      this.save();
      this.launcher.focus();
    }

    reset() {
      this.state = { conversation: randomId(), turns: [], open: true };
      this.save();
      this.render();
      this.input.value = "";
      this.input.focus();
    }

    onKey(event) {
      if (event.key === "Enter" && !event.shiftKey) {
        event.preventDefault();
        this.send(this.input.value);
      }
    }

    scrollDown() {
      this.log.scrollTop = this.log.scrollHeight;
    }

    /* The whole conversation, drawn anew: on start, after "Nieuw gesprek" and when the school's texts arrive. */
    render() {
      this.log.replaceChildren();
      if (this.greeting && this.state.turns.length === 0) {
        this.log.append(el("div", { class: "msg bot" }, el("p", { text: this.greeting })));
      }
      const last = this.state.turns.length - 1;
      this.nodes = this.state.turns.map((turn, index) => this.turnView(turn, index === last));
      this.log.append(...this.nodes);
      this.scrollDown();
    }

    /* Draw one turn again in place (a streamed answer growing, the buttons of an older answer removed), so a
       screen reader announces only what is new. */
    redraw(index, { top = false } = {}) {
      const view = this.turnView(this.state.turns[index], index === this.state.turns.length - 1);
      this.nodes[index].replaceWith(view);
      this.nodes[index] = view;
      if (top) this.log.scrollTop = Math.max(0, view.offsetTop - this.log.offsetTop - 48); // the answer's start
      else if (index === this.state.turns.length - 1) this.scrollDown();
    }

    add(turn) {
      if (this.state.turns.length === 0) this.log.replaceChildren(); // the greeting goes
      this.state.turns.push(turn);
      if (this.state.turns.length > 1) this.redraw(this.state.turns.length - 2);
      const view = this.turnView(turn, true);
      this.nodes.push(view);
      this.log.append(view);
      this.scrollDown();
    }

    turnView(turn, isLast) {
      if (turn.role === "user") return el("div", { class: "msg user" }, el("p", { text: turn.text }));
      if (turn.error) return el("div", { class: "msg bot error", role: "alert" }, el("p", { text: turn.text }));
      const answer = turn.answer || {};
      const box = el("div", { class: "msg bot" }, ...this.answerBody(turn.text, answer.citations || []));
      if (turn.streaming) return box;
      // The leerroute profiel -> opleiding -> beroep when the answer has one, else the first routes.
      const path = answer.route_path || [];
      const cards = path.length ? path : (answer.route_cards || []).slice(0, 6);
      if (cards.length) {
        const niveaus = (card) => (card.niveaus && card.niveaus.length
          ? el("small", { text: `mbo-niveau ${card.niveaus.join(" of ")}` }) : null);
        const items = cards.map((card) => el("li", { class: "card" },
          el("small", { text: card.kind }), card.name, niveaus(card)));
        // In the path an arrow stands between two steps; screen readers hear the ordered list without it.
        const arrow = () => el("li", { class: "arrow", "aria-hidden": "true", text: "→" });
        const shown = path.length ? items.flatMap((item, i) => (i ? [arrow(), item] : [item])) : items;
        const heading = path.length ? this.texts.route_path : this.texts.routes;
        box.append(el("div", { class: "extra" }, el("h3", { text: heading }),
          el(path.length ? "ol" : "ul", { class: path.length ? "cards path" : "cards" }, ...shown)));
      }
      const citations = answer.citations || [];
      if (citations.length) {
        box.append(el("div", { class: "extra sources" }, el("h3", { text: this.texts.sources }),
          el("ol", {}, ...citations.map((c) => el("li", { value: String(c.number) },
            el("a", { href: this.sourceUrl(c), target: "_blank", rel: "noopener", text: c.title }),
            el("q", { text: excerpt(c.quote || "") }))))));
      }
      if (isLast) {
        const choices = answer.clarifying_question ? answer.choices || [] : [];
        const options = [...choices, ...(answer.follow_up_questions || [])];
        if (options.length) {
          box.append(el("div", { class: "chips" }, ...options.map((option) => el("button", {
            type: "button", text: option, on: { click: () => this.send(option) } }))));
        }
      }
      if (turn.answerId) box.append(this.feedbackView(turn));
      return box;
    }

    answerBody(text, citations) {
      const byNumber = new Map(citations.map((c) => [c.number, c]));
      const inline = (parent, line) => {
        for (const part of line.split(/(\[\d+\])/)) {
          const match = /^\[(\d+)\]$/.exec(part);
          const citation = match && byNumber.get(Number(match[1]));
          if (citation) {
            parent.append(el("sup", {}, el("a", { href: this.sourceUrl(citation), target: "_blank", rel: "noopener",
              "aria-label": `Bron ${citation.number}: ${citation.title}`, text: `[${citation.number}]` })));
          } else if (part) {
            for (const [i, piece] of part.split(/\*\*/).entries()) {
              if (piece) parent.append(i % 2 ? el("strong", { text: piece }) : document.createTextNode(piece));
            }
          }
        }
        return parent;
      };
      const blocks = [];
      for (const paragraph of text.split(/\n{2,}/)) {
        const lines = paragraph.split("\n");
        let list = null;
        let prose = null;
        for (const line of lines) {
          if (/^\s*[-*] /.test(line)) {
            if (!list) blocks.push((list = el("ul")));
            list.append(inline(el("li"), line.replace(/^\s*[-*] /, "")));
            prose = null;
          } else if (line.trim()) {
            if (!prose) blocks.push((prose = el("p")));
            else prose.append(el("br"));
            inline(prose, line);
            list = null;
          }
        }
      }
      return blocks;
    }

    sourceUrl(citation) {
      const params = new URLSearchParams({ quote: citation.quote || "" });
      if (SCHOOL !== "demo") params.set("school", SCHOOL);
      return `${API}/v1/sources/${encodeURIComponent(citation.doc_id)}?${params}#citaat`;
    }

    feedbackView(turn) {
      const t = this.texts;
      const box = el("div", { class: "feedback" });
      const rate = async (rating) => {
        turn.rating = rating;
        this.save();
        this.redraw(this.state.turns.indexOf(turn));
        this.status.textContent = t.thanks;
        const answer = turn.answer || {};
        try {
          await fetch(`${API}/v1/feedback`, { method: "POST", headers: { "Content-Type": "application/json" },
            body: JSON.stringify({ answer_id: turn.answerId, rating, school: SCHOOL,
              conversation_id: this.state.conversation, routes: (answer.routes || []).slice(0, 10),
              sources: [...new Set((answer.citations || []).map((c) => c.doc_id))].slice(0, 20) }) });
        } catch (_) { /* feedback is a courtesy; the answer stays */ }
      };
      for (const [rating, label] of [["up", t.thumbs_up], ["down", t.thumbs_down]]) {
        box.append(el("button", { type: "button", "aria-label": label, title: label,
          "aria-pressed": String(turn.rating === rating), on: { click: () => rate(rating) } }, icon(ICONS[rating])));
      }
      if (turn.rating) box.append(el("span", { text: t.thanks }));
      return box;
    }

    history() {
      return this.state.turns.filter((turn) => !turn.error && turn.text)
        .map((turn) => ({ role: turn.role, content: turn.text.slice(0, 4000) })).slice(-MAX_TURNS);
    }

    async send(raw) {
      const message = raw.trim().slice(0, 2000);
      if (!message || this.busy) return;
      this.busy = true;
      this.sendButton.disabled = true;
      const history = this.history();
      this.input.value = "";
      this.add({ role: "user", text: message });
      const turn = { role: "assistant", text: "", streaming: true, answer: {} };
      this.status.textContent = this.texts.thinking;
      this.log.setAttribute("aria-busy", "true");
      this.add(turn);
      try {
        await this.stream({ message, history, school: SCHOOL, conversation_id: this.state.conversation }, turn);
      } catch (error) {
        Object.assign(turn, { error: true, text: (error && error.userMessage) || this.texts.error });
      }
      turn.streaming = false;
      this.log.setAttribute("aria-busy", "false");
      this.status.textContent = "";
      this.busy = false;
      this.sendButton.disabled = false;
      this.save();
      this.redraw(this.state.turns.indexOf(turn), { top: true });
      this.input.focus();
    }

    async stream(body, turn) {
      const response = await fetch(`${API}/v1/chat/stream`, {
        method: "POST", headers: { "Content-Type": "application/json", Accept: "text/event-stream" },
        body: JSON.stringify(body),
      });
      if (!response.ok) {
        const failure = new Error(`HTTP ${response.status}`);
        try { failure.userMessage = (await response.json()).error.message; } catch (_) { /* keep default */ }
        throw failure;
      }
      const reader = response.body.getReader();
      const decoder = new TextDecoder();
      let buffer = "";
      let pending = false;
      const paint = () => {
        if (pending) return;
        pending = true;
        requestAnimationFrame(() => {
          pending = false;
          if (turn.streaming) this.redraw(this.state.turns.indexOf(turn));
        });
      };
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        buffer += decoder.decode(value, { stream: true }).replace(/\r\n/g, "\n");
        let cut;
        while ((cut = buffer.indexOf("\n\n")) >= 0) {
          const raw = buffer.slice(0, cut);
          buffer = buffer.slice(cut + 2);
          let event = "message";
          const data = [];
          for (const line of raw.split("\n")) {
            if (line.startsWith("event:")) event = line.slice(6).trim();
            else if (line.startsWith("data:")) data.push(line.slice(5).replace(/^ /, ""));
          }
          if (!data.length) continue;
          const payload = JSON.parse(data.join("\n"));
          if (event === "token") { turn.text += payload; paint(); }
          else if (event === "citations") turn.answer.citations = payload;
          else if (event === "done") {
            turn.answer = payload;
            turn.text = payload.text;
            turn.answerId = payload.answer_id;
          }
        }
      }
      if (!turn.answerId) throw new Error("stream ended early");
    }
  }

  customElements.define("koers-widget", KoersWidget);
  const mount = () => document.body.append(document.createElement("koers-widget"));
  if (document.body) mount(); else document.addEventListener("DOMContentLoaded", mount);
})();

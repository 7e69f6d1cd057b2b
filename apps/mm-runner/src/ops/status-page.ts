import { createHash } from "node:crypto";

/**
 * The live status page: one self-contained HTML document, no build step, no dependency.
 * It listens to `/events` (Server-Sent Events, one status snapshot per message) and falls
 * back to polling `/status` every second when EventSource is unavailable or keeps failing.
 * Everything from the status is inserted with textContent, never as HTML.
 *
 * The browser script is plain ES2017 and written without template literals so it can live
 * inside this TypeScript template string untouched.
 */

const STYLE = `
:root { color-scheme: light dark; --bid: #1a7f37; --ask: #cf222e; --muted: #6e7781;
  --warn: #9a6700; --card: rgba(127,127,127,.08); --line: rgba(127,127,127,.25); }
* { box-sizing: border-box; }
body { margin: 0; font: 14px/1.4 system-ui, -apple-system, "Segoe UI", sans-serif; }
header { display: flex; flex-wrap: wrap; gap: .5rem 1.5rem; align-items: baseline;
  padding: .75rem 1rem; border-bottom: 1px solid var(--line); }
header h1 { font-size: 1.1rem; margin: 0; }
.muted { color: var(--muted); }
#connection.live::before { content: "\\25CF "; color: var(--bid); }
#connection.down::before { content: "\\25CF "; color: var(--ask); }
#synthetic-banner { display: none; padding: .6rem 1rem; background: #d1242f; color: #fff;
  font-weight: 700; letter-spacing: .02em; }
#synthetic-banner.on { display: block; }
#runner-reasons { padding: 0 1rem; color: var(--ask); }
main { display: grid; gap: 1rem; padding: 1rem;
  grid-template-columns: repeat(auto-fill, minmax(26rem, 1fr)); }
.card { background: var(--card); border: 1px solid var(--line); border-radius: 8px; padding: .75rem 1rem; }
.card h2 { font-size: 1.05rem; margin: 0; display: flex; gap: .5rem; align-items: center; flex-wrap: wrap; }
.state { font-size: .75rem; padding: .05rem .45rem; border-radius: 999px; color: #fff; background: var(--muted); }
.state.quoting { background: var(--bid); }
.state.degraded, .state.starting { background: var(--warn); }
.state.pulled, .state.crashed { background: var(--ask); }
.tag-synthetic { font-size: .75rem; padding: .05rem .45rem; border-radius: 4px; background: #d1242f; color: #fff; }
.price-line { display: flex; gap: .75rem; align-items: baseline; margin: .35rem 0; flex-wrap: wrap; }
.price { font-size: 1.6rem; font-variant-numeric: tabular-nums; font-weight: 600; }
.reasons { margin: .25rem 0; padding-left: 1.1rem; color: var(--ask); }
table { border-collapse: collapse; width: 100%; font-variant-numeric: tabular-nums; }
td, th { padding: .1rem .4rem; text-align: right; white-space: nowrap; }
th { font-weight: 500; color: var(--muted); border-bottom: 1px solid var(--line); }
td.id { text-align: left; font-family: ui-monospace, monospace; font-size: .8rem; color: var(--muted);
  overflow: hidden; text-overflow: ellipsis; max-width: 14rem; }
tr.ask td.px { color: var(--ask); }
tr.bid td.px { color: var(--bid); }
tr.mid td { border-top: 1px solid var(--line); border-bottom: 1px solid var(--line); font-weight: 600; }
.empty td { color: var(--muted); text-align: center; }
dl.stats { display: grid; grid-template-columns: repeat(3, auto); gap: .15rem 1rem; margin: .5rem 0; }
dl.stats div { display: flex; gap: .4rem; }
dl.stats dt { color: var(--muted); }
dl.stats dd { margin: 0; font-variant-numeric: tabular-nums; }
ol.events { list-style: none; margin: .25rem 0 0; padding: 0; font-size: .85rem; max-height: 10rem; overflow: auto; }
ol.events li { padding: .05rem 0; }
ol.events li.warn { color: var(--warn); }
ol.events li.error { color: var(--ask); }
ol.events time { color: var(--muted); margin-right: .4rem; font-variant-numeric: tabular-nums; }
`;

const SCRIPT = `
"use strict";
(function () {
  var SYNTHETIC_SOURCES = { synthetic: true, replay: true };
  var cards = {};
  var latest = null;
  var skewMs = 0;
  var main = document.getElementById("symbols");

  function el(tag, attrs, children) {
    var node = document.createElement(tag);
    if (attrs) {
      Object.keys(attrs).forEach(function (key) {
        if (key === "text") node.textContent = attrs[key];
        else if (key === "className") node.className = attrs[key];
        else node.setAttribute(key, attrs[key]);
      });
    }
    (children || []).forEach(function (child) { if (child) node.appendChild(child); });
    return node;
  }

  function ago(ms) {
    if (ms === undefined || ms === null) return "never";
    var s = Math.max(0, ((Date.now() + skewMs) - ms) / 1000);
    if (s < 60) return s.toFixed(1) + " s ago";
    if (s < 3600) return Math.floor(s / 60) + " min ago";
    return Math.floor(s / 3600) + " h ago";
  }

  function clock(ms) {
    var d = new Date(ms);
    return d.toLocaleTimeString(undefined, { hour12: false }) + "." + String(d.getMilliseconds()).padStart(3, "0");
  }

  function bps(price, mid) {
    var p = Number(price), m = Number(mid);
    if (!isFinite(p) || !isFinite(m) || m === 0) return "";
    var v = (p - m) / m * 10000;
    return (v > 0 ? "+" : "") + v.toFixed(1) + " bps";
  }

  function isSynthetic(symbol) {
    return !!(symbol.price && SYNTHETIC_SOURCES[symbol.price.source]);
  }

  function orderRow(side, order, mid) {
    return el("tr", { className: side, "data-order-id": order.orderId }, [
      el("td", { className: "id", text: order.orderId, title: order.orderId }),
      el("td", { text: order.quantity }),
      el("td", { className: "px", text: order.price }),
      el("td", { className: "muted", text: mid ? bps(order.price, mid) : "" })
    ]);
  }

  function ladder(symbol) {
    var mid = symbol.price ? symbol.price.value : null;
    var body = el("tbody");
    // Asks above the price, highest first, so the best ask sits next to the mid row.
    symbol.asks.slice().sort(function (a, b) { return Number(b.price) - Number(a.price); })
      .forEach(function (o) { body.appendChild(orderRow("ask", o, mid)); });
    body.appendChild(el("tr", { className: "mid" }, [
      el("td", { className: "id", text: "reference price" }),
      el("td"),
      el("td", { text: mid || "-" }),
      el("td", { className: "muted", text: symbol.price ? symbol.price.source : "" })
    ]));
    symbol.bids.slice().sort(function (a, b) { return Number(b.price) - Number(a.price); })
      .forEach(function (o) { body.appendChild(orderRow("bid", o, mid)); });
    if (symbol.asks.length === 0 && symbol.bids.length === 0) {
      body.appendChild(el("tr", { className: "empty" }, [el("td", { colspan: "4", text: "no orders on the book" })]));
    }
    var head = el("thead", null, [el("tr", null, [
      el("th", { text: "our order id" }), el("th", { text: "size" }),
      el("th", { text: "price" }), el("th", { text: "from price" })
    ])]);
    return el("table", { className: "ladder" }, [head, body]);
  }

  function stat(label, value, name, at) {
    var attrs = { text: String(value), "data-stat": name };
    if (at) { attrs.className = "age"; attrs["data-at"] = String(at); }
    return el("div", null, [el("dt", { text: label }), el("dd", attrs)]);
  }

  function renderSymbol(symbol) {
    var card = cards[symbol.symbol];
    if (!card) {
      card = el("section", { className: "card", "data-symbol": symbol.symbol });
      cards[symbol.symbol] = card;
      main.appendChild(card);
    }
    card.setAttribute("data-state", symbol.state);
    var title = el("h2", null, [
      el("span", { className: "symbol", text: symbol.symbol }),
      el("span", { className: "state " + symbol.state, text: symbol.state }),
      isSynthetic(symbol) ? el("span", { className: "tag-synthetic", text: "SYNTHETIC PRICE" }) : null
    ]);
    var sub = el("div", { className: "muted", text: "book " + symbol.book + " \\u00b7 market maker " + symbol.marketMakerId });
    var priceLine = el("div", { className: "price-line" }, [
      el("span", { className: "price", "data-testid": "price", text: symbol.price ? symbol.price.value : "no price yet" }),
      el("span", { className: "source", text: symbol.price ? "from " + symbol.price.source : "" }),
      el("span", { className: "muted age", "data-at": symbol.price ? String(symbol.price.receivedAt) : "",
        text: symbol.price ? ago(symbol.price.receivedAt) : "" })
    ]);
    var reasons = symbol.reasons.length
      ? el("ul", { className: "reasons" }, symbol.reasons.map(function (r) { return el("li", { text: r }); }))
      : null;
    var stats = el("dl", { className: "stats" }, [
      stat("fills", symbol.fills.count, "fills"),
      stat("volume", symbol.fills.volume, "volume"),
      stat("position", symbol.position, "position"),
      stat("cycles", symbol.cycles, "cycles"),
      stat("last cycle", symbol.lastCycleAt ? ago(symbol.lastCycleAt) : "never", "last-cycle", symbol.lastCycleAt),
      stat("restarts", symbol.workerRestarts, "restarts")
    ]);
    var events = symbol.events.slice().sort(function (a, b) { return b.at - a.at; }).slice(0, 20);
    var eventList = el("ol", { className: "events" }, events.map(function (e) {
      return el("li", { className: e.level || "info" }, [
        el("time", { text: clock(e.at) }),
        el("span", { text: e.type + ": " + e.message })
      ]);
    }));
    card.replaceChildren(title, sub, priceLine, reasons || el("span"), ladder(symbol), stats,
      el("div", { className: "muted", text: "recent events" }), eventList);
  }

  function render(status) {
    latest = status;
    if (typeof status.now === "number") skewMs = status.now - Date.now();
    var synthetic = status.synthetic || status.symbols.some(isSynthetic);
    var banner = document.getElementById("synthetic-banner");
    banner.className = synthetic ? "on" : "";
    document.getElementById("venue").textContent = status.venue.address + (status.venue.embedded ? " (embedded sandbox venue)" : "");
    document.getElementById("uptime").textContent = status.startedAt ? "started " + ago(status.startedAt) : "";
    document.getElementById("runner-reasons").textContent = status.shuttingDown ? "shutting down" : "";
    var seen = {};
    status.symbols.forEach(function (s) { seen[s.symbol] = true; renderSymbol(s); });
    Object.keys(cards).forEach(function (name) {
      if (!seen[name]) { cards[name].remove(); delete cards[name]; }
    });
    document.title = (synthetic ? "[SYNTHETIC] " : "") + status.symbols.map(function (s) {
      return s.symbol + " " + (s.price ? s.price.value : "-");
    }).join(" \\u00b7 ") + " \\u2014 mm-runner";
  }

  function connection(live, text) {
    var node = document.getElementById("connection");
    node.className = live ? "live" : "down";
    node.textContent = text;
  }

  var polling = null;
  function poll() {
    if (polling) return;
    polling = setInterval(function () {
      fetch("status", { cache: "no-store" })
        .then(function (r) { if (!r.ok) throw new Error("HTTP " + r.status); return r.json(); })
        .then(function (s) { connection(true, "live (polling)"); render(s); })
        .catch(function (e) { connection(false, "unreachable: " + e.message); });
    }, 1000);
  }

  function listen() {
    if (typeof EventSource === "undefined") return poll();
    var source = new EventSource("events");
    var failures = 0;
    source.onmessage = function (message) {
      failures = 0;
      connection(true, "live");
      render(JSON.parse(message.data));
    };
    source.onerror = function () {
      failures += 1;
      connection(false, "reconnecting");
      // Some proxies break streaming: after a few failures, poll instead.
      if (failures >= 3) { source.close(); poll(); }
    };
  }

  // Keep the "... ago" texts moving between updates.
  setInterval(function () {
    document.querySelectorAll(".age[data-at]").forEach(function (node) {
      var at = Number(node.getAttribute("data-at"));
      if (at) node.textContent = ago(at);
    });
  }, 500);

  listen();
})();
`;

const HTML = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>mm-runner</title>
<style>${STYLE}</style>
</head>
<body>
<div id="synthetic-banner" role="alert">SYNTHETIC PRICES: these quotes follow a simulated price, not a live market.</div>
<header>
  <h1>Matchingo market maker</h1>
  <span>venue <span id="venue">-</span></span>
  <span class="muted" id="uptime"></span>
  <span id="connection" class="down">connecting</span>
  <span class="muted"><a href="status">status JSON</a> \u00b7 <a href="metrics">metrics</a> \u00b7 <a href="readyz">readyz</a></span>
</header>
<div id="runner-reasons"></div>
<main id="symbols"></main>
<script>${SCRIPT}</script>
</body>
</html>
`;

function sha256(text: string): string {
  return createHash("sha256").update(text, "utf8").digest("base64");
}

export const STATUS_PAGE_HTML: string = HTML;

/** Only this page's own inline script and style may run; it may only talk to this origin. */
export const STATUS_PAGE_CSP: string = [
  "default-src 'none'",
  `script-src 'sha256-${sha256(SCRIPT)}'`,
  `style-src 'sha256-${sha256(STYLE)}'`,
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join("; ");

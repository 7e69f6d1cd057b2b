// The live page's script, served as /assets/page.js (CSP: scripts from this origin only).
// Plain browser JavaScript, no build step. Everything from the status is inserted with
// textContent, never as HTML. Charts are uPlot (/assets/uplot.js, from node_modules).

(() => {
  const SYNTHETIC_SOURCES = { synthetic: true, replay: true };
  /** Above this many symbols, one detail card at a time (chosen in the summary table). */
  const ALL_CARDS_UP_TO = 4;
  /** Points kept per symbol in the page; the runner keeps its own bounded history. */
  const MAX_POINTS = 600;
  /** [key the control API takes, what a person calls it, the setting's environment name] */
  const PARAMS = [
    ["baseSpreadPercent", "spread (%)", "BASE_SPREAD_PERCENT"],
    ["priceStepPercent", "level step (%)", "PRICE_STEP_PERCENT"],
    ["numLevels", "levels a side", "NUM_LEVELS"],
    ["orderSize", "order size(s)", "ORDER_SIZE"],
    ["orderSizeStep", "size step a level", "ORDER_SIZE_STEP"],
    ["orderSizeMultiplier", "size multiplier a level", "ORDER_SIZE_MULTIPLIER"],
    ["refreshTolerancePercent", "keep within (%)", "REFRESH_TOLERANCE_PERCENT"],
    ["minRequoteIntervalMs", "min requote gap (ms)", "MIN_REQUOTE_INTERVAL_MS"],
    ["asGamma", "A-S risk aversion γ", "AS_GAMMA"],
    ["asKappa", "A-S liquidity κ", "AS_KAPPA"],
    ["asHorizonSeconds", "A-S horizon (s)", "AS_HORIZON_SECONDS"],
    ["volatilityWindowSeconds", "volatility window (s)", "VOLATILITY_WINDOW_SECONDS"],
    ["maxPosition", "max position", "MAX_POSITION"],
    ["inventorySkewPercent", "inventory skew (%)", "INVENTORY_SKEW_PERCENT"],
    ["makerFeeBps", "maker fee (bps)", "MAKER_FEE_BPS"],
    ["maxLoss", "max loss", "MAX_LOSS"],
    ["maxDrawdown", "max drawdown", "MAX_DRAWDOWN"],
  ];
  /** Symbol states in which pause can act (its quotes are up or may come back). */
  const PAUSABLE = { quoting: true, degraded: true, starting: true, pulled: true };
  /** States resume lifts. */
  const RESUMABLE = { paused: true, halted: true };

  /** Memory samples kept in the page, one every MEMORY_EVERY_S (two hours, as the runner keeps). */
  const MEMORY_POINTS = 720;
  const MEMORY_EVERY_S = 10;
  const MIB = 1024 * 1024;

  /** Where a value in effect came from, in words: "default", "flag --num-levels"... */
  function originText(current, envName) {
    if (!current) return "";
    const name = String(current.name || "");
    switch (current.origin) {
      case "default":
        return "the default";
      case "env":
        // An alias (SPREAD_PERCENT) is named; the setting's own name is in the label.
        return name && name !== envName ? `from the environment (${name})` : "from the environment";
      case "flag":
        return `from the flag ${name}`;
      case "file":
        // "mm.yaml: orderSize": the file is what a person looks for.
        return `from the config file ${name.split(": ")[0]}`;
      case "control":
        return "changed live (control API)";
      default:
        return current.origin || "";
    }
  }
  /** Limits an empty field removes (sent as null). */
  const REMOVABLE = new Set([
    "maxPosition",
    "maxLoss",
    "maxDrawdown",
    "orderSizeStep",
    "orderSizeMultiplier",
    "asHorizonSeconds",
  ]);
  const shown = (current) =>
    current && current.value !== null && current.value !== undefined ? String(current.value) : "";

  const cards = {};
  const rows = {};
  const series = {};
  let selected = null;
  let skewMs = 0;
  let token = null;
  let paramsInEffect = {};
  const main = document.getElementById("symbols");
  const summaryBody = document.querySelector("#summary tbody");

  function el(tag, attrs, children) {
    const node = document.createElement(tag);
    if (attrs) {
      for (const key of Object.keys(attrs)) {
        const value = attrs[key];
        if (value === undefined || value === null) continue;
        if (key === "text") node.textContent = value;
        else if (key === "className") node.className = value;
        else node.setAttribute(key, value);
      }
    }
    for (const child of children || []) if (child) node.appendChild(child);
    return node;
  }

  function ago(ms) {
    if (ms === undefined || ms === null) return "never";
    const s = Math.max(0, (Date.now() + skewMs - ms) / 1000);
    if (s < 60) return `${s.toFixed(1)} s ago`;
    if (s < 3600) return `${Math.floor(s / 60)} min ago`;
    return `${Math.floor(s / 3600)} h ago`;
  }

  function clock(ms) {
    const d = new Date(ms);
    return `${d.toLocaleTimeString(undefined, { hour12: false })}.${String(d.getMilliseconds()).padStart(3, "0")}`;
  }

  /** How the price is obtained: `via stream (binance) · 2 reconnects · 1 gap · 3 changes`. */
  function feedText(feed) {
    const parts = [`via ${feed.via}${feed.source ? ` (${feed.source})` : ""}`];
    const count = (n, one) => `${n} ${one}${n === 1 ? "" : "s"}`;
    if (feed.reconnects > 0) parts.push(count(feed.reconnects, "reconnect"));
    if (feed.gaps > 0) parts.push(count(feed.gaps, "gap"));
    if (feed.failovers > 0) parts.push(count(feed.failovers, "feed change"));
    return parts.join(" \u00b7 ");
  }

  function bps(price, mid) {
    const p = Number(price);
    const m = Number(mid);
    if (!Number.isFinite(p) || !Number.isFinite(m) || m === 0) return "";
    const v = ((p - m) / m) * 10000;
    return `${v > 0 ? "+" : ""}${v.toFixed(1)} bps`;
  }

  function spreadOf(symbol) {
    const bid = symbol.bids[0];
    const ask = symbol.asks[0];
    if (!bid || !ask || !symbol.price) return "-";
    return bps(
      Number(symbol.price.value) + Number(ask.price) - Number(bid.price),
      symbol.price.value,
    ).replace("+", "");
  }

  function isSynthetic(symbol) {
    return !!(symbol.price && SYNTHETIC_SOURCES[symbol.price.source]);
  }

  // ------------------------------------------------------------------ history and charts

  function historyOf(name) {
    if (!series[name]) {
      series[name] = {
        t: [],
        price: [],
        bid: [],
        ask: [],
        position: [],
        pnl: [],
        fills: [],
        lastFill: 0,
      };
    }
    return series[name];
  }

  function num(value) {
    if (value === undefined || value === null) return null;
    const n = Number(value);
    return Number.isFinite(n) ? n : null;
  }

  function addFills(history, fills) {
    for (const fill of fills || []) {
      if (fill.seq <= history.lastFill) continue;
      history.fills.push(fill);
      history.lastFill = fill.seq;
    }
    if (history.fills.length > 200) history.fills.splice(0, history.fills.length - 200);
  }

  function sample(status) {
    const at = (status.now || Date.now()) / 1000;
    for (const s of status.symbols) {
      const h = historyOf(s.symbol);
      if (h.t.length > 0 && at <= h.t[h.t.length - 1]) continue;
      h.t.push(at);
      h.price.push(num(s.price?.value));
      h.bid.push(num(s.bids[0]?.price));
      h.ask.push(num(s.asks[0]?.price));
      h.position.push(num(s.position));
      h.pnl.push(num(s.pnl));
      if (h.t.length > MAX_POINTS) {
        for (const key of ["t", "price", "bid", "ask", "position", "pnl"]) h[key].shift();
      }
      addFills(h, s.recentFills);
    }
  }

  function loadHistory() {
    return fetch("history", { cache: "no-store" })
      .then((r) => (r.ok ? r.json() : {}))
      .then((all) => {
        for (const name of Object.keys(all)) {
          const from = all[name];
          const h = historyOf(name);
          if (h.t.length > 0) continue;
          for (const key of ["t", "price", "bid", "ask", "position", "pnl"])
            h[key] = from[key].slice();
          addFills(h, from.fills);
        }
      })
      .catch(() => undefined);
  }

  // ------------------------------------------------------------------ memory over time

  const memory = { t: [], rss: [], mainHeap: [], workersHeap: [] };
  let memoryChart = null;
  let memoryWidth = 0;

  function sampleMemory(status) {
    const m = status.memory;
    if (!m) return;
    const at = (status.now || Date.now()) / 1000;
    const n = memory.t.length;
    // A point every MEMORY_EVERY_S; in between, the newest point follows the status live.
    const replace = n >= 2 && at < memory.t[n - 2] + MEMORY_EVERY_S;
    if (replace) for (const key of Object.keys(memory)) memory[key].pop();
    memory.t.push(at);
    memory.rss.push(m.rss / MIB);
    memory.mainHeap.push(m.main.used / MIB);
    memory.workersHeap.push(m.workersTotal.used / MIB);
    if (memory.t.length > MEMORY_POINTS) {
      for (const key of Object.keys(memory)) memory[key].shift();
    }
  }

  function loadMemoryHistory() {
    return fetch("history/memory", { cache: "no-store" })
      .then((r) => (r.ok ? r.json() : null))
      .then((from) => {
        if (!from || memory.t.length > 0 || !Array.isArray(from.t)) return;
        memory.t = from.t.slice();
        for (const key of ["rss", "mainHeap", "workersHeap"])
          memory[key] = from[key].map((bytes) => bytes / MIB);
      })
      .catch(() => undefined);
  }

  function drawMemory() {
    const box = document.getElementById("memory-chart");
    const section = document.getElementById("memory");
    if (!box || typeof uPlot === "undefined") return;
    section.className = memory.t.length > 0 ? "" : "hidden";
    if (memory.t.length === 0) return;
    const width = Math.max(280, section.clientWidth - 32);
    if (!memoryChart) {
      memoryChart = new uPlot(
        {
          width,
          height: 110,
          legend: { show: true },
          scales: { x: { time: true }, y: { range: padded } },
          series: [
            {},
            { label: "RSS", stroke: "#57606a", width: 1.5 },
            { label: "main heap", stroke: "#0969da", width: 1 },
            { label: "workers' heaps", stroke: "#8250df", width: 1 },
          ],
          axes: [{}, { size: 70, ...threeTicks }],
        },
        [[], [], [], []],
        box,
      );
      memoryWidth = width;
    } else if (Math.abs(width - memoryWidth) > 8) {
      memoryWidth = width;
      memoryChart.setSize({ width, height: 110 });
    }
    memoryChart.setData([memory.t, memory.rss, memory.mainHeap, memory.workersHeap]);
    box.setAttribute("data-points", String(memory.t.length));
  }

  /** Fills as triangles at their price: up for our buys (green), down for our sells (red). */
  function fillMarkers(name) {
    return {
      hooks: {
        draw: [
          (u) => {
            const h = series[name];
            if (!h) return;
            const ctx = u.ctx;
            ctx.save();
            for (const fill of h.fills) {
              const x = u.valToPos(fill.at / 1000, "x", true);
              const y = u.valToPos(Number(fill.price), "y", true);
              if (!Number.isFinite(x) || !Number.isFinite(y)) continue;
              if (x < u.bbox.left || x > u.bbox.left + u.bbox.width) continue;
              const size = 6 * devicePixelRatio;
              const up = fill.side === "buy";
              ctx.fillStyle = up ? "#1a7f37" : "#cf222e";
              ctx.beginPath();
              ctx.moveTo(x, y + (up ? -size : size));
              ctx.lineTo(x - size, y + (up ? size : -size));
              ctx.lineTo(x + size, y + (up ? size : -size));
              ctx.closePath();
              ctx.fill();
            }
            ctx.restore();
          },
        ],
      },
    };
  }

  /** A y scale with room around its data, and a span even when the data is flat. */
  function padded(_u, min, max) {
    if (min === null || max === null) return [-1, 1];
    if (min === max) {
      const pad = Math.abs(min) * 0.05 || 1;
      return [min - pad, max + pad];
    }
    const pad = (max - min) * 0.1;
    return [min - pad, max + pad];
  }

  /** Three labelled ticks, bottom, middle and top, with the digits the span needs. */
  const threeTicks = {
    splits: (_u, _axis, min, max) => [min, (min + max) / 2, max],
    values: (_u, splits) => {
      const span = Math.abs(splits[splits.length - 1] - splits[0]);
      const digits = span >= 100 ? 0 : span >= 1 ? 2 : span >= 0.01 ? 4 : 6;
      return splits.map((v) => v.toLocaleString("en-US", { maximumFractionDigits: digits }));
    },
  };

  function makeCharts(card, name) {
    const width = Math.max(280, card.clientWidth - 32);
    const priceBox = card.parts.priceBox;
    const positionBox = card.parts.positionBox;
    const price = new uPlot(
      {
        width,
        height: 200,
        legend: { show: true },
        scales: { x: { time: true } },
        series: [
          {},
          { label: "price", stroke: "#57606a", width: 1.5 },
          { label: "our bid", stroke: "#1a7f37", width: 1 },
          { label: "our ask", stroke: "#cf222e", width: 1 },
        ],
        // Room for prices like 50,005.25 on the axis.
        axes: [{}, { size: 80 }],
        plugins: [fillMarkers(name)],
      },
      [[], [], [], []],
      priceBox,
    );
    const position = new uPlot(
      {
        width,
        height: 110,
        legend: { show: true },
        scales: { x: { time: true }, y: { range: padded }, pnl: { range: padded } },
        series: [
          {},
          { label: "position", stroke: "#0969da", width: 1.5 },
          { label: "P&L", stroke: "#8250df", width: 1, scale: "pnl" },
        ],
        axes: [
          {},
          { size: 80, ...threeTicks },
          { scale: "pnl", side: 1, size: 70, grid: { show: false }, ...threeTicks },
        ],
      },
      [[], [], []],
      positionBox,
    );
    return { price, position, priceBox, positionBox, width };
  }

  function drawCharts(card, name) {
    const h = series[name];
    if (!h || typeof uPlot === "undefined") return;
    if (!card.charts) card.charts = makeCharts(card, name);
    const charts = card.charts;
    const width = Math.max(280, card.clientWidth - 32);
    if (Math.abs(width - charts.width) > 8) {
      charts.width = width;
      charts.price.setSize({ width, height: 200 });
      charts.position.setSize({ width, height: 110 });
    }
    charts.price.setData([h.t, h.price, h.bid, h.ask]);
    charts.position.setData([h.t, h.position, h.pnl]);
    charts.priceBox.setAttribute("data-points", String(h.t.length));
    charts.priceBox.setAttribute("data-fills", String(h.fills.length));
    charts.positionBox.setAttribute("data-points", String(h.t.length));
  }

  // ------------------------------------------------------------------ the card of a symbol

  function orderRow(side, order, mid) {
    return el("tr", { className: side, "data-order-id": order.orderId }, [
      el("td", { className: "id", text: order.orderId, title: order.orderId }),
      el("td", { text: order.quantity }),
      el("td", { className: "px", text: order.price }),
      el("td", { className: "muted", text: mid ? bps(order.price, mid) : "" }),
    ]);
  }

  function ladder(symbol) {
    const mid = symbol.price ? symbol.price.value : null;
    const body = el("tbody");
    const byPrice = (a, b) => Number(b.price) - Number(a.price);
    // Asks above the price, highest first, so the best ask sits next to the mid row.
    for (const o of symbol.asks.slice().sort(byPrice)) body.appendChild(orderRow("ask", o, mid));
    body.appendChild(
      el("tr", { className: "mid" }, [
        el("td", { className: "id", text: "reference price", title: "reference price" }),
        el("td"),
        el("td", { text: mid || "-" }),
        el("td", { className: "muted", text: symbol.price ? symbol.price.source : "" }),
      ]),
    );
    for (const o of symbol.bids.slice().sort(byPrice)) body.appendChild(orderRow("bid", o, mid));
    if (symbol.asks.length === 0 && symbol.bids.length === 0) {
      body.appendChild(
        el("tr", { className: "empty" }, [
          el("td", { colspan: "4", text: "no orders on the book" }),
        ]),
      );
    }
    const cols = el("colgroup", null, [
      el("col", { className: "c-id" }),
      el("col", { className: "c-size" }),
      el("col", { className: "c-px" }),
      el("col", { className: "c-bps" }),
    ]);
    const head = el("thead", null, [
      el("tr", null, [
        el("th", { text: "our order id" }),
        el("th", { text: "size" }),
        el("th", { text: "price" }),
        el("th", { text: "from price" }),
      ]),
    ]);
    return el("div", { className: "ladder-wrap" }, [
      el("table", { className: "ladder" }, [cols, head, body]),
    ]);
  }

  /**
   * The venue's book around our ladder, by level: our quantity against everyone else's,
   * each as a bar scaled to the biggest level shown. Asks on top (farthest first), bids
   * below. Only the embedded venue gives it (see `depth` in the status).
   */
  function depthView(depth) {
    const levels = depth.asks.concat(depth.bids);
    const most = Math.max(1e-12, ...levels.map((l) => Number(l.ours) + Number(l.others)));
    const bar = (value, kind) => {
      const node = el("span", { className: `bar ${kind}` });
      // Through the CSSOM: the CSP allows no style attributes.
      node.style.width = `${Math.round((Number(value) / most) * 100)}%`;
      return node;
    };
    const row = (side, level) =>
      el("tr", { className: side, "data-depth": side }, [
        el("td", { className: "px", text: level.price }),
        el("td", { text: level.ours === "0" ? "" : level.ours }),
        el("td", { text: level.others === "0" ? "" : level.others }),
        el("td", { className: "bars" }, [bar(level.ours, "ours"), bar(level.others, "others")]),
      ]);
    const body = el("tbody");
    for (const level of depth.asks.slice().reverse()) body.appendChild(row("ask", level));
    for (const level of depth.bids) body.appendChild(row("bid", level));
    if (levels.length === 0)
      body.appendChild(el("tr", null, [el("td", { colspan: "4", text: "the book is empty" })]));
    return el("div", { className: "depth-wrap", "data-testid": "depth" }, [
      el("div", { className: "muted", text: "the venue's book: ours and everyone else's" }),
      el("table", { className: "depth" }, [
        el("thead", null, [
          el("tr", null, [
            el("th", { text: "price" }),
            el("th", { text: "ours" }),
            el("th", { text: "others" }),
            el("th", { text: "" }),
          ]),
        ]),
        body,
      ]),
    ]);
  }

  function stat(label, value, name, at) {
    const attrs = { text: String(value), "data-stat": name };
    if (at) {
      attrs.className = "age";
      attrs["data-at"] = String(at);
    }
    return el("div", null, [el("dt", { text: label }), el("dd", attrs)]);
  }

  /** Pause and resume act only where they can: the rest of the time they are disabled. */
  function enableButtons(card, state) {
    for (const b of card.querySelectorAll("button[data-action]")) {
      const action = b.getAttribute("data-action");
      b.disabled = action === "pause" ? !PAUSABLE[state] : !RESUMABLE[state];
      b.title = b.disabled
        ? `${action} cannot act while the symbol is ${state}`
        : action === "pause"
          ? "pull this symbol's quotes (confirmed by the venue)"
          : "quote again from the next cycle";
    }
  }

  /** Pause, resume and the parameter form; shown once a token is accepted. */
  function controls(name) {
    const message = el("span", { className: "error", "data-error": "action" });
    const button = (action, label) => {
      const b = el("button", { type: "button", "data-action": action, text: label });
      b.addEventListener("click", () => {
        message.textContent = "";
        call("POST", `control/${action}`, { symbol: name })
          .then(() => {
            message.textContent = "";
            refresh();
          })
          .catch((error) => {
            message.textContent = error.message;
          });
      });
      return b;
    };
    const form = el("form", { className: "params", "data-form": "params" });
    const effect = paramsInEffect[name] || {};
    for (const [key, label, envName] of PARAMS) {
      const current = effect[key];
      form.appendChild(
        el("label", { for: `${name}-${key}` }, [
          el("span", { text: label }),
          el("code", { className: "env", text: envName }),
        ]),
      );
      form.appendChild(
        el("input", {
          id: `${name}-${key}`,
          name: key,
          value: shown(current),
          "data-initial": shown(current),
          size: "8",
        }),
      );
      if (current)
        form.appendChild(
          el("div", {
            className: "origin",
            "data-origin": key,
            text: originText(current, envName),
          }),
        );
      form.appendChild(el("div", { className: "error", "data-error": key }));
    }
    const formError = el("div", { className: "error", "data-error": "form" });
    form.appendChild(el("span"));
    form.appendChild(el("button", { type: "submit", text: "apply" }));
    form.appendChild(formError);
    form.addEventListener("submit", (event) => {
      event.preventDefault();
      for (const node of form.querySelectorAll(".error")) node.textContent = "";
      const body = { symbol: name };
      for (const input of form.querySelectorAll("input")) {
        if (input.value === input.getAttribute("data-initial")) continue;
        body[input.name] = input.value === "" && REMOVABLE.has(input.name) ? null : input.value;
      }
      call("PATCH", "control/params", body)
        .then(() => loadParams())
        .catch((error) => {
          for (const problem of error.problems || [error.message]) {
            const key = PARAMS.map((p) => p[0]).find(
              (k) => problem.startsWith(`${k}=`) || problem.startsWith(`${k}:`),
            );
            const target = form.querySelector(`[data-error="${key || "form"}"]`);
            target.textContent = (target.textContent ? `${target.textContent}; ` : "") + problem;
          }
        });
    });
    // Folded until asked for: the card is for watching; changing is the exception.
    const fold = el("details", { className: "params-fold" }, [
      el("summary", { text: "change parameters" }),
      form,
    ]);
    return el("div", { className: "controls" }, [
      el("div", { className: "control-buttons" }, [
        button("pause", "pause"),
        button("resume", "resume"),
        message,
      ]),
      fold,
    ]);
  }

  function renderCard(symbol) {
    let card = cards[symbol.symbol];
    if (!card) {
      card = el("section", { className: "card", "data-symbol": symbol.symbol });
      card.parts = {
        head: el("div"),
        charts: el("div"),
        body: el("div"),
        controls: el("div"),
      };
      card.parts.priceBox = el("div", { className: "chart", "data-chart": "price" });
      card.parts.positionBox = el("div", { className: "chart small", "data-chart": "position" });
      card.parts.charts.append(
        el("div", {
          className: "chart-title",
          text: "price, our best bid and ask, fills (\u25b2 buy, \u25bc sell)",
        }),
        card.parts.priceBox,
        el("div", { className: "chart-title", text: "position and P&L" }),
        card.parts.positionBox,
      );
      card.append(card.parts.head, card.parts.charts, card.parts.body, card.parts.controls);
      cards[symbol.symbol] = card;
      main.appendChild(card);
    }
    card.setAttribute("data-state", symbol.state);
    const title = el("h2", null, [
      el("span", { className: "symbol", text: symbol.symbol }),
      el("span", { className: `state ${symbol.state}`, text: symbol.state }),
      isSynthetic(symbol)
        ? el("span", { className: "tag-synthetic", text: "SYNTHETIC PRICE" })
        : null,
    ]);
    const sub = el("div", {
      className: "muted",
      text: `book ${symbol.book} \u00b7 market maker ${symbol.marketMakerId}`,
    });
    const priceLine = el("div", { className: "price-line" }, [
      el("span", {
        className: "price",
        "data-testid": "price",
        text: symbol.price ? symbol.price.value : "no price yet",
      }),
      el("span", { className: "source", text: symbol.price ? `from ${symbol.price.source}` : "" }),
      el("span", {
        className: "muted age",
        "data-at": symbol.price ? String(symbol.price.receivedAt) : "",
        text: symbol.price ? ago(symbol.price.receivedAt) : "",
      }),
      symbol.feed
        ? el("span", {
            className: `muted feed via-${symbol.feed.via}`,
            "data-testid": "feed",
            text: feedText(symbol.feed),
          })
        : null,
    ]);
    const reasons = symbol.reasons.length
      ? el(
          "ul",
          { className: "reasons" },
          symbol.reasons.map((r) => el("li", { text: r })),
        )
      : null;
    card.parts.head.replaceChildren(title, sub, priceLine, reasons || el("span"));
    const stats = el("dl", { className: "stats" }, [
      symbol.strategy ? stat("strategy", symbol.strategy, "strategy") : null,
      symbol.sizes && symbol.sizes.length > 0
        ? stat("sizes by level", symbol.sizes.join(" / "), "sizes")
        : null,
      stat("fills", symbol.fills.count, "fills"),
      stat("volume", symbol.fills.volume, "volume"),
      stat(
        "position",
        symbol.risk && symbol.risk.maxPosition !== undefined
          ? `${symbol.position} / ±${symbol.risk.maxPosition}`
          : symbol.position,
        "position",
      ),
      symbol.pnl !== undefined ? stat("P&L", symbol.pnl, "pnl") : null,
      symbol.risk ? stat("realized", symbol.risk.realized, "realized") : null,
      symbol.risk && symbol.risk.unrealized !== undefined
        ? stat("unrealized", symbol.risk.unrealized, "unrealized")
        : null,
      symbol.risk && symbol.risk.state !== "ok" ? stat("risk", symbol.risk.state, "risk") : null,
      stat("cycles", symbol.cycles, "cycles"),
      stat(
        "last cycle",
        symbol.lastCycleAt ? ago(symbol.lastCycleAt) : "never",
        "last-cycle",
        symbol.lastCycleAt,
      ),
      stat("restarts", symbol.workerRestarts, "restarts"),
    ]);
    const events = symbol.events
      .slice()
      .sort((a, b) => b.at - a.at)
      .slice(0, 20);
    const eventList = el(
      "ol",
      { className: "events" },
      events.map((e) =>
        el("li", { className: e.level || "info" }, [
          el("time", { text: clock(e.at) }),
          el("span", { text: `${e.type}: ${e.message}` }),
        ]),
      ),
    );
    card.parts.body.replaceChildren(
      ladder(symbol),
      symbol.depth ? depthView(symbol.depth) : el("span"),
      stats,
      el("div", { className: "muted", text: "recent events" }),
      eventList,
    );
    if (token && !card.parts.controls.firstChild)
      card.parts.controls.appendChild(controls(symbol.symbol));
    enableButtons(card, symbol.state);
    drawCharts(card, symbol.symbol);
  }

  // ------------------------------------------------------------------ summary table

  function renderRow(symbol) {
    let row = rows[symbol.symbol];
    if (!row) {
      row = el("tr", { "data-row": symbol.symbol });
      row.addEventListener("click", () => {
        selected = symbol.symbol;
        if (lastStatus) render(lastStatus);
      });
      rows[symbol.symbol] = row;
      summaryBody.appendChild(row);
    }
    row.className = selected === symbol.symbol ? "selected" : "";
    row.replaceChildren(
      el("td", { text: symbol.symbol }),
      el("td", { className: "state-cell" }, [
        el("span", { className: symbol.state, text: symbol.state }),
      ]),
      el("td", { text: symbol.price ? symbol.price.value : "-" }),
      el("td", { text: spreadOf(symbol) }),
      el("td", { text: symbol.position }),
      el("td", { className: "pnl", text: symbol.pnl !== undefined ? symbol.pnl : "-" }),
      el("td", { text: String(symbol.fills.count) }),
      el("td", {
        className: "age",
        "data-at": symbol.lastCycleAt ? String(symbol.lastCycleAt) : "",
        text: ago(symbol.lastCycleAt),
      }),
    );
  }

  let lastStatus = null;
  /** Where fills come from: the trade stream (its state, offset, lag) or polls. */
  function fillStreamText(fills) {
    if (!fills || fills.mode === "poll") return "polled";
    const offsets = Object.values(fills.lastOffset || {});
    const where = offsets.length > 0 ? `, offset ${offsets.join("/")}, lag ${fills.lag}` : "";
    const garbage = fills.garbage > 0 ? `, ${fills.garbage} unreadable skipped` : "";
    if (fills.state === "live") return `${fills.mode} stream live${where}${garbage}`;
    return `${fills.mode} stream ${fills.state}: polling meanwhile${fills.detail ? ` (${fills.detail})` : ""}`;
  }

  function render(status) {
    lastStatus = status;
    if (typeof status.now === "number") skewMs = status.now - Date.now();
    const synthetic = status.synthetic || status.symbols.some(isSynthetic);
    document.getElementById("synthetic-banner").className = synthetic ? "on" : "";
    document.getElementById("venue").textContent =
      status.venue.address + (status.venue.embedded ? " (embedded sandbox venue)" : "");
    document.getElementById("fill-stream").textContent = fillStreamText(status.fills);
    document.getElementById("uptime").textContent = status.startedAt
      ? `started ${ago(status.startedAt)}`
      : "";
    document.getElementById("runner-reasons").textContent = status.shuttingDown
      ? "shutting down"
      : "";
    const many = status.symbols.length > ALL_CARDS_UP_TO;
    document.getElementById("summary-wrap").className = status.symbols.length > 1 ? "" : "hidden";
    if (many && !status.symbols.some((s) => s.symbol === selected))
      selected = status.symbols[0] ? status.symbols[0].symbol : null;
    const seen = {};
    for (const s of status.symbols) {
      seen[s.symbol] = true;
      renderRow(s);
      if (!many || s.symbol === selected) renderCard(s);
    }
    for (const name of Object.keys(cards)) {
      if (!seen[name] || (many && name !== selected)) {
        cards[name].remove();
        delete cards[name];
      }
    }
    for (const name of Object.keys(rows)) {
      if (!seen[name]) {
        rows[name].remove();
        delete rows[name];
      }
    }
    for (const name of Object.keys(series)) if (!seen[name]) delete series[name];
    document.title = `${synthetic ? "[SYNTHETIC] " : ""}${status.symbols
      .slice(0, 4)
      .map((s) => `${s.symbol} ${s.price ? s.price.value : "-"}`)
      .join(" \u00b7 ")} \u2014 mm-runner`;
  }

  // ------------------------------------------------------------------ the control API

  function call(method, path, body) {
    return fetch(path, {
      method,
      headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
      body: body === undefined ? undefined : JSON.stringify(body),
    }).then((r) =>
      r
        .json()
        .catch(() => ({}))
        .then((json) => {
          if (r.ok) return json;
          const error = new Error(
            json.error || (json.problems ? json.problems.join("; ") : `HTTP ${r.status}`),
          );
          error.problems = json.problems;
          error.status = r.status;
          throw error;
        }),
    );
  }

  function loadParams() {
    return call("GET", "control/params").then((json) => {
      paramsInEffect = {};
      for (const s of json.symbols) paramsInEffect[s.symbol] = s.params;
      // Rebuild the forms with what is now in effect.
      for (const name of Object.keys(cards)) cards[name].parts.controls.replaceChildren();
      if (lastStatus) render(lastStatus);
    });
  }

  document.getElementById("token-form").addEventListener("submit", (event) => {
    event.preventDefault();
    const input = document.getElementById("token");
    const error = document.getElementById("token-error");
    error.textContent = "";
    token = input.value;
    loadParams()
      .then(() => {
        document.body.classList.add("control");
        input.value = "";
        error.textContent = "";
        document.getElementById("token-state").textContent = "controls unlocked";
      })
      .catch((e) => {
        token = null;
        document.body.classList.remove("control");
        error.textContent =
          e.status === 404 ? "the control API is off (no CONTROL_TOKEN)" : e.message;
      });
  });

  const kill = document.getElementById("kill");
  const killMessage = document.getElementById("kill-message");
  kill.addEventListener("click", () => {
    // Two clicks: the kill switch must not go off by a stray click.
    if (!kill.classList.contains("armed")) {
      kill.classList.add("armed");
      kill.textContent = "click again: cancel every order";
      setTimeout(() => {
        kill.classList.remove("armed");
        kill.textContent = "kill switch";
      }, 5000);
      return;
    }
    kill.classList.remove("armed");
    kill.textContent = "kill switch";
    killMessage.textContent = "cancelling\u2026";
    call("POST", "control/cancel-all")
      .then((r) => {
        killMessage.textContent = `every symbol paused: ${r.cancelled} cancelled, ${r.alreadyGone} already gone, ${r.failed.length} not confirmed`;
        refresh();
      })
      .catch((e) => {
        killMessage.textContent = e.message;
      });
  });

  // ------------------------------------------------------------------ the live stream

  function connection(live, text) {
    const node = document.getElementById("connection");
    node.className = live ? "live" : "down";
    node.textContent = text;
  }

  function update(status) {
    sample(status);
    sampleMemory(status);
    render(status);
    drawMemory();
  }

  /**
   * The status at once, not at the next push: once the venue confirmed a pause or the kill
   * switch, the runner's status already says so, and the page shows it now.
   */
  function refresh() {
    fetch("status", { cache: "no-store" })
      .then((r) => (r.ok ? r.json() : null))
      .then((s) => {
        if (s) update(s);
      })
      .catch(() => undefined);
  }

  let polling = null;
  function poll() {
    if (polling) return;
    polling = setInterval(() => {
      fetch("status", { cache: "no-store" })
        .then((r) => {
          if (!r.ok) throw new Error(`HTTP ${r.status}`);
          return r.json();
        })
        .then((s) => {
          connection(true, "live (polling)");
          update(s);
        })
        .catch((e) => connection(false, `unreachable: ${e.message}`));
    }, 1000);
  }

  function listen() {
    if (typeof EventSource === "undefined") return poll();
    const source = new EventSource("events");
    let failures = 0;
    source.onmessage = (message) => {
      failures = 0;
      connection(true, "live");
      update(JSON.parse(message.data));
    };
    source.onerror = () => {
      failures += 1;
      connection(false, "reconnecting");
      // Some proxies break streaming: after a few failures, poll instead.
      if (failures >= 3) {
        source.close();
        poll();
      }
    };
  }

  // Keep the "... ago" texts moving between updates.
  setInterval(() => {
    for (const node of document.querySelectorAll(".age[data-at]")) {
      const at = Number(node.getAttribute("data-at"));
      if (at) node.textContent = ago(at);
    }
  }, 500);

  Promise.all([loadHistory(), loadMemoryHistory()]).then(listen);
})();

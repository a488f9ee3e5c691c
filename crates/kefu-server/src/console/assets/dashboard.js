// The statistics dashboard: figures from /api/v1/console/stats, charts drawn as SVG here
// (no library, no CDN), every text set with textContent.
"use strict";

const REASONS = {
  "customer-request": "客户要求人工", "unrecognised": "多次未识别", "repeated-question": "重复提问",
  "strong-emotion": "情绪强烈", "sensitive": "敏感事项", "low-confidence": "置信度低", "flow": "流程需人工",
};
const SVG = "http://www.w3.org/2000/svg";

function $(id) { return document.getElementById(id); }
function pct(x) { return x == null ? "–" : (x * 100).toFixed(1) + "%"; }
function cell(text) { const td = document.createElement("td"); td.textContent = text; return td; }
function row(...texts) { const tr = document.createElement("tr"); tr.append(...texts.map((t) => cell(String(t)))); return tr; }
function svg(tag, attrs) {
  const e = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, String(v));
  return e;
}

function chart(days) {
  const box = $("chart");
  const w = 700, h = 160, pad = 18;
  box.setAttribute("viewBox", `0 0 ${w} ${h}`);
  box.replaceChildren();
  const max = Math.max(1, ...days.map((d) => d.conversations));
  const slot = (w - pad) / Math.max(1, days.length);
  const bw = Math.max(2, slot / 2 - 2);
  days.forEach((d, i) => {
    const x = pad + i * slot;
    const hc = (d.conversations / max) * (h - 2 * pad);
    const hh = (d.handoffs / max) * (h - 2 * pad);
    const a = svg("rect", { x, y: h - pad - hc, width: bw, height: hc, fill: "#3b82f6" });
    const t1 = svg("title", {}); t1.textContent = `${d.day} 会话 ${d.conversations}`; a.append(t1);
    const b = svg("rect", { x: x + bw + 1, y: h - pad - hh, width: bw, height: hh, fill: "#f59e0b" });
    const t2 = svg("title", {}); t2.textContent = `${d.day} 转人工 ${d.handoffs}`; b.append(t2);
    box.append(a, b);
    if (days.length <= 31 || i % 7 === 0) {
      const label = svg("text", { x, y: h - 4, "font-size": 10, fill: "#6b7280" });
      label.textContent = d.day.slice(5);
      box.append(label);
    }
  });
  const top = svg("text", { x: 0, y: 12, "font-size": 10, fill: "#6b7280" });
  top.textContent = String(max);
  box.append(top);
}

async function load() {
  $("error").textContent = "";
  const days = $("days").value;
  const r = await fetch("/api/v1/console/stats?days=" + encodeURIComponent(days), { credentials: "same-origin", cache: "no-store" });
  if (r.status === 401) { location.href = "/console/"; return; }
  if (!r.ok) { $("error").textContent = "HTTP " + r.status; return; }
  const s = await r.json();
  $("c-conversations").textContent = s.conversations;
  $("c-resolution").textContent = pct(s.ai_resolution_rate);
  $("c-handoff").textContent = pct(s.handoff_rate);
  $("c-satisfaction").textContent = pct(s.satisfaction) + (s.ratings ? `（${s.ratings} 次评价）` : "");
  $("c-suggestions").textContent = s.suggestions_sent;
  chart(s.per_day);
  $("reasons").replaceChildren(...s.handoff_reasons.map((x) => row(REASONS[x.reason] || x.reason || "?", x.count)));
  $("top").replaceChildren(...s.top_answered.map((x) => row(x.question || x.entry, x.count)));
  $("suggested").replaceChildren(...s.top_suggested.map((x) => row(x.question || x.entry, x.count)));
  $("unanswered").replaceChildren(...s.unanswered_week.map((g) =>
    row(g.question, g.count, g.examples.filter((e) => e[0] !== g.question).map((e) => e[0] + " ×" + e[1]).join("；"))));
}

$("days").addEventListener("change", () => load().catch((e) => { $("error").textContent = e.message; }));
load().catch((e) => { $("error").textContent = e.message; });

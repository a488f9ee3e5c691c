// The agent console. Every text from customers, agents or the knowledge base goes into the
// page through textContent (the el() helper), never as HTML.
"use strict";

const API = "/api/v1/console";
const REASONS = {
  "customer-request": "客户要求人工", "unrecognised": "多次未识别", "repeated-question": "重复提问",
  "strong-emotion": "情绪强烈", "sensitive": "敏感事项（退款/隐私）", "low-confidence": "置信度低", "flow": "流程需人工",
};
const STATUS = { waiting: "排队中", active: "进行中", closed: "已结束" };

let csrf = "";
let me = null;
let tab = "waiting";
let current = null; // { id, detail, ws, messages: Map(seq → msg), pending: Map(id → content), lastSeq }
let counter = 0;
let lastTyping = 0; // when this agent last said "typing" (0: not typing)

function $(id) { return document.getElementById(id); }

function el(tag, attrs, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (k === "class") e.className = v;
    else if (k.startsWith("data-")) e.setAttribute(k, v);
    else if (k === "onclick") e.addEventListener("click", v);
    else e[k] = v;
  }
  for (const c of children) {
    if (c == null) continue;
    e.append(typeof c === "string" ? document.createTextNode(c) : c);
  }
  return e;
}

function time(t) {
  const d = new Date(t * 1000);
  return d.toLocaleString("zh-CN", { hour12: false, month: "2-digit", day: "2-digit", hour: "2-digit", minute: "2-digit" });
}

async function api(path, opts = {}) {
  const headers = Object.assign({}, opts.headers || {});
  const method = opts.method || "GET";
  if (method !== "GET") headers["X-Kefu-Csrf"] = csrf;
  let body = opts.body;
  if (opts.json !== undefined) { headers["Content-Type"] = "application/json"; body = JSON.stringify(opts.json); }
  const r = await fetch(path, { method, headers, body, credentials: "same-origin", cache: "no-store" });
  if (r.status === 401 && !path.endsWith("/login")) { showLogin(); throw new Error("请重新登录"); }
  if (!r.ok) {
    let msg = "HTTP " + r.status;
    try { msg = (await r.json()).error.message; } catch (_) { /* not JSON */ }
    throw new Error(msg);
  }
  if (r.status === 204) return null;
  const type = r.headers.get("content-type") || "";
  return type.includes("json") ? r.json() : r.text();
}

function showLogin() {
  $("app").hidden = true;
  $("login").hidden = false;
  if (current && current.ws) current.ws.close();
}

async function start() {
  try {
    const who = await api(API + "/me");
    signedIn(who);
  } catch (_) {
    showLogin();
  }
}

function signedIn(who) {
  csrf = who.csrf;
  me = who.agent;
  $("me").textContent = me.display_name + "（" + me.name + "）";
  $("login").hidden = true;
  $("app").hidden = false;
  refresh();
  loadAgents();
}

$("login-form").addEventListener("submit", async (ev) => {
  ev.preventDefault();
  const f = ev.target;
  $("login-error").textContent = "";
  try {
    const who = await api(API + "/login", { method: "POST", json: { name: f.name.value, password: f.password.value } });
    f.password.value = "";
    signedIn(who);
  } catch (e) {
    $("login-error").textContent = e.message;
  }
});

$("logout").addEventListener("click", async () => {
  try { await api(API + "/logout", { method: "POST" }); } catch (_) { /* signed out anyway */ }
  showLogin();
});

for (const b of document.querySelectorAll(".tabs button")) {
  b.addEventListener("click", () => {
    tab = b.dataset.tab;
    for (const o of document.querySelectorAll(".tabs button")) o.classList.toggle("on", o === b);
    $("conv").hidden = tab === "left" || !current;
    $("left").hidden = tab !== "left";
    $("empty").hidden = tab === "left" || !!current;
    refresh();
  });
}
$("show-handled").addEventListener("change", refresh);

async function loadAgents() {
  const { agents } = await api(API + "/agents");
  const sel = $("transfer-to");
  sel.replaceChildren(el("option", { value: "" }, "转接给…"));
  for (const a of agents) if (a.name !== me.name) sel.append(el("option", { value: a.name }, a.display_name + "（" + a.name + "）"));
}

async function refresh() {
  try {
    const [w, a, left] = await Promise.all([
      api(API + "/conversations?status=waiting"),
      api(API + "/conversations?status=active"),
      api(API + "/left-messages"),
    ]);
    $("n-waiting").textContent = w.conversations.length;
    $("n-active").textContent = a.conversations.filter((c) => c.mine).length + "/" + a.conversations.length;
    $("n-left").textContent = left.messages.length;
    if (tab === "left") {
      renderLeft($("show-handled").checked ? (await api(API + "/left-messages?handled=true")).messages : left.messages);
      $("list").replaceChildren();
    } else {
      const list = tab === "waiting" ? w : tab === "active" ? a : await api(API + "/conversations?status=closed");
      renderList(list.conversations);
    }
  } catch (_) { /* shown on the next refresh */ }
}

function renderList(convs) {
  const ul = $("list");
  ul.replaceChildren(...convs.map((c) => el("li", {
    class: current && current.id === c.id ? "sel" : "", "data-testid": "conversation-" + c.id, onclick: () => open(c.id),
  },
  el("div", { class: "who" }, c.user || "访客", " · ", REASONS[c.reason] || c.reason),
  el("div", {}, c.preview || ""),
  el("div", { class: "meta" }, time(c.created_at), c.agent ? " · " + c.agent + (c.mine ? "（我）" : "") : ""))));
  if (!convs.length) ul.append(el("li", { class: "muted" }, "没有会话"));
}

function renderLeft(msgs) {
  $("left-list").replaceChildren(...msgs.map((m) => el("li", { "data-testid": "left-" + m.id },
    el("div", { class: "who" }, m.contact, " · ", time(m.created_at)),
    el("div", {}, m.question),
    m.handoff && m.handoff.reason ? el("div", { class: "meta muted" }, "原因：", REASONS[m.handoff.reason] || m.handoff.reason) : null,
    m.handled_at
      ? el("div", { class: "muted" }, "已处理 ", time(m.handled_at), m.handled_by ? " · " + m.handled_by : "")
      : el("button", { type: "button", "data-testid": "handled-" + m.id, onclick: async () => {
        await api(API + "/left-messages/" + encodeURIComponent(m.id) + "/handled", { method: "POST" });
        refresh();
      } }, "标记为已处理"))));
  if (!msgs.length) $("left-list").append(el("li", { class: "muted" }, "没有留言"));
}

async function open(id) {
  if (current && current.ws) { current.closing = true; current.ws.close(); }
  const detail = await api(API + "/conversations/" + encodeURIComponent(id));
  current = { id, detail, messages: new Map(), pending: new Map(), lastSeq: 0, ws: null, retry: 0 };
  for (const m of detail.messages) { current.messages.set(m.seq, m); current.lastSeq = Math.max(current.lastSeq, m.seq); }
  $("empty").hidden = true;
  $("conv").hidden = false;
  $("left").hidden = true;
  renderContext(detail);
  renderMessages();
  connect(current);
  suggest();
  refresh();
}

/** A slot's value; a flow's photo (its upload reference) as a link that opens it. */
function slotValue(v) {
  if (!/^upl-[a-z]{26,64}$/.test(v)) return v;
  return el("a", { href: "/api/v1/console/uploads/" + v, target: "_blank", rel: "noopener", "data-testid": "slot-photo" }, "查看照片");
}

function renderContext(d) {
  $("conv-title").textContent = (d.user || "访客") + " · " + d.id;
  const h = d.handoff || {};
  $("ctx-reason").textContent = REASONS[d.reason] || d.reason;
  $("ctx-detail").textContent = h.detail || "";
  $("ctx-user").textContent = (d.user ? "已验证用户 " + d.user : "匿名访客") + (d.locale ? " · " + d.locale : "") + (d.page_url ? " · " + d.page_url : "");
  $("ctx-slots").replaceChildren(...(h.slots || []).map((s) => el("li", {}, el("strong", {}, s.name), "：", slotValue(s.value))));
  if (!(h.slots || []).length) $("ctx-slots").append(el("li", { class: "muted" }, "无"));
  $("ctx-entries").textContent = (h.entries_tried || []).join("、") || "无";
  $("ctx-transcript").replaceChildren(...(h.transcript || []).map((l) => el("li", {},
    el("span", { class: "speaker" }, l.speaker === "customer" ? "客户" : "机器人"), l.text)));
  updateStatus(d.status, d.mine);
}

function updateStatus(status, mine) {
  current.detail.status = status;
  current.detail.mine = mine;
  $("conv-status").textContent = STATUS[status] + (status === "active" ? (mine ? " · 我在处理" : " · " + (current.detail.agent || "其他客服")) : "");
  $("claim").hidden = status !== "waiting";
  const canAct = status === "active" && mine;
  $("transfer").hidden = $("transfer-to").hidden = $("close").hidden = !canAct;
  $("reply").disabled = !canAct;
  $("reply").placeholder = canAct ? "回复客户…" : status === "waiting" ? "先点“接入”再回复" : "";
}

function messageItem(m, pending) {
  const who = m.from === "agent" ? (m.agent || "客服") : m.from === "customer" ? "客户" : "系统";
  let body;
  if (m.content.kind === "image") {
    body = el("img", { alt: "图片", src: API + "/conversations/" + encodeURIComponent(current.id) + "/images/" + encodeURIComponent(m.content.image) });
  } else {
    body = el("span", { class: "text" }, m.content.text);
  }
  return el("li", { class: m.from + (pending ? " pending" : ""), "data-testid": "message" }, el("span", { class: "from" }, who), body);
}

function renderMessages() {
  const ol = $("messages");
  const items = [...current.messages.values()].sort((a, b) => a.seq - b.seq).map((m) => messageItem(m, false));
  const shown = new Set([...current.messages.values()].filter((m) => m.from === "agent").map((m) => m.id));
  for (const [id, content] of current.pending) if (!shown.has(id)) items.push(messageItem({ from: "agent", agent: me.display_name, content }, true));
  ol.replaceChildren(...items);
  ol.lastElementChild && ol.lastElementChild.scrollIntoView({ block: "end" });
}

function connect(conv) {
  const proto = location.protocol === "https:" ? "wss:" : "ws:";
  const ws = new WebSocket(proto + "//" + location.host + API + "/conversations/" + encodeURIComponent(conv.id) + "/ws");
  conv.ws = ws;
  ws.addEventListener("open", () => {
    conv.retry = 0;
    ws.send(JSON.stringify({ type: "resume", after_seq: conv.lastSeq }));
    for (const [id, content] of conv.pending) ws.send(JSON.stringify({ type: "send", id, content }));
  });
  ws.addEventListener("message", (ev) => {
    if (conv !== current) return;
    let f;
    try { f = JSON.parse(ev.data); } catch (_) { return; }
    onFrame(conv, f);
  });
  ws.addEventListener("close", () => {
    if (conv !== current || conv.closing) return;
    conv.retry = Math.min(conv.retry + 1, 5);
    setTimeout(() => { if (conv === current) connect(conv); }, 500 * conv.retry);
  });
}

let typingTimer = null;
function onFrame(conv, f) {
  switch (f.type) {
    case "message":
      if (!conv.messages.has(f.seq)) {
        conv.messages.set(f.seq, f);
        conv.lastSeq = Math.max(conv.lastSeq, f.seq);
        if (f.from === "agent") conv.pending.delete(f.id);
        renderMessages();
        if (f.from === "customer") { suggest(); $("typing").hidden = true; }
      }
      break;
    case "ack":
      conv.pending.delete(f.id);
      renderMessages();
      break;
    case "typing":
      $("typing").hidden = !f.typing;
      clearTimeout(typingTimer);
      if (f.typing) typingTimer = setTimeout(() => { $("typing").hidden = true; }, 6000);
      break;
    case "agent-joined":
      conv.detail.agent = f.agent.name;
      api(API + "/conversations/" + encodeURIComponent(conv.id)).then((d) => { if (conv === current) updateStatus(d.status, d.mine); });
      refresh();
      break;
    case "closed":
      updateStatus("closed", false);
      refresh();
      break;
    case "error":
      $("reply-error").textContent = f.error.message;
      break;
    default:
      break;
  }
}

function newId() {
  counter += 1;
  const r = crypto.getRandomValues(new Uint32Array(2));
  return "a-" + r[0].toString(36) + r[1].toString(36) + "-" + counter;
}

function sendContent(content) {
  if (!current) return;
  const id = newId();
  current.pending.set(id, content);
  renderMessages();
  if (current.ws && current.ws.readyState === WebSocket.OPEN) {
    current.ws.send(JSON.stringify({ type: "send", id, content }));
    if (lastTyping) current.ws.send(JSON.stringify({ type: "typing", typing: false }));
  }
  lastTyping = 0;
}

$("reply-form").addEventListener("submit", (ev) => {
  ev.preventDefault();
  const text = $("reply").value.trim();
  $("reply-error").textContent = "";
  if (!text) return;
  sendContent({ kind: "text", text });
  $("reply").value = "";
});
$("reply").addEventListener("keydown", (ev) => {
  if (ev.key === "Enter" && !ev.shiftKey) { ev.preventDefault(); $("reply-form").requestSubmit(); }
});
$("reply").addEventListener("input", () => {
  const now = Date.now();
  if (current && current.ws && current.ws.readyState === WebSocket.OPEN && now - lastTyping > 2000) {
    lastTyping = now;
    current.ws.send(JSON.stringify({ type: "typing", typing: true }));
  }
});

$("image").addEventListener("change", async (ev) => {
  const file = ev.target.files[0];
  ev.target.value = "";
  if (!file || !current) return;
  $("reply-error").textContent = "";
  try {
    const r = await api(API + "/conversations/" + encodeURIComponent(current.id) + "/images", {
      method: "POST", body: file, headers: { "Content-Type": file.type || "application/octet-stream" },
    });
    sendContent({ kind: "image", image: r.image });
  } catch (e) {
    $("reply-error").textContent = e.message;
  }
});

$("claim").addEventListener("click", async () => {
  try {
    await api(API + "/conversations/" + encodeURIComponent(current.id) + "/claim", { method: "POST" });
    current.detail.agent = me.display_name;
    updateStatus("active", true);
    refresh();
  } catch (e) { $("reply-error").textContent = e.message; }
});
$("transfer").addEventListener("click", async () => {
  const to = $("transfer-to").value;
  if (!to) return;
  try {
    await api(API + "/conversations/" + encodeURIComponent(current.id) + "/transfer", { method: "POST", json: { agent: to } });
    updateStatus("active", false);
    refresh();
  } catch (e) { $("reply-error").textContent = e.message; }
});
$("close").addEventListener("click", async () => {
  try {
    await api(API + "/conversations/" + encodeURIComponent(current.id) + "/close", { method: "POST" });
    updateStatus("closed", false);
    refresh();
  } catch (e) { $("reply-error").textContent = e.message; }
});

async function suggest() {
  if (!current) return;
  const conv = current;
  try {
    const s = await api(API + "/conversations/" + encodeURIComponent(conv.id) + "/suggestions");
    if (conv !== current) return;
    $("sugg-question").textContent = s.question ? "客户：" + s.question : "";
    $("suggestions").replaceChildren(...s.suggestions.map((x) => el("li", { "data-testid": "suggestion" },
      el("div", { class: "q" }, x.question),
      el("div", { class: "a" }, x.answer),
      el("button", { type: "button", "data-testid": "use-suggestion", onclick: () => {
        if (!(current.detail.status === "active" && current.detail.mine)) { $("reply-error").textContent = "先接入会话"; return; }
        sendContent({ kind: "text", text: x.answer });
        api(API + "/conversations/" + encodeURIComponent(conv.id) + "/suggestions/used", { method: "POST", json: { entry: x.entry } }).catch(() => {});
      } }, "一键发送"))));
    if (!s.suggestions.length) $("suggestions").append(el("li", { class: "muted" }, "没有合适的答案"));
  } catch (_) { /* no suggestions */ }
}

setInterval(() => { if (!$("app").hidden) refresh(); }, 3000);
start();

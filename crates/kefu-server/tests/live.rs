//! The live conversation end to end, against the real `kefu-server` binary on 127.0.0.1:
//!
//! 1. a customer hands off, waits in the queue, an agent (signed in through the console's
//!    API) claims — the customer behind moves up one place — and both talk over WebSocket;
//! 2. the customer's connection dies mid-conversation with a message unacknowledged, the
//!    agent goes on writing, the customer reconnects, resumes from its last `seq` and
//!    resends: every message arrives exactly once on both sides;
//! 3. the same across two instances sharing PostgreSQL (`KEFU_TEST_DATABASE_URL`), the
//!    customer on one and the agent on the other, including after `kill -9` of the
//!    customer's instance.

use std::collections::{BTreeMap, HashMap};
use std::io::{BufRead as _, BufReader, Write as _};
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use futures_util::{SinkExt as _, StreamExt as _};
use kefu_protocol::handoff::HandoffCreated;
use kefu_protocol::ws::{ClientFrame, LiveMessage, MessageContent, ServerFrame};
use kefu_protocol::Sender;
use serde_json::json;
use tokio_tungstenite::tungstenite::client::IntoClientRequest as _;
use tokio_tungstenite::tungstenite::Message;

const BIN: &str = env!("CARGO_BIN_EXE_kefu-server");

struct Server {
    child: Child,
    addr: String,
}

impl Server {
    fn start(db: &str) -> Server {
        let mut child = Command::new(BIN)
            .args(["--listen", "127.0.0.1:0", "--database-url", db])
            .env("KEFU_LOG", "warn")
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("kefu-server starts");
        let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
        let addr = loop {
            let line = lines.next().expect("a start line").expect("stdout");
            if let Some(rest) = line.split("listening on http://").nth(1) {
                break rest.split('/').next().unwrap().to_string();
            }
        };
        // Keep reading so the server never blocks on a full pipe.
        std::thread::spawn(move || for _ in lines {});
        Server { child, addr }
    }

    fn url(&self, path: &str) -> String {
        format!("http://{}{path}", self.addr)
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn add_agent(db: &str, name: &str, display: &str) {
    let mut child = Command::new(BIN)
        .args([
            "agent",
            "add",
            "--database-url",
            db,
            name,
            "--display-name",
            display,
            "--password-stdin",
            "--replace",
        ])
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(b"correct horse battery\n")
        .unwrap();
    assert!(child.wait().unwrap().success(), "agent add");
}

struct AgentSession {
    cookie: String,
    csrf: String,
}

async fn login(http: &reqwest::Client, server: &Server, name: &str) -> AgentSession {
    let r = http
        .post(server.url("/api/v1/console/login"))
        .header("origin", format!("http://{}", server.addr))
        .json(&json!({ "name": name, "password": "correct horse battery" }))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let cookie = r.headers()["set-cookie"]
        .to_str()
        .unwrap()
        .split(';')
        .next()
        .unwrap()
        .to_string();
    let body: serde_json::Value = r.json().await.unwrap();
    AgentSession {
        cookie,
        csrf: body["csrf"].as_str().unwrap().to_string(),
    }
}

async fn handoff(http: &reqwest::Client, server: &Server) -> HandoffCreated {
    let r = http
        .post(server.url("/api/v1/handoff"))
        .json(&json!({ "handoff": {
            "reason": "customer-request", "detail": "转人工", "at": 1_795_000_000,
            "transcript": [{"speaker": "customer", "text": "我要退货，电话13812345678", "at": 1_795_000_000}],
            "slots": [{"name": "order", "value": "123456"}], "entries_tried": ["return"],
            "flow": null, "emotion": null }, "locale": "zh-CN" }))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 201, "{:?}", r.text().await);
    r.json().await.unwrap()
}

type Ws =
    tokio_tungstenite::WebSocketStream<tokio_tungstenite::MaybeTlsStream<tokio::net::TcpStream>>;

/// One side of the conversation and everything it has seen.
struct Peer {
    ws: Option<Ws>,
    /// Message frames received per seq (must end at exactly 1 each).
    received: HashMap<u64, usize>,
    messages: BTreeMap<u64, LiveMessage>,
    acked: HashMap<String, u64>,
    frames: Vec<ServerFrame>,
}

impl Peer {
    async fn connect(url: &str, headers: &[(&str, String)]) -> Peer {
        let mut req = url.into_client_request().unwrap();
        for (k, v) in headers {
            let name =
                tokio_tungstenite::tungstenite::http::HeaderName::from_bytes(k.as_bytes()).unwrap();
            req.headers_mut().insert(name, v.parse().unwrap());
        }
        let (ws, _) = tokio_tungstenite::connect_async(req)
            .await
            .expect("websocket connects");
        Peer {
            ws: Some(ws),
            received: HashMap::new(),
            messages: BTreeMap::new(),
            acked: HashMap::new(),
            frames: vec![],
        }
    }

    async fn reconnect(&mut self, url: &str, headers: &[(&str, String)]) {
        let fresh = Peer::connect(url, headers).await;
        self.ws = fresh.ws;
    }

    async fn send(&mut self, frame: &ClientFrame) {
        let json = serde_json::to_string(frame).unwrap();
        self.ws
            .as_mut()
            .expect("connected")
            .send(Message::Text(json.into()))
            .await
            .unwrap();
    }

    async fn say(&mut self, id: &str, text: &str) {
        self.send(&ClientFrame::Send {
            id: id.into(),
            content: MessageContent::Text { text: text.into() },
        })
        .await;
    }

    fn last_seq(&self) -> u64 {
        self.messages.keys().next_back().copied().unwrap_or(0)
    }

    /// Reads frames until `done` holds (or fails after 10 s).
    async fn until(&mut self, what: &str, done: impl Fn(&Peer) -> bool) {
        let deadline = tokio::time::Instant::now() + Duration::from_secs(10);
        while !done(self) {
            let next =
                tokio::time::timeout_at(deadline, self.ws.as_mut().expect("connected").next())
                    .await;
            let msg = match next {
                Ok(Some(Ok(m))) => m,
                Ok(other) => panic!("connection ended waiting for {what}: {other:?}"),
                Err(_) => panic!("timed out waiting for {what}; frames: {:?}", self.frames),
            };
            let Message::Text(text) = msg else { continue };
            let frame: ServerFrame = serde_json::from_str(text.as_str()).unwrap();
            match &frame {
                ServerFrame::Message(m) => {
                    *self.received.entry(m.seq).or_default() += 1;
                    self.messages.insert(m.seq, m.clone());
                }
                ServerFrame::Ack { id, seq } => {
                    self.acked.insert(id.clone(), *seq);
                }
                _ => {}
            }
            self.frames.push(frame);
        }
    }

    fn has(&self, from: Sender, id: &str) -> bool {
        self.messages.values().any(|m| m.from == from && m.id == id)
    }

    fn assert_exactly_once(&self, who: &str, expected: &[(Sender, &str)]) {
        for (seq, n) in &self.received {
            assert_eq!(*n, 1, "{who} got seq {seq} {n} times");
        }
        let mut ids: Vec<(Sender, String)> = self
            .messages
            .values()
            .map(|m| (m.from, m.id.clone()))
            .collect();
        ids.sort_by(|a, b| a.1.cmp(&b.1));
        let mut want: Vec<(Sender, String)> =
            expected.iter().map(|(s, i)| (*s, i.to_string())).collect();
        want.sort_by(|a, b| a.1.cmp(&b.1));
        assert_eq!(ids, want, "{who}'s messages");
        let seqs: Vec<u64> = self.messages.keys().copied().collect();
        assert_eq!(
            seqs,
            (1..=expected.len() as u64).collect::<Vec<_>>(),
            "{who}: gapless seqs"
        );
    }
}

fn text_of(m: &LiveMessage) -> &str {
    match &m.content {
        MessageContent::Text { text } => text,
        MessageContent::Image { .. } => "",
    }
}

/// The whole scenario; `customer_server` and `agent_server` may be the same process.
/// `kill_customer_server`: after the drop, kill -9 the customer's instance and reconnect
/// to `fallback`.
async fn scenario(
    db: &str,
    customer_server: &mut Server,
    agent_server: &Server,
    fallback: Option<&Server>,
    agent: &str,
) {
    let http = reqwest::Client::new();
    let created = handoff(&http, customer_server).await;
    assert!(created.queue.position >= 1);
    let cws = |s: &Server| {
        format!(
            "ws://{}{}?token={}",
            s.addr, created.ws_url, created.customer_token
        )
    };
    let mut customer = Peer::connect(&cws(customer_server), &[]).await;
    customer
        .until("welcome and queue", |p| {
            p.frames
                .iter()
                .any(|f| matches!(f, ServerFrame::Queue(q) if q.position >= 1))
        })
        .await;

    // A second customer waits behind the first and moves up when the first is claimed.
    let behind = handoff(&http, customer_server).await;
    let mut waiting = Peer::connect(
        &format!(
            "ws://{}{}?token={}",
            customer_server.addr, behind.ws_url, behind.customer_token
        ),
        &[],
    )
    .await;
    waiting
        .until("queue", |p| {
            p.frames.iter().any(|f| matches!(f, ServerFrame::Queue(_)))
        })
        .await;
    let place = |p: &Peer| {
        p.frames.iter().rev().find_map(|f| match f {
            ServerFrame::Queue(q) => Some(q.position),
            _ => None,
        })
    };
    let before = place(&waiting).unwrap();
    assert!(before >= 2, "behind the first: {before}");

    let session = login(&http, agent_server, agent).await;
    let origin = format!("http://{}", agent_server.addr);
    // The console's list shows the conversation with its handoff context (masked).
    let list: serde_json::Value = http
        .get(agent_server.url("/api/v1/console/conversations?status=waiting"))
        .header("cookie", &session.cookie)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let row = list["conversations"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["id"] == created.conversation.as_str())
        .expect("listed");
    assert_eq!(row["reason"], "customer-request");
    assert!(
        !row["preview"].as_str().unwrap().contains("13812345678"),
        "masked: {row}"
    );
    // Without the CSRF header a claim is refused.
    let r = http
        .post(agent_server.url(&format!(
            "/api/v1/console/conversations/{}/claim",
            created.conversation
        )))
        .header("cookie", &session.cookie)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 403);
    let r = http
        .post(agent_server.url(&format!(
            "/api/v1/console/conversations/{}/claim",
            created.conversation
        )))
        .header("cookie", &session.cookie)
        .header("x-kefu-csrf", &session.csrf)
        .header("origin", &origin)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 204);
    customer
        .until("agent joined", |p| {
            p.frames
                .iter()
                .any(|f| matches!(f, ServerFrame::AgentJoined { .. }))
        })
        .await;
    waiting
        .until("moved up", |p| place(p) == Some(before - 1))
        .await;

    let aws = format!(
        "ws://{}/api/v1/console/conversations/{}/ws",
        agent_server.addr, created.conversation
    );
    let agent_headers = [
        ("cookie", session.cookie.clone()),
        ("origin", origin.clone()),
    ];
    let mut agent_peer = Peer::connect(&aws, &agent_headers).await;
    agent_peer
        .until("welcome", |p| {
            p.frames
                .iter()
                .any(|f| matches!(f, ServerFrame::Welcome { .. }))
        })
        .await;

    // Talk: c1..c4 and a1..a4, interleaved; one agent message is markup, kept as text.
    for i in 1..=4 {
        let cid = format!("c{i}");
        customer.say(&cid, &format!("customer {i}")).await;
        customer.until("ack", |p| p.acked.contains_key(&cid)).await;
        let aid = format!("a{i}");
        let text = if i == 2 {
            "<script>alert(1)</script>".to_string()
        } else {
            format!("agent {i}")
        };
        agent_peer.say(&aid, &text).await;
        agent_peer
            .until("ack", |p| p.acked.contains_key(&aid))
            .await;
        customer
            .until("agent message", |p| p.has(Sender::Agent, &aid))
            .await;
    }
    customer.send(&ClientFrame::Typing { typing: true }).await;
    agent_peer
        .until("typing", |p| {
            p.frames.iter().any(|f| {
                matches!(
                    f,
                    ServerFrame::Typing {
                        from: Sender::Customer,
                        typing: true
                    }
                )
            })
        })
        .await;
    let script = customer.messages.values().find(|m| m.id == "a2").unwrap();
    assert_eq!(text_of(script), "<script>alert(1)</script>");

    // The customer writes c5 and the connection dies before the ack is read.
    customer.say("c5", "customer 5, maybe lost").await;
    let seen = customer.last_seq();
    // Dropped without a close frame: the TCP connection just ends.
    drop(customer.ws.take());
    let mut next_server = &*customer_server;
    if let Some(fb) = fallback {
        // kill -9 the customer's instance.
        customer_server.child.kill().unwrap();
        customer_server.child.wait().unwrap();
        next_server = fb;
    }
    // Meanwhile the agent writes on.
    for aid in ["a5", "a6"] {
        agent_peer
            .say(aid, &format!("agent while you were away {aid}"))
            .await;
        agent_peer.until("ack", |p| p.acked.contains_key(aid)).await;
    }
    // Reconnect, resume, resend what was not acknowledged, go on.
    customer.reconnect(&cws(next_server), &[]).await;
    customer
        .send(&ClientFrame::Resume { after_seq: seen })
        .await;
    customer.say("c5", "customer 5, maybe lost").await;
    customer.say("c6", "customer 6").await;
    customer
        .until("everything", |p| {
            p.acked.contains_key("c5")
                && p.acked.contains_key("c6")
                && p.has(Sender::Agent, "a6")
                && p.has(Sender::Customer, "c6")
        })
        .await;
    agent_peer
        .until("customer's last", |p| p.has(Sender::Customer, "c6"))
        .await;
    // A second resend of c5 is acknowledged with the same seq, never stored again.
    let c5 = customer.acked["c5"];
    customer.acked.remove("c5");
    customer.say("c5", "customer 5, maybe lost").await;
    customer
        .until("ack again", |p| p.acked.contains_key("c5"))
        .await;
    assert_eq!(customer.acked["c5"], c5);

    let expected: Vec<(Sender, &str)> = [
        (Sender::Customer, "c1"),
        (Sender::Customer, "c2"),
        (Sender::Customer, "c3"),
        (Sender::Customer, "c4"),
        (Sender::Customer, "c5"),
        (Sender::Customer, "c6"),
        (Sender::Agent, "a1"),
        (Sender::Agent, "a2"),
        (Sender::Agent, "a3"),
        (Sender::Agent, "a4"),
        (Sender::Agent, "a5"),
        (Sender::Agent, "a6"),
    ]
    .to_vec();
    customer.assert_exactly_once("customer", &expected);
    agent_peer.assert_exactly_once("agent", &expected);

    // The console's view from the database agrees.
    let detail: serde_json::Value = http
        .get(agent_server.url(&format!(
            "/api/v1/console/conversations/{}",
            created.conversation
        )))
        .header("cookie", &session.cookie)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(detail["messages"].as_array().unwrap().len(), expected.len());
    assert_eq!(detail["handoff"]["slots"][0]["name"], "order");
    let _ = db;

    // The agent closes; the customer hears it.
    let r = http
        .post(agent_server.url(&format!(
            "/api/v1/console/conversations/{}/close",
            created.conversation
        )))
        .header("cookie", &session.cookie)
        .header("x-kefu-csrf", &session.csrf)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 204);
    customer
        .until("closed", |p| {
            p.frames
                .iter()
                .any(|f| matches!(f, ServerFrame::Closed { by: Sender::Agent }))
        })
        .await;
}

#[tokio::test]
async fn customer_and_agent_over_websocket_nothing_lost_nothing_twice() {
    let dir = tempfile::tempdir().unwrap();
    let db = format!("sqlite://{}", dir.path().join("kefu.db").display());
    // Migrate and create the agent before the server starts.
    add_agent(&db, "alice", "小爱");
    let mut server = Server::start(&db);
    let same = Server {
        child: Command::new("true").spawn().unwrap(),
        addr: server.addr.clone(),
    };
    scenario(&db, &mut server, &same, None, "alice").await;
}

#[tokio::test]
async fn two_instances_on_postgres_share_conversations_even_after_kill_9() {
    let Ok(db) = std::env::var("KEFU_TEST_DATABASE_URL") else {
        eprintln!("KEFU_TEST_DATABASE_URL not set: the PostgreSQL test is skipped (scripts/test.sh sets it)");
        return;
    };
    let agent = format!("pg{}", std::process::id());
    add_agent(&db, &agent, "小王");
    let mut a = Server::start(&db);
    let b = Server::start(&db);
    let c = Server::start(&db);
    // Customer on A, agent on B; A is killed and the customer comes back through C.
    scenario(&db, &mut a, &b, Some(&c), &agent).await;
}

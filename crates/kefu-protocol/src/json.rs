//! A small JSON reader and writer for exactly the protocol's types that a browser client
//! sends and receives, for clients that cannot afford serde_json: in the widget's
//! WebAssembly, serde_json, serde's buffering of internally tagged enums and the float
//! formatting behind serde_json's errors were about 37 KB gzipped (the module shrank by 43 KB
//! without them); this codec is about 8 KB (`docs/benchmarks.md`). It writes
//! [`ClientFrame`], [`HandoffRequest`], [`LeaveMessageRequest`] and [`EventBatch`], and reads
//! [`ServerFrame`], [`OrderResponse`], [`HandoffCreated`] and [`ErrorBody`]: a field added to
//! one of those types needs its line here too (the tests fail until it has one).
//! `kefu-server` keeps serde_json and the serde derives; the two are byte-compatible, which
//! the tests below check against serde_json itself:
//!
//! - [`to_string`] writes exactly what `serde_json::to_string` writes for the same value
//!   (field order, `null` for absent `Option`s unless the field is skipped, the same string
//!   escapes: `\"`, `\\`, `\b \f \n \r \t`, other control characters as lower-case `\u00XX`,
//!   everything else as UTF-8);
//! - [`from_str`] reads whatever serde_json reads into the same value: fields in any order,
//!   unknown fields ignored, a missing or `null` optional field as `None`, unknown enum
//!   values where the type has a catch-all ([`ServerFrame::Unknown`],
//!   [`ErrorCode::Unknown`], [`TimelineStage::Other`]), all escapes including surrogate
//!   pairs; and rejects what serde_json rejects (malformed JSON, lone surrogates, control
//!   characters in strings, trailing characters, wrong types, out-of-range or fractional
//!   integers, duplicate fields, more than 127 levels of nesting). It never panics.
//!
//! Deliberate differences, none of which the server produces: a struct written as a JSON
//! array (serde accepts the fields in order) and an enum value written as serde's
//! `{"variant": null}` map are refused.
//!
//! ```
//! use kefu_protocol::json;
//! use kefu_protocol::ws::{ClientFrame, ServerFrame};
//! assert_eq!(json::to_string(&ClientFrame::Ack { seq: 7 }), r#"{"type":"ack","seq":7}"#);
//! let frame: ServerFrame = json::from_str(r#"{"type":"ack","id":"c-1","seq":7}"#).unwrap();
//! assert_eq!(frame, ServerFrame::Ack { id: "c-1".into(), seq: 7 });
//! ```

use std::fmt;

use kefu_core::dialogue::emotion::EmotionKind;
use kefu_core::dialogue::handoff::SlotValue;
use kefu_core::dialogue::reply::LeftMessage;
use kefu_core::dialogue::transcript::{Speaker, TranscriptLine};
use kefu_core::dialogue::{Handoff, HandoffReason, OrderStatus};

use crate::error::{ErrorBody, ErrorCode, ErrorDetail};
use crate::events::{Event, EventBatch, EventKind};
use crate::handoff::{HandoffCreated, HandoffRequest, LeaveMessageRequest};
use crate::orders::{OrderResponse, TimelineEvent, TimelineStage};
use crate::ws::{AgentInfo, ClientFrame, LiveMessage, MessageContent, ServerFrame};
use crate::{QueueStatus, Sender, UserIdentity};

/// Why a text is not the value asked for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Error(String);

impl Error {
    fn new(what: &str) -> Error {
        Error(what.to_string())
    }

    /// The same error, said to be in field `key`.
    fn within(mut self, key: &str) -> Error {
        self.0 = format!("{key}: {}", self.0);
        self
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for Error {}

type Result<T> = std::result::Result<T, Error>;

/// A parsed JSON value. Numbers keep only what the protocol needs: integers.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    Null,
    Bool(bool),
    /// An integer's sign and magnitude; `abs` is `None` for a number with a fraction or an
    /// exponent, or too large for a `u64` (valid JSON, but never an integer field's value).
    Number {
        negative: bool,
        abs: Option<u64>,
    },
    String(String),
    Array(Vec<Value>),
    Object(Fields),
}

/// A JSON object's members in their order.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Fields(Vec<(String, Value)>);

/// More levels of nesting than this are refused (as serde_json does), so no input can
/// overflow the stack.
const MAX_DEPTH: u32 = 127;

/// Parses a whole JSON text (surrounding whitespace allowed, nothing else after it).
pub fn parse(text: &str) -> Result<Value> {
    let mut p = Parser {
        text,
        bytes: text.as_bytes(),
        at: 0,
        depth: 0,
    };
    let value = p.value()?;
    p.space();
    if p.at < p.bytes.len() {
        return Err(p.error("trailing characters"));
    }
    Ok(value)
}

/// Reads a value of `T` from a JSON text.
pub fn from_str<T: FromJson>(text: &str) -> Result<T> {
    T::from_json(parse(text)?)
}

/// Writes `value` as compact JSON.
pub fn to_string<T: ToJson + ?Sized>(value: &T) -> String {
    let mut out = String::new();
    value.write_json(&mut out);
    out
}

struct Parser<'a> {
    text: &'a str,
    bytes: &'a [u8],
    at: usize,
    depth: u32,
}

impl Parser<'_> {
    fn error(&self, what: &str) -> Error {
        Error(format!("{what} at byte {}", self.at))
    }

    fn space(&mut self) {
        while let Some(b' ' | b'\t' | b'\n' | b'\r') = self.bytes.get(self.at) {
            self.at += 1;
        }
    }

    fn peek(&self) -> Option<u8> {
        self.bytes.get(self.at).copied()
    }

    fn eat(&mut self, b: u8) -> bool {
        let yes = self.peek() == Some(b);
        self.at += usize::from(yes);
        yes
    }

    fn value(&mut self) -> Result<Value> {
        self.space();
        match self.peek() {
            Some(b'{') => self.nested(true),
            Some(b'[') => self.nested(false),
            Some(b'"') => {
                self.at += 1;
                self.string().map(Value::String)
            }
            Some(b't') => self.literal("true", Value::Bool(true)),
            Some(b'f') => self.literal("false", Value::Bool(false)),
            Some(b'n') => self.literal("null", Value::Null),
            Some(b'-' | b'0'..=b'9') => self.number(),
            Some(_) => Err(self.error("expected a value")),
            None => Err(self.error("unexpected end")),
        }
    }

    fn literal(&mut self, word: &str, value: Value) -> Result<Value> {
        if self.bytes[self.at..].starts_with(word.as_bytes()) {
            self.at += word.len();
            Ok(value)
        } else {
            Err(self.error("expected a value"))
        }
    }

    /// An object (`{` … `}`) or an array (`[` … `]`), the opening byte not yet taken.
    fn nested(&mut self, object: bool) -> Result<Value> {
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            return Err(self.error("nested too deeply"));
        }
        self.at += 1;
        let close = if object { b'}' } else { b']' };
        let mut members = Vec::new();
        let mut items = Vec::new();
        self.space();
        if !self.eat(close) {
            loop {
                if object {
                    self.space();
                    if !self.eat(b'"') {
                        return Err(self.error("expected a key"));
                    }
                    let key = self.string()?;
                    self.space();
                    if !self.eat(b':') {
                        return Err(self.error("expected `:`"));
                    }
                    members.push((key, self.value()?));
                } else {
                    items.push(self.value()?);
                }
                self.space();
                if self.eat(close) {
                    break;
                }
                if !self.eat(b',') {
                    return Err(self.error("expected `,` or the end"));
                }
            }
        }
        self.depth -= 1;
        Ok(if object {
            Value::Object(Fields(members))
        } else {
            Value::Array(items)
        })
    }

    /// A string's contents, its opening quote taken.
    fn string(&mut self) -> Result<String> {
        let mut out = String::new();
        let mut start = self.at;
        loop {
            let Some(b) = self.peek() else {
                return Err(self.error("unterminated string"));
            };
            match b {
                b'"' | b'\\' => {
                    // Both are ASCII, so `start..at` is on character boundaries.
                    out.push_str(&self.text[start..self.at]);
                    self.at += 1;
                    if b == b'"' {
                        return Ok(out);
                    }
                    self.escape(&mut out)?;
                    start = self.at;
                }
                0..=0x1f => return Err(self.error("control character in a string")),
                _ => self.at += 1,
            }
        }
    }

    /// One escape, its backslash taken.
    fn escape(&mut self, out: &mut String) -> Result<()> {
        let Some(b) = self.peek() else {
            return Err(self.error("unterminated string"));
        };
        self.at += 1;
        let c = match b {
            b'"' => '"',
            b'\\' => '\\',
            b'/' => '/',
            b'b' => '\u{8}',
            b'f' => '\u{c}',
            b'n' => '\n',
            b'r' => '\r',
            b't' => '\t',
            b'u' => {
                let first = self.hex4()?;
                let code = match first {
                    0xd800..=0xdbff => {
                        if !(self.eat(b'\\') && self.eat(b'u')) {
                            return Err(self.error("lone surrogate"));
                        }
                        let second = self.hex4()?;
                        if !(0xdc00..=0xdfff).contains(&second) {
                            return Err(self.error("lone surrogate"));
                        }
                        0x10000 + ((first - 0xd800) << 10) + (second - 0xdc00)
                    }
                    0xdc00..=0xdfff => return Err(self.error("lone surrogate")),
                    _ => first,
                };
                char::from_u32(code).ok_or_else(|| self.error("bad escape"))?
            }
            _ => return Err(self.error("bad escape")),
        };
        out.push(c);
        Ok(())
    }

    fn hex4(&mut self) -> Result<u32> {
        let mut n = 0;
        for _ in 0..4 {
            let digit = self
                .peek()
                .and_then(|b| char::from(b).to_digit(16))
                .ok_or_else(|| self.error("bad escape"))?;
            n = n * 16 + digit;
            self.at += 1;
        }
        Ok(n)
    }

    /// `-? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)?`
    fn number(&mut self) -> Result<Value> {
        let negative = self.eat(b'-');
        let mut abs = Some(0u64);
        match self.peek() {
            Some(b'0') => self.at += 1,
            Some(b'1'..=b'9') => {
                while let Some(d @ b'0'..=b'9') = self.peek() {
                    abs = abs
                        .and_then(|n| n.checked_mul(10))
                        .and_then(|n| n.checked_add(u64::from(d - b'0')));
                    self.at += 1;
                }
            }
            _ => return Err(self.error("bad number")),
        }
        if self.eat(b'.') {
            abs = None;
            self.digits()?;
        }
        if self.eat(b'e') || self.eat(b'E') {
            abs = None;
            let _ = self.eat(b'+') || self.eat(b'-');
            self.digits()?;
        }
        Ok(Value::Number { negative, abs })
    }

    fn digits(&mut self) -> Result<()> {
        let from = self.at;
        while let Some(b'0'..=b'9') = self.peek() {
            self.at += 1;
        }
        if self.at == from {
            return Err(self.error("bad number"));
        }
        Ok(())
    }
}

impl Value {
    /// The members of an object.
    pub fn into_fields(self) -> Result<Fields> {
        match self {
            Value::Object(fields) => Ok(fields),
            _ => Err(Error::new("expected an object")),
        }
    }

    /// An integer in `min..=max`, or a non-negative one up to `max` when `min` is 0.
    fn integer(&self, min: i64, max: u64) -> Result<i64> {
        let wrong = || Err(Error::new("expected an integer in range"));
        match *self {
            Value::Number {
                negative: false,
                abs: Some(n),
            } if n <= max => Ok(n as i64),
            // serde_json reads `-0` as a float, so no integer field takes it.
            Value::Number {
                negative: true,
                abs: Some(n),
            } if n > 0 && n <= min.unsigned_abs() => Ok((n as i64).wrapping_neg()),
            _ => wrong(),
        }
    }
}

impl Fields {
    /// Takes the value of member `key`, if present; a second member of that name is an
    /// error (as serde's derives say for known fields).
    pub fn take(&mut self, key: &str) -> Result<Option<Value>> {
        let mut found = self.0.iter_mut().filter(|(k, _)| k == key);
        let Some((_, value)) = found.next() else {
            return Ok(None);
        };
        let value = std::mem::replace(value, Value::Null);
        if found.next().is_some() {
            return Err(Error(format!("duplicate field `{key}`")));
        }
        Ok(Some(value))
    }

    /// The value of member `key` as a `T` (for an `Option`, absent is `None`).
    pub fn get<T: FromJson>(&mut self, key: &str) -> Result<T> {
        let value = self.member(key, T::OPTIONAL)?;
        T::from_json(value).map_err(|e| e.within(key))
    }

    /// Member `key`'s value; absent is `null` if `optional`, else an error. (Not generic, so
    /// that each type read costs only its own conversion.)
    fn member(&mut self, key: &str, optional: bool) -> Result<Value> {
        match self.take(key)? {
            Some(value) => Ok(value),
            None if optional => Ok(Value::Null),
            None => Err(Error(format!("missing field `{key}`"))),
        }
    }
}

/// Read from a JSON value the way serde's derives read it from serde_json.
pub trait FromJson: Sized {
    fn from_json(value: Value) -> Result<Self>;

    /// Whether a missing field reads as `null` (`Option`: `None`).
    const OPTIONAL: bool = false;
}

/// Written as JSON the way serde's derives write it through serde_json.
pub trait ToJson {
    fn write_json(&self, out: &mut String);
}

impl FromJson for Value {
    fn from_json(value: Value) -> Result<Value> {
        Ok(value)
    }
}

impl FromJson for String {
    fn from_json(value: Value) -> Result<String> {
        match value {
            Value::String(s) => Ok(s),
            _ => Err(Error::new("expected a string")),
        }
    }
}

impl FromJson for bool {
    fn from_json(value: Value) -> Result<bool> {
        match value {
            Value::Bool(b) => Ok(b),
            _ => Err(Error::new("expected a boolean")),
        }
    }
}

impl FromJson for u64 {
    fn from_json(value: Value) -> Result<u64> {
        match value {
            Value::Number {
                negative: false,
                abs: Some(n),
            } => Ok(n),
            _ => Err(Error::new("expected an unsigned integer")),
        }
    }
}

impl FromJson for u32 {
    fn from_json(value: Value) -> Result<u32> {
        value.integer(0, u32::MAX.into()).map(|n| n as u32)
    }
}

impl FromJson for i64 {
    fn from_json(value: Value) -> Result<i64> {
        value.integer(i64::MIN, i64::MAX as u64)
    }
}

impl<T: FromJson> FromJson for Option<T> {
    fn from_json(value: Value) -> Result<Option<T>> {
        match value {
            Value::Null => Ok(None),
            value => T::from_json(value).map(Some),
        }
    }

    const OPTIONAL: bool = true;
}

impl<T: FromJson> FromJson for Vec<T> {
    fn from_json(value: Value) -> Result<Vec<T>> {
        match value {
            Value::Array(items) => items.into_iter().map(T::from_json).collect(),
            _ => Err(Error::new("expected an array")),
        }
    }
}

impl ToJson for str {
    fn write_json(&self, out: &mut String) {
        out.push('"');
        let mut start = 0;
        for (i, b) in self.bytes().enumerate() {
            let short = match b {
                b'"' => '"',
                b'\\' => '\\',
                0x08 => 'b',
                0x0c => 'f',
                b'\n' => 'n',
                b'\r' => 'r',
                b'\t' => 't',
                0..=0x1f => 'u',
                _ => continue,
            };
            // Every escaped byte is ASCII, so `start..i` is on character boundaries.
            out.push_str(&self[start..i]);
            out.push('\\');
            out.push(short);
            if short == 'u' {
                const HEX: &[u8; 16] = b"0123456789abcdef";
                out.push_str("00");
                out.push(char::from(HEX[usize::from(b >> 4)]));
                out.push(char::from(HEX[usize::from(b & 15)]));
            }
            start = i + 1;
        }
        out.push_str(&self[start..]);
        out.push('"');
    }
}

impl ToJson for String {
    fn write_json(&self, out: &mut String) {
        self.as_str().write_json(out);
    }
}

impl ToJson for bool {
    fn write_json(&self, out: &mut String) {
        out.push_str(if *self { "true" } else { "false" });
    }
}

/// Decimal digits without `core::fmt`.
fn write_u64(mut n: u64, out: &mut String) {
    let mut digits = [0u8; 20];
    let mut i = digits.len();
    loop {
        i -= 1;
        digits[i] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    out.extend(digits[i..].iter().map(|&d| char::from(d)));
}

impl ToJson for u64 {
    fn write_json(&self, out: &mut String) {
        write_u64(*self, out);
    }
}

impl ToJson for i64 {
    fn write_json(&self, out: &mut String) {
        if *self < 0 {
            out.push('-');
        }
        write_u64(self.unsigned_abs(), out);
    }
}

impl<T: ToJson> ToJson for Option<T> {
    fn write_json(&self, out: &mut String) {
        match self {
            Some(value) => value.write_json(out),
            None => out.push_str("null"),
        }
    }
}

impl<T: ToJson> ToJson for [T] {
    fn write_json(&self, out: &mut String) {
        out.push('[');
        for (i, item) in self.iter().enumerate() {
            if i > 0 {
                out.push(',');
            }
            item.write_json(out);
        }
        out.push(']');
    }
}

impl<T: ToJson> ToJson for Vec<T> {
    fn write_json(&self, out: &mut String) {
        self.as_slice().write_json(out);
    }
}

/// Writes an object's members in order.
struct Object<'a> {
    out: &'a mut String,
    first: bool,
}

impl Object<'_> {
    fn new(out: &mut String) -> Object<'_> {
        out.push('{');
        Object { out, first: true }
    }

    fn key(&mut self, key: &str) -> &mut String {
        if !self.first {
            self.out.push(',');
        }
        self.first = false;
        self.out.push('"');
        self.out.push_str(key);
        self.out.push_str("\":");
        self.out
    }

    fn field<T: ToJson + ?Sized>(&mut self, key: &str, value: &T) -> &mut Self {
        value.write_json(self.key(key));
        self
    }

    /// `skip_serializing_if = "Option::is_none"`.
    fn some<T: ToJson>(&mut self, key: &str, value: &Option<T>) -> &mut Self {
        if let Some(value) = value {
            self.field(key, value);
        }
        self
    }

    fn end(&mut self) {
        self.out.push('}');
    }
}

/// Unit enum variants spelled as their codes.
macro_rules! codes {
    ($($ty:ty { $($variant:ident = $code:literal),* $(,)? } $(else $other:ident)?;)*) => {$(
        impl ToJson for $ty {
            fn write_json(&self, out: &mut String) {
                let code = match self {
                    $(<$ty>::$variant => $code,)*
                    $(<$ty>::$other => "other",)?
                };
                code.write_json(out);
            }
        }

        impl FromJson for $ty {
            fn from_json(value: Value) -> Result<$ty> {
                let code = String::from_json(value)?;
                Ok(match code.as_str() {
                    $($code => <$ty>::$variant,)*
                    $(_ => <$ty>::$other,)?
                    #[allow(unreachable_patterns)]
                    _ => return Err(Error(format!("unknown variant `{code}`"))),
                })
            }
        }
    )*};
}

codes! {
    Sender { Customer = "customer", Agent = "agent", Bot = "bot", System = "system" };
    Speaker { Customer = "customer", Bot = "bot" };
    EmotionKind { Anger = "anger", Anxiety = "anxiety", Urgency = "urgency" };
    HandoffReason {
        CustomerRequest = "customer-request",
        Unrecognised = "unrecognised",
        RepeatedQuestion = "repeated-question",
        StrongEmotion = "strong-emotion",
        Sensitive = "sensitive",
        LowConfidence = "low-confidence",
        Flow = "flow",
    };
    OrderStatus {
        PendingPayment = "pending-payment",
        Unshipped = "unshipped",
        Shipped = "shipped",
        Delivered = "delivered",
        Cancelled = "cancelled",
        Refunding = "refunding",
        Refunded = "refunded",
    };
    TimelineStage {
        Ordered = "ordered",
        Paid = "paid",
        Shipped = "shipped",
        InTransit = "in-transit",
        OutForDelivery = "out-for-delivery",
        Delivered = "delivered",
        Cancelled = "cancelled",
        RefundRequested = "refund-requested",
        Refunded = "refunded",
    } else Other;
}

impl FromJson for ErrorCode {
    fn from_json(value: Value) -> Result<ErrorCode> {
        let code = String::from_json(value)?;
        Ok(ErrorCode::ALL
            .into_iter()
            .find(|c| c.as_str() == code)
            .unwrap_or(ErrorCode::Unknown))
    }
}

impl ToJson for ErrorCode {
    fn write_json(&self, out: &mut String) {
        self.as_str().write_json(out);
    }
}

// ---- Client → server ----

impl ToJson for UserIdentity {
    fn write_json(&self, out: &mut String) {
        Object::new(out)
            .field("id", &self.id)
            .field("hash", &self.hash)
            .end();
    }
}

impl ToJson for MessageContent {
    fn write_json(&self, out: &mut String) {
        let mut o = Object::new(out);
        match self {
            MessageContent::Text { text } => o.field("kind", "text").field("text", text),
            MessageContent::Image { image } => o.field("kind", "image").field("image", image),
        }
        .end();
    }
}

impl ToJson for ClientFrame {
    fn write_json(&self, out: &mut String) {
        let mut o = Object::new(out);
        match self {
            ClientFrame::Send { id, content } => o
                .field("type", "send")
                .field("id", id)
                .field("content", content),
            ClientFrame::Typing { typing } => o.field("type", "typing").field("typing", typing),
            ClientFrame::Ack { seq } => o.field("type", "ack").field("seq", seq),
            ClientFrame::Resume { after_seq } => {
                o.field("type", "resume").field("after_seq", after_seq)
            }
            ClientFrame::Close => o.field("type", "close"),
        }
        .end();
    }
}

impl ToJson for TranscriptLine {
    fn write_json(&self, out: &mut String) {
        Object::new(out)
            .field("speaker", &self.speaker)
            .field("text", &self.text)
            .field("at", &self.at)
            .end();
    }
}

impl ToJson for SlotValue {
    fn write_json(&self, out: &mut String) {
        Object::new(out)
            .field("name", &self.name)
            .field("value", &self.value)
            .end();
    }
}

impl ToJson for Handoff {
    fn write_json(&self, out: &mut String) {
        Object::new(out)
            .field("reason", &self.reason)
            .field("detail", &self.detail)
            .field("at", &self.at)
            .field("transcript", &self.transcript)
            .field("slots", &self.slots)
            .field("entries_tried", &self.entries_tried)
            .field("flow", &self.flow)
            .field("emotion", &self.emotion)
            .end();
    }
}

impl ToJson for LeftMessage {
    fn write_json(&self, out: &mut String) {
        Object::new(out)
            .field("contact", &self.contact)
            .field("question", &self.question)
            .field("reply_after", &self.reply_after)
            .field("handoff", &self.handoff)
            .end();
    }
}

impl ToJson for HandoffRequest {
    fn write_json(&self, out: &mut String) {
        Object::new(out)
            .field("handoff", &self.handoff)
            .some("user", &self.user)
            .some("locale", &self.locale)
            .some("page_url", &self.page_url)
            .end();
    }
}

impl ToJson for LeaveMessageRequest {
    fn write_json(&self, out: &mut String) {
        Object::new(out)
            .field("message", &self.message)
            .some("user", &self.user)
            .some("locale", &self.locale)
            .end();
    }
}

impl ToJson for Event {
    fn write_json(&self, out: &mut String) {
        let mut o = Object::new(out);
        o.field("at", &self.at);
        match &self.kind {
            EventKind::Opened => o.field("type", "opened"),
            EventKind::Answered { entry } => o.field("type", "answered").field("entry", entry),
            EventKind::Clarify { entries } => o.field("type", "clarify").field("entries", entries),
            EventKind::Fallback { text } => o.field("type", "fallback").field("text", text),
            EventKind::Handoff { reason } => o.field("type", "handoff").field("reason", reason),
            EventKind::Rating { satisfied, reason } => o
                .field("type", "rating")
                .field("satisfied", satisfied)
                .some("reason", reason),
        }
        .end();
    }
}

impl ToJson for EventBatch {
    fn write_json(&self, out: &mut String) {
        Object::new(out)
            .some("visit", &self.visit)
            .some("kb_version", &self.kb_version)
            .field("events", &self.events)
            .end();
    }
}

// ---- Server → client ----

impl FromJson for QueueStatus {
    fn from_json(value: Value) -> Result<QueueStatus> {
        queue(&mut value.into_fields()?)
    }
}

fn queue(f: &mut Fields) -> Result<QueueStatus> {
    Ok(QueueStatus {
        position: f.get("position")?,
        expected_wait_secs: f.get("expected_wait_secs")?,
    })
}

impl FromJson for ErrorDetail {
    fn from_json(value: Value) -> Result<ErrorDetail> {
        let mut f = value.into_fields()?;
        Ok(ErrorDetail {
            code: f.get("code")?,
            message: f.get("message")?,
        })
    }
}

impl FromJson for ErrorBody {
    fn from_json(value: Value) -> Result<ErrorBody> {
        Ok(ErrorBody {
            error: value.into_fields()?.get("error")?,
        })
    }
}

impl FromJson for HandoffCreated {
    fn from_json(value: Value) -> Result<HandoffCreated> {
        let mut f = value.into_fields()?;
        Ok(HandoffCreated {
            conversation: f.get("conversation")?,
            customer_token: f.get("customer_token")?,
            ws_url: f.get("ws_url")?,
            queue: f.get("queue")?,
        })
    }
}

impl FromJson for TimelineEvent {
    fn from_json(value: Value) -> Result<TimelineEvent> {
        let mut f = value.into_fields()?;
        Ok(TimelineEvent {
            stage: f.get("stage")?,
            at: f.get("at")?,
            // `#[serde(default)]`: absent is empty (but `null` is not a string).
            text: match f.take("text")? {
                Some(text) => String::from_json(text).map_err(|e| e.within("text"))?,
                None => String::new(),
            },
        })
    }
}

impl FromJson for OrderResponse {
    fn from_json(value: Value) -> Result<OrderResponse> {
        let mut f = value.into_fields()?;
        Ok(OrderResponse {
            order_no: f.get("order_no")?,
            status: f.get("status")?,
            status_text: f.get("status_text")?,
            carrier: f.get("carrier")?,
            tracking_no: f.get("tracking_no")?,
            eta: f.get("eta")?,
            timeline: f.get("timeline")?,
            items: f.get("items")?,
        })
    }
}

impl FromJson for MessageContent {
    fn from_json(value: Value) -> Result<MessageContent> {
        let mut f = value.into_fields()?;
        let kind: String = f.get("kind")?;
        match kind.as_str() {
            "text" => Ok(MessageContent::Text {
                text: f.get("text")?,
            }),
            "image" => Ok(MessageContent::Image {
                image: f.get("image")?,
            }),
            _ => Err(Error(format!("unknown variant `{kind}`"))),
        }
    }
}

impl FromJson for AgentInfo {
    fn from_json(value: Value) -> Result<AgentInfo> {
        Ok(AgentInfo {
            name: value.into_fields()?.get("name")?,
        })
    }
}

impl FromJson for ServerFrame {
    fn from_json(value: Value) -> Result<ServerFrame> {
        let mut f = value.into_fields()?;
        let kind: String = f.get("type")?;
        Ok(match kind.as_str() {
            "welcome" => ServerFrame::Welcome {
                conversation: f.get("conversation")?,
                last_seq: f.get("last_seq")?,
                protocol: f.get("protocol")?,
            },
            "message" => ServerFrame::Message(LiveMessage {
                seq: f.get("seq")?,
                id: f.get("id")?,
                from: f.get("from")?,
                agent: f.get("agent")?,
                content: f.get("content")?,
                at: f.get("at")?,
            }),
            "ack" => ServerFrame::Ack {
                id: f.get("id")?,
                seq: f.get("seq")?,
            },
            "queue" => ServerFrame::Queue(queue(&mut f)?),
            "agent-joined" => ServerFrame::AgentJoined {
                agent: f.get("agent")?,
            },
            "agent-left" => ServerFrame::AgentLeft {
                agent: f.get("agent")?,
            },
            "typing" => ServerFrame::Typing {
                from: f.get("from")?,
                typing: f.get("typing")?,
            },
            "closed" => ServerFrame::Closed { by: f.get("by")? },
            "error" => ServerFrame::Error {
                error: f.get("error")?,
            },
            _ => ServerFrame::Unknown,
        })
    }
}

#[cfg(test)]
mod tests;

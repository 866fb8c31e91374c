//! A small JSON reader for the API's answers and the runtime config, and writer for the
//! bodies the console sends.
//!
//! serde's derived decoders were the largest avoidable cost in the wasm (docs/size-log.md):
//! each response type got its own generated state machine. Answers are small and read once,
//! so one plain parser into a [`Json`] tree, and a few typed getters, do the same job.
//! Numbers are kept as their text: the API's numbers are whole (cents, ids, months), and
//! parsing floats would pull float parsing into the wasm.

/// A parsed JSON value.
#[derive(Clone, Debug, PartialEq)]
pub enum Json {
    /// `null`.
    Null,
    /// `true` or `false`.
    Bool(bool),
    /// A number, as written.
    Num(String),
    /// A string, unescaped.
    Str(String),
    /// An array.
    Arr(Vec<Json>),
    /// An object, keys in the order given.
    Obj(Vec<(String, Json)>),
}

/// Deepest nesting accepted; a hostile body can't exhaust the stack.
const MAX_DEPTH: u32 = 64;

impl Json {
    /// Parses a whole document; `None` when it is not valid JSON.
    pub fn parse(text: &str) -> Option<Json> {
        let mut p = Parser {
            s: text.as_bytes(),
            i: 0,
        };
        let value = p.value(0)?;
        p.space();
        (p.i == p.s.len()).then_some(value)
    }

    /// The value under `key` of an object (`None` for other values, missing keys and null).
    pub fn get(&self, key: &str) -> Option<&Json> {
        match self {
            Json::Obj(fields) => fields
                .iter()
                .find(|(k, _)| k == key)
                .map(|(_, v)| v)
                .filter(|v| **v != Json::Null),
            _ => None,
        }
    }

    /// This value as text: strings as they are, numbers as written.
    pub fn text(&self) -> Option<&str> {
        match self {
            Json::Str(s) | Json::Num(s) => Some(s),
            _ => None,
        }
    }

    /// The string (or number, as written) under `key`; `None` when it is missing, null or
    /// of another type. Decoders read a required field with `?`, so that a misspelled name
    /// fails the decoder's test rather than reading as empty, and say an optional field's
    /// default where they read it.
    pub fn string(&self, key: &str) -> Option<String> {
        self.get(key).and_then(Json::text).map(str::to_string)
    }

    /// The whole number under `key` (a JSON number or a numeric string).
    pub fn int(&self, key: &str) -> Option<i64> {
        self.get(key)?.text()?.parse().ok()
    }

    /// The boolean under `key`; anything else is false.
    pub fn flag(&self, key: &str) -> bool {
        matches!(self.get(key), Some(Json::Bool(true)))
    }

    /// The elements of an array (empty for other values).
    pub fn items(&self) -> &[Json] {
        match self {
            Json::Arr(items) => items,
            _ => &[],
        }
    }

    /// The fields of an object (empty for other values).
    pub fn fields(&self) -> &[(String, Json)] {
        match self {
            Json::Obj(fields) => fields,
            _ => &[],
        }
    }

    /// An object of string fields, the shape of every body the console sends; `None`
    /// values are left out.
    pub fn obj(fields: &[(&str, Option<&str>)]) -> Json {
        Json::Obj(
            fields
                .iter()
                .filter_map(|(k, v)| Some((k.to_string(), Json::Str((*v)?.to_string()))))
                .collect(),
        )
    }

    /// The value as JSON text. Written by hand for the same reason it is read by hand: the
    /// derived serialisers cost more wasm than the handful of bodies they wrote.
    pub fn to_text(&self) -> String {
        let mut out = String::new();
        self.write(&mut out);
        out
    }

    fn write(&self, out: &mut String) {
        match self {
            Json::Null => out.push_str("null"),
            Json::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
            Json::Num(n) => out.push_str(n),
            Json::Str(s) => write_str(s, out),
            Json::Arr(items) => {
                out.push('[');
                for (i, item) in items.iter().enumerate() {
                    if i > 0 {
                        out.push(',');
                    }
                    item.write(out);
                }
                out.push(']');
            }
            Json::Obj(fields) => {
                out.push('{');
                for (i, (k, v)) in fields.iter().enumerate() {
                    if i > 0 {
                        out.push(',');
                    }
                    write_str(k, out);
                    out.push(':');
                    v.write(out);
                }
                out.push('}');
            }
        }
    }
}

/// A JSON string: quotes, backslashes and control characters escaped; the rest as UTF-8.
fn write_str(s: &str, out: &mut String) {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            c if (c as u32) < 0x20 => {
                out.push_str("\\u00");
                out.push(HEX[c as usize >> 4] as char);
                out.push(HEX[c as usize & 15] as char);
            }
            c => out.push(c),
        }
    }
    out.push('"');
}

struct Parser<'a> {
    s: &'a [u8],
    i: usize,
}

impl Parser<'_> {
    fn space(&mut self) {
        while matches!(self.s.get(self.i), Some(b' ' | b'\t' | b'\n' | b'\r')) {
            self.i += 1;
        }
    }

    fn eat(&mut self, b: u8) -> bool {
        self.space();
        let hit = self.s.get(self.i) == Some(&b);
        if hit {
            self.i += 1;
        }
        hit
    }

    fn word(&mut self, w: &str, v: Json) -> Option<Json> {
        let end = self.i + w.len();
        (self.s.get(self.i..end) == Some(w.as_bytes())).then(|| {
            self.i = end;
            v
        })
    }

    fn value(&mut self, depth: u32) -> Option<Json> {
        if depth > MAX_DEPTH {
            return None;
        }
        self.space();
        match *self.s.get(self.i)? {
            b'n' => self.word("null", Json::Null),
            b't' => self.word("true", Json::Bool(true)),
            b'f' => self.word("false", Json::Bool(false)),
            b'"' => self.string().map(Json::Str),
            b'[' => {
                self.i += 1;
                let mut items = Vec::new();
                if !self.eat(b']') {
                    loop {
                        items.push(self.value(depth + 1)?);
                        if self.eat(b']') {
                            break;
                        }
                        if !self.eat(b',') {
                            return None;
                        }
                    }
                }
                Some(Json::Arr(items))
            }
            b'{' => {
                self.i += 1;
                let mut fields = Vec::new();
                if !self.eat(b'}') {
                    loop {
                        self.space();
                        let key = self.string()?;
                        if !self.eat(b':') {
                            return None;
                        }
                        fields.push((key, self.value(depth + 1)?));
                        if self.eat(b'}') {
                            break;
                        }
                        if !self.eat(b',') {
                            return None;
                        }
                    }
                }
                Some(Json::Obj(fields))
            }
            b'-' | b'0'..=b'9' => self.number(),
            _ => None,
        }
    }

    fn number(&mut self) -> Option<Json> {
        let start = self.i;
        // The shape JSON allows: -?digits(.digits)?([eE][+-]?digits)?
        if self.s.get(self.i) == Some(&b'-') {
            self.i += 1;
        }
        let digits = |p: &mut Self| {
            let from = p.i;
            while p.s.get(p.i).is_some_and(u8::is_ascii_digit) {
                p.i += 1;
            }
            p.i > from
        };
        if !digits(self) {
            return None;
        }
        if self.s.get(self.i) == Some(&b'.') {
            self.i += 1;
            if !digits(self) {
                return None;
            }
        }
        if matches!(self.s.get(self.i), Some(b'e' | b'E')) {
            self.i += 1;
            if matches!(self.s.get(self.i), Some(b'+' | b'-')) {
                self.i += 1;
            }
            if !digits(self) {
                return None;
            }
        }
        let text = std::str::from_utf8(&self.s[start..self.i]).ok()?;
        Some(Json::Num(text.to_string()))
    }

    fn hex4(&mut self) -> Option<u32> {
        let h = std::str::from_utf8(self.s.get(self.i..self.i + 4)?).ok()?;
        self.i += 4;
        u32::from_str_radix(h, 16).ok()
    }

    fn string(&mut self) -> Option<String> {
        if self.s.get(self.i) != Some(&b'"') {
            return None;
        }
        self.i += 1;
        let mut out = Vec::new();
        loop {
            let b = *self.s.get(self.i)?;
            self.i += 1;
            match b {
                b'"' => return String::from_utf8(out).ok(),
                b'\\' => {
                    let e = *self.s.get(self.i)?;
                    self.i += 1;
                    let c = match e {
                        b'"' => '"',
                        b'\\' => '\\',
                        b'/' => '/',
                        b'b' => '\u{8}',
                        b'f' => '\u{c}',
                        b'n' => '\n',
                        b'r' => '\r',
                        b't' => '\t',
                        b'u' => {
                            let hi = self.hex4()?;
                            let code = if (0xD800..0xDC00).contains(&hi) {
                                // A surrogate pair spells one character beyond the BMP.
                                if self.s.get(self.i..self.i + 2) != Some(b"\\u") {
                                    return None;
                                }
                                self.i += 2;
                                let lo = self.hex4()?;
                                if !(0xDC00..0xE000).contains(&lo) {
                                    return None;
                                }
                                0x10000 + ((hi - 0xD800) << 10) + (lo - 0xDC00)
                            } else {
                                hi
                            };
                            char::from_u32(code)?
                        }
                        _ => return None,
                    };
                    let mut buf = [0; 4];
                    out.extend_from_slice(c.encode_utf8(&mut buf).as_bytes());
                }
                // Raw control characters are not allowed inside JSON strings.
                0..=0x1f => return None,
                _ => out.push(b),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_what_the_api_sends() {
        let j = Json::parse(
            r#" {"data":{"email":"a@b.co","tier":"FREE","credit_cents":-1250,
                "mfa_enabled":true,"size":0.5,"none":null,"list":[1, "x", {}],
                "esc":"q\"\\\/\n\u00e9\ud83d\ude00"}} "#,
        )
        .unwrap();
        let d = j.get("data").unwrap();
        assert_eq!(d.string("email").as_deref(), Some("a@b.co"));
        assert_eq!(d.int("credit_cents"), Some(-1250));
        assert!(d.flag("mfa_enabled"));
        assert!(!d.flag("tier"));
        assert_eq!(d.string("size").as_deref(), Some("0.5"));
        assert_eq!(d.int("size"), None);
        assert_eq!(d.get("none"), None);
        assert_eq!(d.string("missing"), None);
        assert_eq!(d.get("list").unwrap().items().len(), 3);
        assert_eq!(d.string("esc").as_deref(), Some("q\"\\/\né😀"));
        assert_eq!(j.fields().len(), 1);
    }

    #[test]
    fn writes_what_it_reads() {
        let body = Json::obj(&[
            ("email", Some("a\"b\\c\nd\u{1}é😀")),
            ("skip", None),
            ("uuid", Some("")),
        ]);
        let text = body.to_text();
        assert_eq!(text, r#"{"email":"a\"b\\c\nd\u0001é😀","uuid":""}"#);
        assert_eq!(Json::parse(&text), Some(body));
        assert_eq!(Json::obj(&[]).to_text(), "{}");
        let mixed = r#"{"id":12,"ok":[true,false,null],"x":{}}"#;
        assert_eq!(Json::parse(mixed).unwrap().to_text(), mixed);
    }

    #[test]
    fn refuses_what_is_not_json() {
        for bad in [
            "",
            " ",
            "{",
            "}",
            "[1,]",
            "{\"a\":}",
            "{\"a\" 1}",
            "{a:1}",
            "'x'",
            "01x",
            "1.",
            "-",
            "1e",
            "\"\\x\"",
            "\"\u{1}\"",
            "\"\\ud83d\"",
            "nul",
            "true false",
            "<html>",
        ] {
            assert_eq!(Json::parse(bad), None, "{bad:?}");
        }
        let deep = "[".repeat(100) + &"]".repeat(100);
        assert_eq!(Json::parse(&deep), None);
        let ok = "[".repeat(60) + &"]".repeat(60);
        assert!(Json::parse(&ok).is_some());
        assert_eq!(Json::parse("null"), Some(Json::Null));
        assert_eq!(Json::parse("[]"), Some(Json::Arr(vec![])));
        assert_eq!(Json::parse("{}"), Some(Json::Obj(vec![])));
    }
}

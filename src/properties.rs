//! Property tests: thousands of generated inputs through the route parser, the redirect
//! validator, the URL and JSON helpers and every form validator. Each must not panic (a
//! panic in wasm kills the page) and must keep its rule for every input, not only the
//! examples the unit tests name.
//!
//! The generator is a seeded xorshift over pieces chosen to hit the edges (separators,
//! escapes, schemes, controls, non-ASCII); a fixed seed keeps failures reproducible.

use crate::json::Json;
use crate::routing::route::in_app_route;
use crate::routing::Route;
use crate::url::{build_query, decode, encode_component, parse_query};
use crate::validate;

/// Inputs per property.
const CASES: usize = 20_000;

/// Pieces that inputs are made of: the parts of URLs and forms that parsers trip on.
const PIECES: [&str; 60] = [
    "/",
    "//",
    "\\",
    "%",
    "%2F",
    "%2f",
    "%5C",
    "%25",
    "%2",
    "%zz",
    "%00",
    "%E2%80%AE",
    "?",
    "#",
    "#/",
    "&",
    "=",
    ":",
    "@",
    ".",
    "..",
    "/./",
    "/../",
    "account",
    "login",
    "notify",
    "success",
    "signup",
    "password",
    "reset",
    "set",
    "api-key",
    "mfa",
    "next=",
    "to=",
    "msg=",
    "token=",
    "javascript:",
    "http://",
    "https:",
    "data:",
    "evil.com",
    " ",
    "\t",
    "\n",
    "\r",
    "\0",
    "\u{7f}",
    "é",
    "😀",
    "\u{202e}",
    "\u{2028}",
    "\u{200b}",
    "\u{3000}",
    "+",
    "-",
    "0",
    "1",
    "a",
    "A",
];

/// A small seeded generator (xorshift64*): no dependency, same sequence on every run.
struct Gen(u64);

impl Gen {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    /// Any character: mostly ASCII, sometimes anywhere in Unicode.
    fn char(&mut self) -> char {
        if self.below(4) > 0 {
            (self.below(0x80) as u8) as char
        } else {
            char::from_u32(self.below(0x11_0000) as u32).unwrap_or('\u{fffd}')
        }
    }

    /// A string of up to `max` pieces and random characters.
    fn text(&mut self, max: usize) -> String {
        let mut s = String::new();
        for _ in 0..self.below(max + 1) {
            if self.below(3) == 0 {
                s.push(self.char());
            } else {
                s.push_str(PIECES[self.below(PIECES.len())]);
            }
        }
        s
    }

    /// A JSON value of bounded depth.
    fn json(&mut self, depth: u32) -> Json {
        match self.below(if depth == 0 { 4 } else { 6 }) {
            0 => Json::Null,
            1 => Json::Bool(self.below(2) == 0),
            2 => Json::Num((self.next() as i64 >> self.below(60)).to_string()),
            3 => Json::Str(self.text(6)),
            4 => Json::Arr((0..self.below(4)).map(|_| self.json(depth - 1)).collect()),
            _ => Json::Obj(
                (0..self.below(4))
                    .map(|_| (self.text(3), self.json(depth - 1)))
                    .collect(),
            ),
        }
    }
}

fn cases(seed: u64, mut check: impl FnMut(&mut Gen)) {
    let mut g = Gen(seed);
    for _ in 0..CASES {
        check(&mut g);
    }
}

/// The rules every accepted redirect target keeps, whatever was typed.
fn assert_safe_target(target: &str, route: &Route) {
    let path = target.split('?').next().unwrap_or_default();
    assert!(
        path.starts_with('/') && !path.starts_with("//"),
        "{target:?}"
    );
    assert!(
        !path.contains(['\\', '%', '@', ':']) && !path.contains("/."),
        "{target:?}"
    );
    assert!(!target.chars().any(char::is_control), "{target:?}");
    assert!(!matches!(route, Route::NotFound { .. }), "{target:?}");
    assert!(route.href().starts_with("#/"), "{target:?}");
    assert!(!route.href().starts_with("#//"), "{target:?}");
}

#[test]
fn any_fragment_parses_and_formats_back_to_itself() {
    cases(1, |g| {
        let fragment = g.text(12);
        let route = Route::parse(&fragment);
        let href = route.href();
        assert_eq!(Route::parse(&href), route, "{fragment:?} -> {href:?}");
        // Whatever came in, a redirect target inside it is one of our own pages.
        let target = match &route {
            Route::Login { next: Some(r), .. } | Route::Notify { to: Some(r), .. } => Some(r),
            _ => None,
        };
        if let Some(r) = target {
            assert_safe_target(&r.path(), r);
            assert!(!matches!(**r, Route::Login { .. }) || matches!(route, Route::Notify { .. }));
        }
    });
}

#[test]
fn redirect_targets_are_in_app_or_refused() {
    let mut accepted = 0;
    cases(2, |g| {
        // Half start like a path, so that many are accepted and the rule is exercised.
        let lead = if g.below(2) == 0 { "/" } else { "" };
        let target = format!("{lead}{}", g.text(6));
        if let Some(route) = in_app_route(&target) {
            accepted += 1;
            assert_safe_target(&target, &route);
            // What we would navigate to is accepted again as is.
            assert_eq!(in_app_route(&route.path()), Some(route), "{target:?}");
        }
    });
    // The property is not vacuous: generated input does reach accepted targets.
    assert!(accepted > 100, "only {accepted} accepted");
    // Targets that arrive through a query are decoded once first, as the router does.
    cases(3, |g| {
        let query = format!("next={}", g.text(10));
        let next = parse_query(&query)
            .into_iter()
            .find(|(k, _)| k == "next")
            .map(|(_, v)| v)
            .unwrap_or_default();
        if let Some(route) = in_app_route(&next) {
            assert_safe_target(&next, &route);
        }
    });
}

/// Redirect targets an attacker would put in `next=` or `to=`: each must be refused.
#[test]
fn hostile_redirect_targets_are_refused() {
    let hostile = [
        "",
        " ",
        "account",
        "evil.com",
        "//evil.com",
        "///evil.com",
        "//evil.com/account",
        "//evil.com/%2F..",
        "/\\evil.com",
        "\\\\evil.com",
        "/\\/evil.com",
        "\\/evil.com",
        "javascript:alert(1)",
        "JavaScript:alert(1)",
        " javascript:alert(1)",
        "java\nscript:alert(1)",
        "vbscript:msgbox(1)",
        "data:text/html,<script>alert(1)</script>",
        "https://evil.com",
        "http:/evil.com",
        "https:evil.com",
        "//google.com%2F@evil.com",
        "/%2F%2Fevil.com",
        "%2F%2Fevil.com",
        "/%252F%252Fevil.com",
        "/%5Cevil.com",
        "/%5C%5Cevil.com",
        "/%09/evil.com",
        "/account%2F..%2F..",
        "/account/../../evil",
        "/./account",
        "/.evil",
        "/..",
        "/nope",
        "/ account",
        "/account\t",
        "/account\n//evil.com",
        "/account\r\n//evil.com",
        "/\u{0}account",
        "/account\u{7f}",
        "/\u{2028}account",
        "/\u{3000}evil.com",
        "/@evil.com",
        "/user@evil.com",
        "/account:80",
        "/account?x=\u{0}",
        "/account?next=\nhttps://evil.com",
        "#/account",
        "?next=/account",
        "/account/delete/../../evil",
        "/account/not-a-tab",
    ];
    assert!(hostile.len() >= 40);
    for h in hostile {
        assert_eq!(in_app_route(h), None, "{h:?}");
        // Nor does a sign-in link carrying it send anyone there.
        let login = Route::parse(&format!("#/login?next={}", encode_component(h)));
        assert_eq!(
            login,
            Route::Login {
                next: None,
                email: None
            },
            "{h:?}"
        );
    }
}

#[test]
fn url_helpers_round_trip() {
    cases(4, |g| {
        let s = g.text(8);
        assert_eq!(decode(&encode_component(&s)), s, "{s:?}");
        // Keys are the console's own names; values are anything.
        let k = ["next", "to", "email", "msg", "token"][g.below(5)];
        let v = g.text(6);
        let q = build_query(&[(k, Some(&v))]);
        if !v.is_empty() {
            assert_eq!(parse_query(&q), vec![(k.to_string(), v.clone())], "{v:?}");
        }
        // Decoding arbitrary text never panics, even on broken escapes and UTF-8.
        let _ = decode(&g.text(8));
        let _ = parse_query(&g.text(8));
    });
}

#[test]
fn json_reads_back_what_it_writes_and_never_panics() {
    cases(5, |g| {
        let value = g.json(4);
        let text = value.to_text();
        assert_eq!(Json::parse(&text).as_ref(), Some(&value), "{text}");
        let _ = Json::parse(&g.text(10));
        // Cut anywhere, a document is refused rather than misread.
        if text.len() > 1 {
            let cut = (1..text.len()).find(|i| text.is_char_boundary(*i) && g.below(3) == 0);
            if let Some(cut) = cut {
                let _ = Json::parse(&text[..cut]);
            }
        }
    });
}

#[test]
fn form_validators_keep_their_rules() {
    let mut emails = 0;
    cases(6, |g| {
        // A third are shaped like an address, so that the email rule is exercised.
        let s = match g.below(3) {
            0 => format!("{}@{}.{}", g.text(3), g.text(2), g.text(2)),
            _ => g.text(8),
        };
        if validate::email(&s).is_ok() {
            emails += 1;
            let v = s.trim();
            let (local, domain) = v.rsplit_once('@').expect("an accepted email has an @");
            assert!(!local.is_empty() && domain.contains('.'), "{s:?}");
            assert!(!v.chars().any(char::is_whitespace), "{s:?}");
            assert!(v.len() <= 254, "{s:?}");
        }
        assert_eq!(validate::current_password(&s).is_ok(), !s.is_empty());
        let n = s.chars().count();
        assert_eq!(
            validate::new_password(&s).is_ok(),
            (8..=128).contains(&n) && !s.trim().is_empty()
        );
        let other = g.text(2);
        assert_eq!(validate::password_repeat(&s, &other).is_ok(), s == other);
        assert!(validate::password_repeat(&s, &s).is_ok());
        let codes = [validate::totp_code(&s), validate::signup_code(&s)];
        for d in codes.into_iter().flatten() {
            assert!(
                d.len() == 6 && d.bytes().all(|b| b.is_ascii_digit()),
                "{s:?}"
            );
        }
        if let Some(p) = validate::promo_code(&s) {
            assert!(!p.is_empty() && p == p.trim() && !p.chars().any(|c| c.is_ascii_lowercase()));
        }
        if let Ok(e) = validate::explanation(&s) {
            assert!(e == e.trim() && (1..=1000).contains(&e.chars().count()));
        }
        let strength = validate::password_strength(&s, &other);
        assert!(strength <= 4 && (strength == 0) == (n < 8), "{s:?}");
        if let Ok(r) = validate::recovery_code(&s) {
            assert!(!r.is_empty() && r == r.trim());
        }
    });
    assert!(emails > 100, "only {emails} emails accepted");
    // Codes as people type them are accepted: digits with spaces or a dash between.
    cases(7, |g| {
        let digits: String = (0..6)
            .map(|_| char::from(b'0' + g.below(10) as u8))
            .collect();
        let typed = format!(" {} {} ", &digits[..3], &digits[3..]);
        assert_eq!(validate::totp_code(&typed).as_deref(), Ok(digits.as_str()));
        assert_eq!(validate::signup_code(&typed.replace(' ', "-")), Ok(digits));
    });
}

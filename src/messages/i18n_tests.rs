//! Locale checks: Spanish is a translation of every English message, languages are picked
//! from browser tags as documented, and no page or component holds user-facing text of its own.
//!
//! None of these switch the global language: tests run in parallel and others read [`t`].
//!
//! [`t`]: super::t

use std::path::{Path, PathBuf};

use super::{en, fill, Lang, Messages, SLOTS};

// ------------------------------------------------------------------ Spanish vs English

/// Strings that are the same in both languages: product and plan names, "Plan", "App",
/// "Total", "PDF", the pricing address and the date range's punctuation.
const SAME_IN_BOTH: [&str; 11] = [
    "title_suffix",
    "brand",
    "tier_free",
    "tier_standard",
    "plan_legend",
    "pricing_url",
    "total",
    "pdf",
    "period",
    "usage_columns.0",
    "invoice_columns.3",
];

/// Pieces of text that mean a Spanish value is still English.
const ENGLISH_MARKERS: [&str; 8] = [
    "n't", " the ", " your ", " you ", "Enter ", " and ", " with ", "Sign ",
];

fn read(relative: &str) -> String {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join(relative);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// `(key, value)` of each string line of `public/es.txt`, as translators write it.
fn spanish_lines() -> Vec<(String, String)> {
    locale_lines("public/es.txt")
}

/// `(key, value)` of each string line of a locale file.
fn locale_lines(relative: &str) -> Vec<(String, String)> {
    read(relative)
        .lines()
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .map(|l| {
            let (key, value) = l
                .split_once(" = ")
                .unwrap_or_else(|| panic!("{relative}: line without ` = `: {l:?}"));
            (key.to_string(), value.to_string())
        })
        .collect()
}

/// `es.txt` as the browser gets it: `.ci/post_build.py` keeps the values alone.
fn shipped_spanish() -> String {
    spanish_lines()
        .into_iter()
        .map(|(_, value)| value + "\n")
        .collect()
}

/// Spanish, read as the console reads it.
fn spanish() -> &'static Messages {
    Box::leak(Box::new(
        Messages::from_text(shipped_spanish().leak()).expect("es.txt holds every string"),
    ))
}

/// The strings of `m` in field order.
fn slots(m: &Messages) -> &[&'static str; SLOTS] {
    // SAFETY: the layout argument of `Messages::from_text`, checked by
    // `messages_hold_only_strings`.
    unsafe { &*(m as *const Messages).cast::<[&'static str; SLOTS]>() }
}

/// One key per string of `Messages`, from its declaration: `name`, or `name.0`… for an array
/// (`name.0.0`… for an array of arrays). Panics on a field of any other type, which
/// `Messages::from_text` could not fill.
fn declared_keys() -> Vec<String> {
    let english = read("src/messages.rs");
    let structure = &english[english.find("pub struct Messages {").expect("struct")..];
    let structure = &structure[..structure.find("\n}").expect("end of struct")];
    let mut keys = Vec::new();
    for line in structure.lines().filter(|l| l.starts_with("    pub ")) {
        let (name, ty) = line["    pub ".len()..]
            .trim_end_matches(',')
            .split_once(": ")
            .expect("field: type");
        match ty {
            "&'static str" => keys.push(name.to_string()),
            _ => {
                let (outer, inner) =
                    array_of_strings(ty).unwrap_or_else(|| panic!("`{name}: {ty}` is not strings"));
                for i in 0..outer {
                    match inner {
                        None => keys.push(format!("{name}.{i}")),
                        Some(n) => keys.extend((0..n).map(|j| format!("{name}.{i}.{j}"))),
                    }
                }
            }
        }
    }
    keys
}

/// `[&'static str; N]` → `(N, None)`, `[[&'static str; M]; N]` → `(N, Some(M))`.
fn array_of_strings(ty: &str) -> Option<(usize, Option<usize>)> {
    let body = ty.strip_prefix('[')?.strip_suffix(']')?;
    let (item, count) = body.rsplit_once("; ")?;
    let count = count.parse().ok()?;
    if item == "&'static str" {
        return Some((count, None));
    }
    match array_of_strings(item)? {
        (inner, None) => Some((count, Some(inner))),
        _ => None,
    }
}

#[test]
fn messages_hold_only_strings() {
    let keys = declared_keys();
    assert!(keys.len() > 300, "the declaration was read: {}", keys.len());
    assert_eq!(
        keys.len(),
        SLOTS,
        "no field of another type hides among the strings"
    );
    assert_eq!(
        std::mem::size_of::<Messages>(),
        SLOTS * std::mem::size_of::<&str>()
    );
    // The first, an array's and the last field land where the declaration puts them.
    let english = en();
    let en = slots(english);
    assert_eq!(en[0], english.title_suffix);
    let strength = keys
        .iter()
        .position(|k| k == "strength.0.0")
        .expect("strength");
    assert_eq!(en[strength], english.strength[0][0]);
    assert_eq!(en[strength + 7], english.strength[3][1]);
    assert_eq!(en[SLOTS - 1], english.stop_stopped);
}

#[test]
fn english_lists_every_string_in_order() {
    let keys = declared_keys();
    let english: Vec<String> = locale_lines("src/messages/en.txt")
        .into_iter()
        .map(|(k, _)| k)
        .collect();
    assert_eq!(
        english, keys,
        "en.txt has one line per string, in field order"
    );
}

#[test]
fn spanish_lists_every_string_in_order() {
    let keys = declared_keys();
    let spanish: Vec<String> = spanish_lines().into_iter().map(|(k, _)| k).collect();
    for (i, (want, got)) in keys.iter().zip(&spanish).enumerate() {
        assert_eq!(want, got, "es.txt line {} of strings", i + 1);
    }
    assert_eq!(keys.len(), spanish.len(), "es.txt has one line per string");
}

#[test]
fn a_wrong_file_is_refused() {
    let good = shipped_spanish();
    assert!(Messages::from_text(good.clone().leak()).is_some());
    let short = good.lines().skip(1).collect::<Vec<_>>().join("\n");
    assert!(Messages::from_text(short.leak()).is_none());
    let long = good.clone() + "one more\n";
    assert!(Messages::from_text(long.leak()).is_none());
    assert!(Messages::from_text("").is_none());
    assert!(Messages::from_text("<!doctype html><p>Not found</p>").is_none());
}

/// The `{0}`, `{1}`… a template holds, sorted.
fn placeholders(template: &str) -> Vec<String> {
    let mut found: Vec<String> = (0..10)
        .map(|i| format!("{{{i}}}"))
        .filter(|p| template.contains(p.as_str()))
        .collect();
    found.sort();
    found
}

#[test]
fn every_spanish_message_is_translated() {
    let keys = declared_keys();
    let (en, es) = (slots(super::en()), slots(spanish()));
    let mut untranslated = Vec::new();
    for ((key, en_value), es_value) in keys.iter().zip(en).zip(es) {
        let same = en_value == es_value;
        if same != SAME_IN_BOTH.contains(&key.as_str()) {
            untranslated.push(format!("{key}: {es_value}"));
        }
        if let Some(marker) = ENGLISH_MARKERS.iter().find(|m| es_value.contains(*m)) {
            untranslated.push(format!("{key} contains {marker:?}: {es_value}"));
        }
        if placeholders(en_value) != placeholders(es_value) {
            untranslated.push(format!("{key} has other values than English: {es_value}"));
        }
        if es_value.trim() != *es_value || es_value.is_empty() {
            untranslated.push(format!("{key} is empty or has spaces around it"));
        }
    }
    assert!(
        untranslated.is_empty(),
        "Spanish messages still in English (or wrongly different):\n{}",
        untranslated.join("\n")
    );
}

#[test]
fn templates_are_filled_in_order() {
    assert_eq!(fill("{1} then {0}", &["a", "b"]), "b then a");
    assert_eq!(fill("{0}{0}", &["x"]), "xx");
    assert_eq!(fill("no values", &[]), "no values");
    assert_eq!(fill("{ {x} {", &["v"]), "{ {x} {");
    assert_eq!(fill("missing {3}.", &["a"]), "missing .");
    assert_eq!(
        fill("{0}", &["{1}"]),
        "{1}",
        "a value is not read as a template"
    );
}

/// The sentence differs between the languages and keeps every value it was given.
fn translated(name: &str, en: String, es: String, values: &[&str]) {
    assert_ne!(en, es, "{name}");
    for v in values {
        assert!(en.contains(v), "{name}: English {en:?} lacks {v:?}");
        assert!(es.contains(v), "{name}: Spanish {es:?} lacks {v:?}");
    }
}

#[test]
fn spanish_sentences_keep_their_values() {
    let (en, es) = (super::en(), spanish());
    let mail = "ana@example.com";
    let other = "old@example.com";
    translated(
        "sign_in_title",
        en.sign_in_title.into(),
        es.sign_in_title.into(),
        &[],
    );
    translated("language", en.language.into(), es.language.into(), &[]);
    assert_eq!(es.language, "Idioma");
    translated(
        "err_server",
        en.err_server(503),
        es.err_server(503),
        &["503"],
    );
    translated(
        "err_unexpected",
        en.err_unexpected(418),
        es.err_unexpected(418),
        &["418"],
    );
    translated(
        "err_rate_limited_for",
        en.err_rate_limited_for(30),
        es.err_rate_limited_for(30),
        &["30"],
    );
    assert!(es.err_rate_limited_for(30).contains("30 segundos"));
    assert_eq!(
        es.err_rate_limited_for(1),
        "Demasiados intentos. Vuelve a intentarlo en 1 segundo."
    );
    translated(
        "reset_sent",
        fill(en.reset_sent, &[mail]),
        fill(es.reset_sent, &[mail]),
        &[mail],
    );
    translated(
        "send_again_in",
        en.send_again_in(42),
        es.send_again_in(42),
        &["42"],
    );
    translated(
        "cooldown_started",
        en.cooldown_started(42),
        es.cooldown_started(42),
        &["42"],
    );
    translated(
        "confirmation_sent",
        fill(en.confirmation_sent, &[mail]),
        fill(es.confirmation_sent, &[mail]),
        &[mail],
    );
    translated("step_of", en.step_of(2, 4), es.step_of(2, 4), &["2", "4"]);
    assert_eq!(es.step_of(2, 4), "Paso 2 de 4");
    translated(
        "review_done_lede",
        en.review_done_lede(mail),
        es.review_done_lede(mail),
        &[mail],
    );
    translated(
        "signup_code_lede",
        en.signup_code_lede(mail),
        es.signup_code_lede(mail),
        &[mail],
    );
    translated(
        "signup_code_resent",
        en.signup_code_resent(mail),
        es.signup_code_resent(mail),
        &[mail],
    );
    translated(
        "strength_label",
        en.strength_label("X"),
        es.strength_label("X"),
        &["X"],
    );
    translated(
        "promo_applied",
        en.promo_applied("WELCOME", "$5 off"),
        es.promo_applied("WELCOME", "$5 off"),
        &["WELCOME", "$5 off"],
    );
    translated(
        "google_failed",
        en.google_failed("access_denied"),
        es.google_failed("access_denied"),
        &["access_denied"],
    );
    translated(
        "mfa_seconds",
        en.mfa_seconds("30"),
        es.mfa_seconds("30"),
        &["30"],
    );
    translated(
        "codes_file_header",
        en.codes_file_header(mail, "2026-11-23"),
        es.codes_file_header(mail, "2026-11-23"),
        &[mail, "2026-11-23"],
    );
    translated(
        "email_change_sent",
        en.email_change_sent(mail, other),
        es.email_change_sent(mail, other),
        &[mail, other],
    );
    translated(
        "email_change_pending",
        en.email_change_pending(mail),
        es.email_change_pending(mail),
        &[mail],
    );
    translated(
        "ssh_key_refused",
        en.ssh_key_refused("too short"),
        es.ssh_key_refused("too short"),
        &["too short"],
    );
    translated(
        "stop_stopped",
        fill(en.stop_stopped, &["my-app"]),
        fill(es.stop_stopped, &["my-app"]),
        &["my-app"],
    );
    translated(
        "card_on_file",
        en.card_on_file("Visa", 42, 1, 2031),
        es.card_on_file("Visa", 42, 1, 2031),
        &["Visa •••• 0042", "01/2031"],
    );
    assert_eq!(en.period("1 Nov", "30 Nov"), "1 Nov\u{a0}– 30 Nov");
    assert_eq!(es.period("1 nov", "30 nov"), "1 nov\u{a0}– 30 nov");
    // The new value comes before the current one in both languages.
    let sent = es.email_change_sent(mail, other);
    assert!(sent.find(mail) < sent.find(other), "{sent}");
}

// ------------------------------------------------------------------ picking a language

#[test]
fn languages_come_from_tags() {
    assert_eq!(Lang::from_tag("es-MX"), Some(Lang::Es));
    assert_eq!(Lang::from_tag("es_ES"), Some(Lang::Es));
    assert_eq!(Lang::from_tag("ES"), Some(Lang::Es));
    assert_eq!(Lang::from_tag("EN-us"), Some(Lang::En));
    assert_eq!(Lang::from_tag("de"), None);
    assert_eq!(Lang::from_tag("esperanto"), None);
    assert_eq!(Lang::from_tag(""), None);
    for lang in Lang::ALL {
        assert_eq!(Lang::from_tag(lang.tag()), Some(lang), "tags round-trip");
    }
}

#[test]
fn the_first_spoken_preference_wins() {
    assert_eq!(Lang::pick(["es-MX"]), Lang::Es);
    assert_eq!(Lang::pick(["fr", "es"]), Lang::Es);
    assert_eq!(Lang::pick(["fr-CA", "es-419", "en"]), Lang::Es);
    assert_eq!(Lang::pick(["en-GB", "es"]), Lang::En);
    assert_eq!(Lang::pick(["EN-us"]), Lang::En);
    assert_eq!(Lang::pick(["de"]), Lang::En);
    assert_eq!(Lang::pick([""]), Lang::En);
    assert_eq!(Lang::pick([]), Lang::En);
}

// ------------------------------------------------------------------ no literal text in markup

/// What the scanner sees of Rust source: string literals, words and single punctuation.
#[derive(Clone, Debug, PartialEq)]
enum Tok {
    Str(String),
    Word(String),
    Punct(char),
}

/// Splits Rust source into tokens, dropping comments and whitespace. Good enough for markup
/// checks: numbers are words, lifetimes are a `'` and a word.
fn tokens(src: &str) -> Vec<(usize, Tok)> {
    let chars: Vec<char> = src.chars().collect();
    let mut out = Vec::new();
    let mut line = 1;
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        let at = line;
        if c == '\n' {
            line += 1;
            i += 1;
        } else if c.is_whitespace() {
            i += 1;
        } else if c == '/' && chars.get(i + 1) == Some(&'/') {
            while i < chars.len() && chars[i] != '\n' {
                i += 1;
            }
        } else if c == '/' && chars.get(i + 1) == Some(&'*') {
            i += 2;
            while i < chars.len() && !(chars[i] == '*' && chars.get(i + 1) == Some(&'/')) {
                line += usize::from(chars[i] == '\n');
                i += 1;
            }
            i += 2;
        } else if let Some(hashes) = raw_string_start(&chars, i) {
            // r"…", r#"…"#, br"…": no escapes, ends at a quote and as many #.
            let mut j = i + hashes.1;
            let close: String = std::iter::once('"')
                .chain("#".repeat(hashes.0).chars())
                .collect();
            let close: Vec<char> = close.chars().collect();
            let begin = j;
            while j < chars.len() && chars[j..].iter().take(close.len()).ne(close.iter()) {
                j += 1;
            }
            let text: String = chars[begin..j.min(chars.len())].iter().collect();
            line += text.matches('\n').count();
            out.push((at, Tok::Str(text)));
            i = j + close.len();
        } else if c == '"' || (c == 'b' && chars.get(i + 1) == Some(&'"')) {
            let mut j = i + if c == 'b' { 2 } else { 1 };
            let mut text = String::new();
            while j < chars.len() && chars[j] != '"' {
                if chars[j] == '\\' {
                    j += 1;
                    match chars.get(j) {
                        Some('n') => text.push('\n'),
                        Some('"') => text.push('"'),
                        Some('\\') => text.push('\\'),
                        Some('\n') => {
                            // A line continuation: the next line's indentation is dropped.
                            line += 1;
                            while chars.get(j + 1).is_some_and(|c| c.is_whitespace()) {
                                j += 1;
                            }
                        }
                        Some(other) => text.push(*other),
                        None => {}
                    }
                } else {
                    line += usize::from(chars[j] == '\n');
                    text.push(chars[j]);
                }
                j += 1;
            }
            out.push((at, Tok::Str(text)));
            i = j + 1;
        } else if c == '\'' {
            // 'x', '\n', '\u{a0}' are characters; 'a in `&'a str` is a lifetime.
            if chars.get(i + 1) == Some(&'\\') {
                let mut j = i + 2;
                while j < chars.len() && chars[j] != '\'' {
                    j += 1;
                }
                i = j + 1;
            } else if chars.get(i + 2) == Some(&'\'') {
                i += 3;
            } else {
                out.push((at, Tok::Punct('\'')));
                i += 1;
            }
        } else if c.is_alphanumeric() || c == '_' {
            let mut j = i;
            while j < chars.len() && (chars[j].is_alphanumeric() || chars[j] == '_') {
                j += 1;
            }
            out.push((at, Tok::Word(chars[i..j].iter().collect())));
            i = j;
        } else {
            out.push((at, Tok::Punct(c)));
            i += 1;
        }
    }
    out
}

/// At a raw string's start: (number of `#`, characters before its text).
fn raw_string_start(chars: &[char], i: usize) -> Option<(usize, usize)> {
    if i > 0 && (chars[i - 1].is_alphanumeric() || chars[i - 1] == '_') {
        return None;
    }
    let mut j = i;
    if chars.get(j) == Some(&'b') {
        j += 1;
    }
    if chars.get(j) != Some(&'r') {
        return None;
    }
    j += 1;
    let hashes = chars[j..].iter().take_while(|c| **c == '#').count();
    (chars.get(j + hashes) == Some(&'"')).then_some((hashes, j + hashes + 1 - i))
}

/// Index of the `}` that closes the `{` at `open`.
fn matching_brace(toks: &[(usize, Tok)], open: usize) -> usize {
    let mut depth = 0;
    for (i, (_, t)) in toks.iter().enumerate().skip(open) {
        match t {
            Tok::Punct('{') => depth += 1,
            Tok::Punct('}') => {
                depth -= 1;
                if depth == 0 {
                    return i;
                }
            }
            _ => {}
        }
    }
    toks.len()
}

/// Drops `#[cfg(test)] mod name { … }` blocks: test fixtures may hold any text.
fn without_test_modules(toks: Vec<(usize, Tok)>) -> Vec<(usize, Tok)> {
    let word = |t: &Tok, w: &str| matches!(t, Tok::Word(x) if x == w);
    let mut out = Vec::new();
    let mut i = 0;
    while i < toks.len() {
        let is_cfg_test = toks.len() > i + 7
            && toks[i].1 == Tok::Punct('#')
            && toks[i + 1].1 == Tok::Punct('[')
            && word(&toks[i + 2].1, "cfg")
            && word(&toks[i + 4].1, "test")
            && toks[i + 6].1 == Tok::Punct(']');
        if is_cfg_test
            && word(&toks[i + 7].1, "mod")
            && toks.get(i + 9).map(|t| &t.1) == Some(&Tok::Punct('{'))
        {
            i = matching_brace(&toks, i + 9) + 1;
        } else {
            out.push(toks[i].clone());
            i += 1;
        }
    }
    out
}

/// Attributes and component props whose value is read or heard by the user.
const TEXT_ATTRIBUTES: [&str; 10] = [
    "aria-label",
    "aria-description",
    "aria-roledescription",
    "aria-valuetext",
    "title",
    "placeholder",
    "alt",
    "label",
    "labels",
    "lede",
];

/// Literals the scan flags that are not user-facing: (file under src/, literal, reason).
///
/// Empty today. Needing none is by construction: only text nodes and the attributes above are
/// read, and only values with letters count, so symbols (`"•"`, `" "`, `"×"`), ids, classes,
/// `type`, `autocomplete`, `inputmode`, SVG paths and CSS never match.
const ALLOWED: [(&str, &str, &str); 0] = [];

fn has_letters(text: &str) -> bool {
    text.chars().any(char::is_alphabetic)
}

/// Text of format strings with their `{…}` placeholders removed.
fn without_placeholders(text: &str) -> String {
    let mut out = String::new();
    let mut depth = 0;
    for c in text.chars() {
        match c {
            '{' => depth += 1,
            '}' => depth = (depth - 1).max(0),
            c if depth == 0 => out.push(c),
            _ => {}
        }
    }
    out
}

/// `line: what` for each user-facing literal in `src`'s markup.
fn literal_text(src: &str) -> Vec<(usize, String)> {
    let toks = without_test_modules(tokens(src));
    let mut found = Vec::new();
    let punct = |i: usize, c: char| toks.get(i).is_some_and(|t| t.1 == Tok::Punct(c));

    // Markup built as strings (inner HTML such as the QR code's SVG): quoted text attributes.
    for (line, t) in &toks {
        let Tok::Str(s) = t else { continue };
        for attr in TEXT_ATTRIBUTES {
            for (at, _) in s.match_indices(&format!("{attr}=\"")) {
                let before = s[..at].chars().next_back();
                if before.is_some_and(|c| c.is_alphanumeric() || c == '-' || c == '_') {
                    continue;
                }
                let value = &s[at + attr.len() + 2..];
                let value = &value[..value.find('"').unwrap_or(value.len())];
                if has_letters(&without_placeholders(value)) {
                    found.push((*line, format!("{attr}=\"{value}\" in markup text")));
                }
            }
        }
    }

    // view! { … } blocks; nested ones are visited on their own, so only the block's own
    // markup level (outside any `{ … }` expression) is read.
    for start in 0..toks.len() {
        let is_view = matches!(&toks[start].1, Tok::Word(w) if w == "view")
            && punct(start + 1, '!')
            && punct(start + 2, '{');
        if !is_view {
            continue;
        }
        let end = matching_brace(&toks, start + 2);
        let mut depth = 0;
        for i in start + 3..end {
            let (line, t) = &toks[i];
            match t {
                Tok::Punct('{') => depth += 1,
                Tok::Punct('}') => depth -= 1,
                _ => {}
            }
            let prev = |n: usize| i.checked_sub(n).map(|j| &toks[j].1);
            let after_tag = prev(1) == Some(&Tok::Punct('>'))
                && !matches!(prev(2), Some(Tok::Punct('=' | '-')));
            // Text right after a tag or an expression: `>"Sign in"<`, `{x}" more"`, `>Sign in<`.
            if depth == 0
                && (after_tag || (prev(1) == Some(&Tok::Punct('}')) && matches!(t, Tok::Str(_))))
            {
                match t {
                    Tok::Str(s) if has_letters(s) => found.push((*line, format!("text {s:?}"))),
                    Tok::Word(w) if after_tag && w.starts_with(char::is_alphabetic) => {
                        found.push((*line, format!("unquoted text starting {w:?}")))
                    }
                    _ => {}
                }
            }
            // `name="…"`, `name={"…"}`, `name=("…", …)` for a text attribute or prop.
            if punct(i, '=')
                && !punct(i + 1, '=')
                && !matches!(prev(1), Some(Tok::Punct('=' | '!' | '<' | '>')))
            {
                let mut name = Vec::new();
                let mut j = i;
                while j > start + 3 {
                    match &toks[j - 1].1 {
                        Tok::Word(w) => name.push(w.clone()),
                        Tok::Punct('-') => name.push("-".into()),
                        _ => break,
                    }
                    j -= 1;
                    if !matches!(&toks[j - 1].1, Tok::Punct('-'))
                        && matches!(&toks[j].1, Tok::Word(_))
                    {
                        break;
                    }
                }
                name.reverse();
                let name = name.concat();
                if TEXT_ATTRIBUTES.contains(&name.as_str()) {
                    let mut k = i + 1;
                    while punct(k, '{') || punct(k, '(') {
                        k += 1;
                    }
                    if let Some((_, Tok::Str(s))) = toks.get(k) {
                        if has_letters(s) {
                            found.push((*line, format!("{name}={s:?}")));
                        }
                    }
                }
            }
        }
    }
    found.sort();
    found.dedup();
    found
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).expect("read src") {
        let path = entry.expect("dir entry").path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

#[test]
fn no_user_facing_text_outside_the_messages() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let messages = src.join("messages");
    let mut files = Vec::new();
    rust_files(&src, &mut files);
    files.sort();
    let mut problems = Vec::new();
    for path in &files {
        // The locales themselves, and this file's own samples.
        if path == &src.join("messages.rs") || path.starts_with(&messages) {
            continue;
        }
        let text = std::fs::read_to_string(path).expect("read source");
        let relative = path
            .strip_prefix(&src)
            .unwrap_or(path)
            .display()
            .to_string();
        for (line, what) in literal_text(&text) {
            let allowed = ALLOWED
                .iter()
                .any(|(file, literal, _why)| relative == *file && what.contains(literal));
            if !allowed {
                problems.push(format!("src/{relative}:{line}: {what}"));
            }
        }
    }
    assert!(
        files.len() > 40,
        "the scan reads the whole of src/ ({} files)",
        files.len()
    );
    assert!(
        problems.is_empty(),
        "user-facing text belongs in Messages (messages.rs and public/es.txt):\n{}",
        problems.join("\n")
    );
}

#[test]
fn the_scanner_finds_planted_text() {
    let planted = r##"
        fn page() -> impl IntoView {
            let d = view! { <p>{t().x}</p> };
            view! {
                <h1>"Sign in"</h1>
                <p>{t().no_account}" Sign up"</p>
                <p>Bare words</p>
                <button aria-label="Close" title={"Tip"}>"×"</button>
                <input placeholder="name@example.com"/>
                <img alt="Logo"/>
                <TextField label="Email" value=email/>
                {move || view! { <span>"Nested"</span> }}
            }
        }
        fn svg() -> String { format!(r#"<svg aria-label="QR code">{}</svg>"#, 1) }
    "##;
    let found: Vec<String> = literal_text(planted).into_iter().map(|(_, w)| w).collect();
    for expected in [
        "text \"Sign in\"",
        "text \" Sign up\"",
        "unquoted text starting \"Bare\"",
        "aria-label=\"Close\"",
        "title=\"Tip\"",
        "placeholder=\"name@example.com\"",
        "alt=\"Logo\"",
        "label=\"Email\"",
        "text \"Nested\"",
        "aria-label=\"QR code\" in markup text",
    ] {
        assert!(
            found.iter().any(|f| f == expected),
            "missed {expected}; found {found:?}"
        );
    }
    assert_eq!(found.len(), 10, "{found:?}");
}

#[test]
fn the_scanner_leaves_code_and_symbols_alone() {
    let clean = r##"
        fn page<'a>(x: &'a str) -> Option<Vec<String>> {
            let c = '"';
            let s = "<p>not markup</p>";
            let label = "Plain Rust, not markup";
            view! {
                <div class="card wide" id="main" data-title="x">
                    <input type="email" autocomplete="username" inputmode="numeric"/>
                    <span aria-hidden="true">"•"</span>{t().or}" "
                    {move || if a > b { "x" } else { "y" }}
                    {match step { A => "one", _ => "two" }}
                    <a href=Route::Login.href() aria-label=t().brand>{t().brand}</a>
                    <svg viewBox="0 0 32 32"><path d="M16 2c5 7z"/></svg>
                    <For each=move || list.get() key=|x| x.id let:item><li>{item}</li></For>
                </div>
            }
        }
        #[cfg(test)]
        mod tests {
            fn t() { view! { <p>"Test text"</p> }; }
        }
    "##;
    assert_eq!(literal_text(clean), Vec::<(usize, String)>::new());
}

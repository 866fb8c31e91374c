//! The email outbox: emails the simulator "sends" are stored here and shown at
//! `/__sim/outbox` instead of leaving the machine.

use rusqlite::{params, Connection};
use serde::Serialize;

/// A stored email.
#[derive(Debug, Clone, Serialize)]
pub struct Email {
    /// Row id, increasing.
    pub id: i64,
    /// Recipient.
    pub to: String,
    /// Subject line.
    pub subject: String,
    /// Plain-text body.
    pub body: String,
    /// When it was sent, RFC 3339 UTC.
    pub sent_at: String,
    /// Every `http(s)://` link in the body, in order.
    pub links: Vec<String>,
}

/// Stores an email in the outbox and returns its id.
pub fn send_email(
    conn: &Connection,
    to: &str,
    subject: &str,
    body: &str,
    now: i64,
) -> rusqlite::Result<i64> {
    conn.execute(
        "INSERT INTO emails (to_addr, subject, body, sent_at) VALUES (?1, ?2, ?3, ?4)",
        params![to, subject, body, now],
    )?;
    Ok(conn.last_insert_rowid())
}

/// All emails, newest first.
pub fn list_emails(conn: &Connection) -> rusqlite::Result<Vec<Email>> {
    let mut stmt =
        conn.prepare("SELECT id, to_addr, subject, body, sent_at FROM emails ORDER BY id DESC")?;
    let rows = stmt.query_map([], |r| {
        let body: String = r.get(3)?;
        Ok(Email {
            id: r.get(0)?,
            to: r.get(1)?,
            subject: r.get(2)?,
            links: extract_links(&body),
            body,
            sent_at: rfc3339(r.get(4)?),
        })
    })?;
    rows.collect()
}

/// Finds `http://` and `https://` links in plain text. A link ends at whitespace, a quote or
/// an angle bracket; trailing sentence punctuation is not part of it.
pub fn extract_links(text: &str) -> Vec<String> {
    let mut links = Vec::new();
    let mut rest = text;
    while let Some(start) = ["http://", "https://"]
        .iter()
        .filter_map(|p| rest.find(p))
        .min()
    {
        let candidate = &rest[start..];
        let end = candidate
            .find(|c: char| c.is_whitespace() || matches!(c, '"' | '\'' | '<' | '>'))
            .unwrap_or(candidate.len());
        let link = candidate[..end].trim_end_matches(['.', ',', ';', ':', ')', '!', '?']);
        if link.len() > "https://".len() {
            links.push(link.to_string());
        }
        rest = &candidate[end.max(1)..];
    }
    links
}

/// Formats Unix seconds as `YYYY-MM-DDTHH:MM:SSZ`.
pub fn rfc3339(unix: i64) -> String {
    let (year, month, day) = civil_date(unix);
    let secs = unix.rem_euclid(86_400);
    format!(
        "{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}Z",
        secs / 3600,
        secs / 60 % 60,
        secs % 60
    )
}

/// The UTC calendar date `(year, month 1-12, day 1-31)` of Unix seconds.
pub fn civil_date(unix: i64) -> (i64, i64, i64) {
    let days = unix.div_euclid(86_400);
    // Civil-from-days (Howard Hinnant's algorithm), to avoid a date crate for one format.
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    (year, month, day)
}

/// Escapes text for HTML element content and attribute values.
pub fn escape_html(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(c),
        }
    }
    out
}

/// Renders a body as escaped HTML with its links made clickable.
fn body_html(body: &str) -> String {
    let mut html = String::new();
    let mut rest = body;
    for link in extract_links(body) {
        if let Some(at) = rest.find(&link) {
            html.push_str(&escape_html(&rest[..at]));
            let escaped = escape_html(&link);
            html.push_str(&format!(
                "<a href=\"{escaped}\" rel=\"noreferrer\">{escaped}</a>"
            ));
            rest = &rest[at + link.len()..];
        }
    }
    html.push_str(&escape_html(rest));
    html
}

/// The outbox page: every email with recipient, subject, time, and body.
pub fn render_page(emails: &[Email]) -> String {
    let mut items = String::new();
    for email in emails {
        items.push_str(&format!(
            "<article aria-labelledby=\"mail-{id}\">\n\
             <h2 id=\"mail-{id}\">{subject}</h2>\n\
             <dl><dt>To</dt><dd>{to}</dd><dt>Sent</dt><dd><time datetime=\"{sent}\">{sent_human}</time></dd></dl>\n\
             <pre>{body}</pre>\n</article>\n",
            id = email.id,
            subject = escape_html(&email.subject),
            to = escape_html(&email.to),
            sent = escape_html(&email.sent_at),
            sent_human = escape_html(&email.sent_at.replace('T', " ").replace('Z', " UTC")),
            body = body_html(&email.body),
        ));
    }
    if emails.is_empty() {
        items.push_str(
            "<p class=\"empty\">No emails yet. Emails the simulator sends (password resets, \
             sign-up codes, email changes) appear here, newest first.</p>\n",
        );
    }
    let count = match emails.len() {
        1 => "1 email".to_string(),
        n => format!("{n} emails"),
    };
    format!(
        "<!doctype html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <title>Outbox · Gigalixir simulator</title>\n<style>{STYLE}</style>\n</head>\n<body>\n\
         <header><h1>Outbox</h1><p>{count} · Gigalixir simulator · \
         <a href=\"/__sim/outbox\">Refresh</a> · <a href=\"/__sim/outbox.json\">JSON</a></p></header>\n\
         <main>\n{items}</main>\n</body>\n</html>\n"
    )
}

const STYLE: &str = "
:root { color-scheme: light dark; --fg: #1b1f24; --muted: #57606a; --bg: #f6f8fa; --card: #fff;
  --line: #d0d7de; --link: #0550ae; }
@media (prefers-color-scheme: dark) { :root { --fg: #e6edf3; --muted: #9da7b3; --bg: #0d1117;
  --card: #161b22; --line: #30363d; --link: #79c0ff; } }
body { margin: 0; font: 16px/1.5 system-ui, sans-serif; color: var(--fg); background: var(--bg); }
header, main { max-width: 52rem; margin: 0 auto; padding: 0 1rem; }
header { padding-top: 1.5rem; }
h1 { margin: 0; font-size: 1.75rem; }
header p { margin: .25rem 0 1.5rem; color: var(--muted); }
a { color: var(--link); }
article { background: var(--card); border: 1px solid var(--line); border-radius: 8px;
  padding: 1rem 1.25rem; margin-bottom: 1rem; }
h2 { margin: 0 0 .5rem; font-size: 1.15rem; }
dl { display: grid; grid-template-columns: max-content 1fr; gap: .15rem 1rem; margin: 0 0 .75rem;
  color: var(--muted); }
dt { font-weight: 600; } dd { margin: 0; }
pre { white-space: pre-wrap; overflow-wrap: anywhere; font: 15px/1.5 ui-monospace, monospace;
  margin: 0; }
.empty { color: var(--muted); }
";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn links_are_found_and_trimmed() {
        assert_eq!(
            extract_links(
                "Open http://127.0.0.1:8765/#/password/set?token=a&b=c. Or <https://x.test/y>, ok"
            ),
            vec![
                "http://127.0.0.1:8765/#/password/set?token=a&b=c",
                "https://x.test/y"
            ]
        );
        assert!(extract_links("no links, just http:// alone").is_empty());
    }

    #[test]
    fn dates() {
        assert_eq!(rfc3339(0), "1970-01-01T00:00:00Z");
        assert_eq!(rfc3339(1_111_111_111), "2005-03-18T01:58:31Z");
        assert_eq!(rfc3339(951_782_400), "2000-02-29T00:00:00Z");
    }

    #[test]
    fn page_escapes_everything() {
        let email = Email {
            id: 1,
            to: "<b>@x".into(),
            subject: "Reset <script>alert(1)</script>".into(),
            body: "Click http://h/#/x?a=\"1\"&b=<2> \"now\"".into(),
            sent_at: rfc3339(0),
            links: vec![],
        };
        let html = render_page(&[email]);
        assert!(!html.contains("<script>alert"));
        assert!(html.contains("&lt;b&gt;@x"));
        assert!(html.contains("<a href=\"http://h/#/x?a=\" rel"));
        assert!(html.contains("&quot;now&quot;"));
        assert!(render_page(&[]).contains("No emails yet"));
    }
}

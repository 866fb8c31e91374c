//! Billing reads: invoices (A20), this period's usage per app (A21) and the period's bill
//! at today's rate (A22).

use super::{Answer, Api, FromJson};
use crate::json::Json;

/// A20 `GET /api/invoices`, newest first.
pub fn invoices(api: Api) -> Answer<Vec<Invoice>> {
    api.list("/api/invoices")
}

/// A21 `GET /api/usage`: this period's amount per app.
pub fn usage(api: Api) -> Answer<Vec<Usage>> {
    api.list("/api/usage")
}

/// A22 `GET /api/usage/run_rate`: the whole current period's bill at today's rate.
pub fn run_rate(api: Api) -> Answer<RunRate> {
    api.get("/api/usage/run_rate")
}

/// A22's answer. Its shape is ours (the contract's `{"amount_cents"}`), and the contract
/// asks clients to tolerate others: then there is no amount, and nothing is projected.
#[derive(Clone, Debug, PartialEq)]
pub struct RunRate(pub Option<i64>);

impl FromJson for RunRate {
    fn from_json(j: &Json) -> Option<Self> {
        Some(RunRate(j.int("amount_cents")))
    }
}

/// One invoice, as A20 describes it.
#[derive(Clone, Debug, PartialEq)]
pub struct Invoice {
    /// Start of the billed period (RFC 3339).
    pub period_start: String,
    /// End of the billed period (RFC 3339).
    pub period_end: String,
    /// Amount in cents.
    pub amount_cents: i64,
    /// Whether it is paid.
    pub paid: bool,
    /// The PDF's address; only `http(s)` URLs are kept, so a link can never run script.
    pub pdf: Option<String>,
}

impl FromJson for Invoice {
    fn from_json(j: &Json) -> Option<Self> {
        Some(Invoice {
            period_start: j.string("period_start")?,
            period_end: j.string("period_end")?,
            amount_cents: j.int("amount_cents")?,
            paid: j.flag("paid"),
            pdf: j.string("pdf").filter(|u| is_web_url(u)),
        })
    }
}

/// One app's usage this period, as A21 describes it.
#[derive(Clone, Debug, PartialEq)]
pub struct Usage {
    /// The app's name.
    pub app: String,
    /// Amount in cents.
    pub amount_cents: i64,
}

impl FromJson for Usage {
    fn from_json(j: &Json) -> Option<Self> {
        Some(Usage {
            app: j.string("app")?,
            amount_cents: j.int("amount_cents")?,
        })
    }
}

/// An absolute `http:` or `https:` URL (the scheme in any case).
fn is_web_url(url: &str) -> bool {
    let lower = url.get(..8).unwrap_or(url).to_ascii_lowercase();
    lower.starts_with("https://") || lower.starts_with("http://")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rows<T: FromJson>(text: &str) -> Vec<T> {
        let list = Json::parse(text).unwrap();
        list.items().iter().filter_map(T::from_json).collect()
    }

    #[test]
    fn reads_invoices() {
        let invoices: Vec<Invoice> = rows(
            r#"[{"period_start":"2026-10-01T00:00:00Z","period_end":"2026-11-01T00:00:00Z",
                 "amount_cents":1234,"paid":false,"pdf":null,"extra":1},
                {"period_start":"2026-09-01T00:00:00Z","period_end":"2026-10-01T00:00:00Z",
                 "amount_cents":"2650","paid":true,"pdf":"HTTPS://files.example/i.pdf"},
                {"period_start":"x","amount_cents":null},
                "not an object"]"#,
        );
        assert_eq!(
            invoices,
            [
                Invoice {
                    period_start: "2026-10-01T00:00:00Z".into(),
                    period_end: "2026-11-01T00:00:00Z".into(),
                    amount_cents: 1234,
                    paid: false,
                    pdf: None,
                },
                Invoice {
                    period_start: "2026-09-01T00:00:00Z".into(),
                    period_end: "2026-10-01T00:00:00Z".into(),
                    amount_cents: 2650,
                    paid: true,
                    pdf: Some("HTTPS://files.example/i.pdf".into()),
                },
            ]
        );
    }

    #[test]
    fn only_web_addresses_become_pdf_links() {
        let pdf = |url: &str| {
            let fields = r#""period_start":"a","period_end":"b","amount_cents":1"#;
            let j = Json::parse(&format!(r#"{{{fields},"pdf":{url:?}}}"#)).unwrap();
            Invoice::from_json(&j).unwrap().pdf
        };
        assert_eq!(pdf("http://a.b/c").as_deref(), Some("http://a.b/c"));
        assert_eq!(pdf("https://a.b/c").as_deref(), Some("https://a.b/c"));
        for bad in [
            "javascript:alert(1)",
            " https://a.b",
            "//evil.example/x.pdf",
            "/relative.pdf",
            "data:application/pdf;base64,AA",
            "https:/a",
            "http",
            "",
        ] {
            assert_eq!(pdf(bad), None, "{bad:?}");
        }
    }

    #[test]
    fn reads_usage() {
        let usage: Vec<Usage> =
            rows(r#"[{"app":"demo-app","amount_cents":523},{"app":"w","amount_cents":"118"},{}]"#);
        assert_eq!(
            usage,
            [
                Usage {
                    app: "demo-app".into(),
                    amount_cents: 523
                },
                Usage {
                    app: "w".into(),
                    amount_cents: 118
                },
            ]
        );
    }
}

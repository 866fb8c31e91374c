//! The typed `Route` enum: every page the console has, parsed from and formatted to the
//! part of the URL after `#`.

use crate::url::{build_query, parse_query};

/// A tab of the signed-in account area (`#/account/<tab>`); names are the legacy console's.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AccountTab {
    /// Email, tier and credits.
    Profile,
    /// The card on file.
    PaymentMethod,
    /// What this period costs, invoices and usage (`billing`; `invoices` is the old name).
    Billing,
    /// The API key.
    ApiKey,
    /// SSH keys.
    SshKeys,
    /// Two-factor authentication: turn it on or off, new recovery codes.
    Mfa,
    /// Free to Standard: a card and an optional promo code.
    Upgrade,
    /// Destroy apps, then delete the account.
    Delete,
    /// Every app's steps to stop what it costs (linked from Billing and Delete, not a tab).
    StopCharges,
}

impl AccountTab {
    const ALL: [AccountTab; 9] = [
        AccountTab::Profile,
        AccountTab::PaymentMethod,
        AccountTab::Billing,
        AccountTab::ApiKey,
        AccountTab::SshKeys,
        AccountTab::Mfa,
        AccountTab::Upgrade,
        AccountTab::Delete,
        AccountTab::StopCharges,
    ];

    /// The path segment for this tab.
    pub fn slug(self) -> &'static str {
        match self {
            AccountTab::Profile => "profile",
            AccountTab::PaymentMethod => "payment-method",
            AccountTab::Billing => "billing",
            AccountTab::ApiKey => "api-key",
            AccountTab::SshKeys => "ssh-keys",
            AccountTab::Mfa => "mfa",
            AccountTab::Upgrade => "upgrade",
            AccountTab::Delete => "delete",
            AccountTab::StopCharges => "stop-charges",
        }
    }

    fn from_slug(s: &str) -> Option<Self> {
        let s = if s == "invoices" { "billing" } else { s };
        Self::ALL.into_iter().find(|t| t.slug() == s)
    }
}

/// A page of the console, with its query parameters already decoded and checked.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Route {
    /// `#/` or no fragment: sends the user to the account or to sign-in.
    Home,
    /// `#/login?next=&email=`: `next` is where to go after signing in (in-app only).
    Login {
        /// Page to return to after sign-in.
        next: Option<Box<Route>>,
        /// Email to prefill.
        email: Option<String>,
    },
    /// `#/signup?uuid=&code=&email=`: sign-up, optionally continuing from the emailed code
    /// link.
    Signup {
        /// Sign-up session from the email link.
        uuid: Option<String>,
        /// Confirmation code from the email link.
        code: Option<String>,
        /// Email to prefill.
        email: Option<String>,
    },
    /// `#/register`: the legacy sign-up address.
    Register,
    /// `#/password/reset?email=`: ask for a password-reset email.
    PasswordReset {
        /// Email to prefill.
        email: Option<String>,
    },
    /// `#/password/set?token=`: choose a new password from the emailed link.
    PasswordSet {
        /// The single-use reset token.
        token: Option<String>,
    },
    /// `#/confirmation/resend?email=&msg=`: resend the sign-up confirmation email.
    ConfirmationResend {
        /// Email to prefill.
        email: Option<String>,
        /// Message key explaining why the user is here.
        msg: Option<String>,
    },
    /// `#/notify?msg=&to=`: show a message, then continue to an in-app route.
    Notify {
        /// Message key.
        msg: Option<String>,
        /// Where to continue (in-app only).
        to: Option<Box<Route>>,
    },
    /// `#/success?msg=`: a final confirmation page.
    Success {
        /// Message key.
        msg: Option<String>,
    },
    /// `#/account` or `#/account/<tab>`.
    Account {
        /// The tab named in the URL, if any.
        tab: Option<AccountTab>,
    },
    /// Anything else; keeps the path to show it.
    NotFound {
        /// The unrecognised path.
        path: String,
    },
}

impl Route {
    /// Parses a fragment such as `#/login?next=%2Faccount` (the leading `#` is optional).
    pub fn parse(fragment: &str) -> Route {
        let fragment = fragment.strip_prefix('#').unwrap_or(fragment);
        let (path, query) = fragment.split_once('?').unwrap_or((fragment, ""));
        let params = parse_query(query);
        let get = |key: &str| -> Option<String> {
            params
                .iter()
                .find(|(k, _)| k == key)
                .map(|(_, v)| v.clone())
                .filter(|v| !v.is_empty())
        };
        let in_app = |key: &str| get(key).and_then(|v| in_app_route(&v)).map(Box::new);
        let trimmed = path.trim_end_matches('/');
        let segments: Vec<&str> = trimmed.split('/').skip(1).collect();
        if !path.is_empty() && !path.starts_with('/') {
            return Route::NotFound {
                path: path.to_string(),
            };
        }
        match segments.as_slice() {
            [] => Route::Home,
            // Returning to sign-in after sign-in would loop.
            ["login"] => Route::Login {
                next: in_app("next").filter(|r| !matches!(**r, Route::Login { .. })),
                email: get("email"),
            },
            ["signup"] => Route::Signup {
                uuid: get("uuid"),
                code: get("code"),
                email: get("email"),
            },
            ["register"] => Route::Register,
            ["password", "reset"] => Route::PasswordReset {
                email: get("email"),
            },
            ["password", "set"] => Route::PasswordSet {
                token: get("token"),
            },
            ["confirmation", "resend"] => Route::ConfirmationResend {
                email: get("email"),
                msg: get("msg"),
            },
            ["notify"] => Route::Notify {
                msg: get("msg"),
                to: in_app("to"),
            },
            ["success"] => Route::Success { msg: get("msg") },
            ["account"] => Route::Account { tab: None },
            ["account", tab] => match AccountTab::from_slug(tab) {
                Some(tab) => Route::Account { tab: Some(tab) },
                None => Route::NotFound {
                    path: path.to_string(),
                },
            },
            _ => Route::NotFound {
                path: path.to_string(),
            },
        }
    }

    /// Formats the route as a fragment path without the `#`, e.g. `/login?next=%2Faccount`.
    pub fn path(&self) -> String {
        let with = |path: &str, pairs: &[(&str, Option<&str>)]| {
            let q = build_query(pairs);
            if q.is_empty() {
                path.to_string()
            } else {
                [path, "?", &q].concat()
            }
        };
        match self {
            Route::Home => "/".into(),
            Route::Login { next, email } => {
                let next = next.as_ref().map(|r| r.path());
                with(
                    "/login",
                    &[("next", next.as_deref()), ("email", email.as_deref())],
                )
            }
            Route::Signup { uuid, code, email } => with(
                "/signup",
                &[
                    ("uuid", uuid.as_deref()),
                    ("code", code.as_deref()),
                    ("email", email.as_deref()),
                ],
            ),
            Route::Register => "/register".into(),
            Route::PasswordReset { email } => {
                with("/password/reset", &[("email", email.as_deref())])
            }
            Route::PasswordSet { token } => with("/password/set", &[("token", token.as_deref())]),
            Route::ConfirmationResend { email, msg } => with(
                "/confirmation/resend",
                &[("email", email.as_deref()), ("msg", msg.as_deref())],
            ),
            Route::Notify { msg, to } => {
                let to = to.as_ref().map(|r| r.path());
                with("/notify", &[("msg", msg.as_deref()), ("to", to.as_deref())])
            }
            Route::Success { msg } => with("/success", &[("msg", msg.as_deref())]),
            Route::Account { tab: None } => "/account".into(),
            Route::Account { tab: Some(tab) } => ["/account/", tab.slug()].concat(),
            Route::NotFound { path } => path.clone(),
        }
    }

    /// The value for an `href` attribute: `#` plus [`Route::path`].
    pub fn href(&self) -> String {
        ["#", &self.path()].concat()
    }

    /// Whether the page needs a signed-in session.
    pub fn needs_session(&self) -> bool {
        matches!(self, Route::Account { .. })
    }

    /// The sign-in page that returns here afterwards.
    pub fn login_returning_here(&self) -> Route {
        let next = in_app_route(&self.path()).map(Box::new);
        Route::Login { next, email: None }
    }
}

/// Accepts a redirect target (`next`, `to`) only when it is a path of one of our own pages.
///
/// The value arrives already percent-decoded once. Anything that could leave the app or
/// confuse a URL parser is refused: other schemes, `//host`, backslashes, control characters,
/// values that still hold escapes (double encoding) and unknown paths.
pub fn in_app_route(target: &str) -> Option<Route> {
    let (path, query) = target.split_once('?').unwrap_or((target, ""));
    let bytes = path.as_bytes();
    if bytes.first() != Some(&b'/') || bytes.get(1) == Some(&b'/') {
        return None;
    }
    let hostile = |c: char| c == '\\' || c.is_control() || c.is_whitespace();
    if path
        .chars()
        .any(|c| hostile(c) || matches!(c, '%' | '@' | ':'))
        || path.contains("/.")
    {
        return None;
    }
    if query.chars().any(hostile) {
        return None;
    }
    match Route::parse(target) {
        Route::NotFound { .. } => None,
        route => Some(route),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn every_route() -> Vec<Route> {
        let mut all = vec![
            Route::Home,
            Route::Login {
                next: None,
                email: None,
            },
            Route::Login {
                next: Some(Box::new(Route::Account { tab: None })),
                email: None,
            },
            Route::Login {
                next: Some(Box::new(Route::Account {
                    tab: Some(AccountTab::ApiKey),
                })),
                email: Some("a+b@example.com".into()),
            },
            Route::Signup {
                uuid: None,
                code: None,
                email: None,
            },
            Route::Signup {
                uuid: Some("4f6c-9a".into()),
                code: Some("123456".into()),
                email: None,
            },
            Route::Signup {
                uuid: None,
                code: None,
                email: Some("new+1@example.com".into()),
            },
            Route::Register,
            Route::PasswordReset { email: None },
            Route::PasswordReset {
                email: Some("ünï@example.com".into()),
            },
            Route::PasswordSet { token: None },
            Route::PasswordSet {
                token: Some("tok/en+with=odd&chars".into()),
            },
            Route::ConfirmationResend {
                email: None,
                msg: None,
            },
            Route::ConfirmationResend {
                email: Some("me@example.com".into()),
                msg: Some("token_expired".into()),
            },
            Route::Notify {
                msg: Some("email_confirmed".into()),
                to: Some(Box::new(Route::Home)),
            },
            Route::Notify {
                msg: Some("email_changed".into()),
                to: Some(Box::new(Route::Account { tab: None })),
            },
            Route::Notify {
                msg: None,
                to: None,
            },
            Route::Notify {
                msg: Some("x".into()),
                to: Some(Box::new(Route::PasswordReset {
                    email: Some("a+b@example.com".into()),
                })),
            },
            Route::Success {
                msg: Some("x".into()),
            },
            Route::Success { msg: None },
            Route::Account { tab: None },
        ];
        all.extend(
            AccountTab::ALL
                .iter()
                .map(|t| Route::Account { tab: Some(*t) }),
        );
        all
    }

    #[test]
    fn every_route_round_trips() {
        for route in every_route() {
            let href = route.href();
            assert_eq!(Route::parse(&href), route, "{href}");
            assert_eq!(Route::parse(&route.path()), route, "{href}");
        }
    }

    #[test]
    fn contract_landing_links_parse() {
        assert_eq!(Route::parse(""), Route::Home);
        assert_eq!(Route::parse("#"), Route::Home);
        assert_eq!(Route::parse("#/"), Route::Home);
        assert_eq!(
            Route::parse("#/login?next=%2Faccount"),
            Route::Login {
                next: Some(Box::new(Route::Account { tab: None })),
                email: None
            }
        );
        assert_eq!(
            Route::parse("#/login?next=/account").path(),
            "/login?next=%2Faccount"
        );
        assert_eq!(
            Route::parse("#/password/set?token=abc"),
            Route::PasswordSet {
                token: Some("abc".into())
            }
        );
        assert_eq!(
            Route::parse("#/confirmation/resend?email=me%40example.com&msg=token_expired"),
            Route::ConfirmationResend {
                email: Some("me@example.com".into()),
                msg: Some("token_expired".into())
            }
        );
        // The contract's confirmation landing, raw and encoded.
        for link in [
            "#/notify?msg=email_confirmed&to=/login",
            "#/notify?msg=email_confirmed&to=%2Flogin",
        ] {
            let login = Route::Login {
                next: None,
                email: None,
            };
            let expected = Route::Notify {
                msg: Some("email_confirmed".into()),
                to: Some(Box::new(login)),
            };
            assert_eq!(Route::parse(link), expected);
        }
        assert_eq!(
            Route::parse("#/login?next=%2Flogin%3Fnext%3D%252Faccount"),
            Route::Login {
                next: None,
                email: None
            },
            "sign-in never returns to sign-in"
        );
        assert_eq!(
            Route::parse("#/notify?msg=email_changed&to=/account"),
            Route::Notify {
                msg: Some("email_changed".into()),
                to: Some(Box::new(Route::Account { tab: None }))
            }
        );
        for tab in [
            "profile",
            "payment-method",
            "invoices",
            "api-key",
            "ssh-keys",
        ] {
            assert!(matches!(
                Route::parse(&format!("#/account/{tab}")),
                Route::Account { tab: Some(_) }
            ));
        }
        assert_eq!(Route::parse("#/account/"), Route::Account { tab: None });
        assert_eq!(Route::parse("#/register?x=1"), Route::Register);
    }

    #[test]
    fn anything_else_is_not_found() {
        for bad in [
            "#/nope",
            "#/account/nope",
            "#/login/extra",
            "#login",
            "#/password",
            "#//login",
            "#/ACCOUNT",
        ] {
            assert!(matches!(Route::parse(bad), Route::NotFound { .. }), "{bad}");
        }
    }

    #[test]
    fn next_accepts_only_in_app_routes() {
        let good = [
            "/account",
            "/account/api-key",
            "/",
            "/password/reset?email=a%40b.c",
            "/notify?msg=x",
        ];
        for g in good {
            assert!(in_app_route(g).is_some(), "{g}");
        }
        // The hostile targets (over 40) are in `properties.rs`, with generated ones.
    }

    #[test]
    fn login_returning_here_keeps_the_page() {
        let r = Route::Account {
            tab: Some(AccountTab::Profile),
        }
        .login_returning_here();
        assert_eq!(r.path(), "/login?next=%2Faccount%2Fprofile");
        assert_eq!(
            Route::NotFound { path: "/x".into() }
                .login_returning_here()
                .path(),
            "/login"
        );
    }

    #[test]
    fn the_mfa_page_is_deep_linkable() {
        let mfa = Route::Account {
            tab: Some(AccountTab::Mfa),
        };
        assert_eq!(Route::parse("#/account/mfa"), mfa);
        assert_eq!(mfa.href(), "#/account/mfa");
        assert!(mfa.needs_session());
        assert_eq!(
            mfa.login_returning_here().path(),
            "/login?next=%2Faccount%2Fmfa"
        );
        assert_eq!(
            Route::parse("#/login?next=%2Faccount%2Fmfa"),
            Route::Login {
                next: Some(Box::new(mfa)),
                email: None
            }
        );
    }

    #[test]
    fn only_account_pages_need_a_session() {
        assert!(Route::Account { tab: None }.needs_session());
        assert!(!Route::Login {
            next: None,
            email: None
        }
        .needs_session());
        assert!(!Route::PasswordSet { token: None }.needs_session());
    }
}

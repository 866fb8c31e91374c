//! The banner printed after the listen line: where everything is, the limits in force, and
//! the seeded accounts with their secrets.

use rusqlite::Connection;

use crate::db;
use crate::rules::{dollars, human_duration, VPN_DOMAIN};
use crate::seed::*;
use crate::state::AppState;
use crate::{account, billing, stripe, stripe_tokens};

/// The human banner printed after the listen line.
pub fn banner(state: &AppState) -> String {
    let mut out = places(state);
    out.push_str(&limits(state));
    if state.config().test_controls {
        out.push_str(&test_controls(state));
    } else {
        out.push_str("  Controls  off: /__sim/* answers 404 (start with --test-controls for the outbox, clock, faults and the Google and Stripe stand-ins)\n");
    }
    out.push_str(&seeded_accounts(state));
    out
}

/// Where the console, the API and the database are, and what is switched on.
fn places(state: &AppState) -> String {
    let config = state.config();
    let mut out = String::new();
    let console = match &config.serve_dir {
        Some(dir) => format!("{}  (serving {})", state.console_url(), dir.display()),
        None => format!("{}  (not served here: no --serve-dir)", state.console_url()),
    };
    out.push_str(&format!("  Console   {console}\n"));
    out.push_str(&format!("  API       {}/api/\n", state.listen_url()));
    out.push_str(&format!("  Database  {}\n", config.db));
    if !config.console_origins.is_empty() {
        out.push_str(&format!(
            "  CORS      {}\n",
            config.console_origins.join(", ")
        ));
    }
    for fault in state.faults().describe() {
        out.push_str(&format!("  Fault     {fault}\n"));
    }
    out
}

/// The rate limits and how long each emailed link or code works.
fn limits(state: &AppState) -> String {
    let config = state.config();
    let mut out = String::new();
    out.push_str(&format!(
        "  Logins    {} failures per email and {} per client IP per {} s, then 429\n",
        config.login_limit, config.login_ip_limit, config.login_window_secs
    ));
    out.push_str(&format!(
        "  Emails    {} per address and {} per client IP per {} s (resets, confirmations and sign-ups together), then 429\n",
        config.email_limit, config.email_ip_limit, config.email_window_secs
    ));
    out.push_str(&format!(
        "  Reset     links {}... expire after {} s\n",
        state.console_link("/password/set?token="),
        config.reset_ttl_secs
    ));
    out.push_str(&format!(
        "  Confirm   links {}/api/confirm?token=... expire after {} s\n",
        state.api_url(),
        config.confirm_ttl_secs
    ));
    out.push_str(&format!(
        "  Email     change links {}/api/users/email/confirm|revoke?token=... expire after {}\n",
        state.api_url(),
        human_duration(account::EMAIL_CHANGE_TTL_SECS)
    ));
    out.push_str(&format!(
        "  Sign-up   codes expire after {} s; WELCOME10 and STANDARD50 are promo codes; *@{} goes to manual review (202)\n",
        config.signup_code_ttl_secs,
        VPN_DOMAIN
    ));
    out
}

/// The test controls under `/__sim/`, when switched on.
fn test_controls(state: &AppState) -> String {
    let config = state.config();
    let mut out = String::new();
    out.push_str(&format!(
        "  Controls  ON: anyone who can reach {}/__sim/ can read every email and sign in as any account\n",
        state.listen_url()
    ));
    out.push_str(&format!(
        "  Outbox    {}/__sim/outbox\n",
        state.listen_url()
    ));
    out.push_str(&format!(
        "  Google    sign-in sessions expire after {} s; answer them at {}/__sim/google/consent?session=... or POST /__sim/oauth/complete\n",
        config.oauth_ttl_secs,
        state.api_url()
    ));
    out.push_str(&format!(
        "  Stripe    POST {}/__sim/stripe/v1/tokens makes card tokens; card {} gives {} (declined)\n",
        state.listen_url(),
        stripe::DECLINED_CARD,
        stripe_tokens::DECLINED_TOKEN
    ));
    out.push_str(&format!(
        "            Stripe.js stand-in at {}{}{}\n",
        state.listen_url(),
        stripe::STRIPE_JS_PATH,
        if config.serve_dir.is_some() {
            "; the served console's /config.json points at it"
        } else {
            ""
        }
    ));
    out.push_str(&format!(
        "  Clock     offset {} s; POST /__sim/clock {{\"advance_secs\":N}} moves it forward (TOTP keeps real time)\n",
        state.clock().offset_secs()
    ));
    out
}

/// The seeded accounts that still exist, with their passwords and secrets.
fn seeded_accounts(state: &AppState) -> String {
    let mut out = String::new();
    let conn = state.db().lock();
    let user = |email: &str| db::user_by_email(&conn, email).ok().flatten();
    let seeded = [DEMO_EMAIL, MFA_EMAIL, NEW_EMAIL, NOCARD_EMAIL].map(user);
    if seeded.iter().all(Option::is_none) {
        out.push_str("\n  No seeded accounts; create some with POST /__sim/accounts (with --test-controls).\n");
        return out;
    }
    out.push_str("\n  Seeded accounts\n");
    let [demo, mfa, new, nocard] = seeded;
    let describe = |user: &db::User| {
        format!(
            "{}, {} credit, MFA {}{}",
            user.tier,
            dollars(user.credit_cents),
            if user.mfa_enabled { "on" } else { "off" },
            if user.confirmed {
                ""
            } else {
                ", email not confirmed"
            }
        )
    };
    // Any seeded account may have had MFA turned on or off through the API since.
    let mfa_lines = |user: &db::User| {
        if !user.mfa_enabled {
            return String::new();
        }
        let mut lines = format!(
            "      TOTP secret     {}\n",
            user.totp_secret.as_deref().unwrap_or("-")
        );
        let codes = db::unused_among(&conn, user.id, &MFA_RECOVERY_CODES).unwrap_or_default();
        if codes.is_empty() {
            lines.push_str("      Recovery codes  (none of the seeded ones left; stored as hashes, shown once)\n");
        } else {
            lines.push_str(&format!("      Recovery codes  {}\n", codes.join(" ")));
        }
        lines
    };
    for (user, email, password) in [
        (demo, DEMO_EMAIL, DEMO_PASSWORD),
        (mfa, MFA_EMAIL, MFA_PASSWORD),
        (new, NEW_EMAIL, NEW_PASSWORD),
    ] {
        if let Some(user) = user {
            out.push_str(&format!(
                "    {email} / {password}  ({})\n",
                describe(&user)
            ));
            out.push_str(&mfa_lines(&user));
            if email == DEMO_EMAIL {
                out.push_str(&format!(
                    "      Extras          {}\n",
                    extras(&conn, user.id)
                ));
            }
        }
    }
    if let Some(user) = nocard {
        out.push_str(&format!(
            "    {NOCARD_EMAIL} / {NOCARD_PASSWORD}  ({}, no card)\n",
            describe(&user)
        ));
    }
    out
}

/// What the banner says about an account's card, apps (with their domains and databases),
/// invoices and SSH keys.
fn extras(conn: &Connection, user_id: i64) -> String {
    // Domains and databases belong to the account's apps.
    let count = |table: &str| -> i64 {
        let owner = match table {
            "domains" | "databases" => "app_id IN (SELECT id FROM apps WHERE user_id = ?1)",
            _ => "user_id = ?1",
        };
        conn.query_row(
            &format!("SELECT COUNT(*) FROM {table} WHERE {owner}"),
            [user_id],
            |r| r.get(0),
        )
        .unwrap_or(0)
    };
    let card = match billing::card_of(conn, user_id).ok().flatten() {
        Some(card) => format!(
            "card {} {:04} {:02}/{}",
            card.brand, card.last4, card.exp_month, card.exp_year
        ),
        None => "no card".to_string(),
    };
    let counted = |table: &str, one: &str| match count(table) {
        1 => format!("1 {one}"),
        n => format!("{n} {one}s"),
    };
    format!(
        "{card}, {} ({}, {}), {}, {}",
        counted("apps", "app"),
        counted("domains", "domain"),
        counted("databases", "database"),
        counted("invoices", "invoice"),
        counted("ssh_keys", "SSH key")
    )
}

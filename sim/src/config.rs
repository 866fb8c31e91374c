//! Simulator configuration and the command-line parser that fills it.

use std::path::PathBuf;

use crate::faults::FaultSpec;

/// Everything the simulator needs to start.
#[derive(Debug, Clone)]
pub struct Config {
    /// Address to listen on; port 0 picks a free port.
    pub addr: String,
    /// SQLite file, or `:memory:` for a throwaway database.
    pub db: String,
    /// Directory holding the built console (Trunk's `dist/`), served at `/`.
    pub serve_dir: Option<PathBuf>,
    /// Origins allowed to call the API cross-origin (CORS).
    pub console_origins: Vec<String>,
    /// Base URL that email links point at; defaults to the listen URL plus `/`.
    pub console_url: Option<String>,
    /// Faults active from the start.
    pub faults: Vec<FaultSpec>,
    /// Create the demo accounts when the database has no users.
    pub seed: bool,
    /// Answer the test controls under `/__sim/` (outbox, accounts, faults, clock, and the
    /// Google and Stripe stand-ins). Off unless asked for: they hand out any account.
    pub test_controls: bool,
    /// Failed login attempts allowed per email within the window.
    pub login_limit: u32,
    /// Failed login attempts allowed per client IP within the window, whatever the email.
    pub login_ip_limit: u32,
    /// Length of the failed-login window, in seconds.
    pub login_window_secs: u64,
    /// Lifetime of a password-reset token, in seconds.
    pub reset_ttl_secs: u64,
    /// Lifetime of an email-confirmation token, in seconds.
    pub confirm_ttl_secs: u64,
    /// Base URL of the API for links that point at it (confirmation); defaults to the
    /// listen URL. Stored without a trailing `/`.
    pub api_url: Option<String>,
    /// Requests to email-sending endpoints allowed per email address within the window.
    pub email_limit: u32,
    /// Requests to email-sending endpoints allowed per client IP within the window.
    pub email_ip_limit: u32,
    /// Length of the email rate-limit window, in seconds.
    pub email_window_secs: u64,
    /// Lifetime of an emailed sign-up code, in seconds.
    pub signup_code_ttl_secs: u64,
    /// Lifetime of a Google sign-in session (consent and polling), in seconds.
    pub oauth_ttl_secs: u64,
}

impl Default for Config {
    fn default() -> Self {
        Self {
            addr: "127.0.0.1:8765".to_string(),
            db: ".cache/sim.sqlite".to_string(),
            serve_dir: None,
            console_origins: Vec::new(),
            console_url: None,
            faults: Vec::new(),
            seed: true,
            test_controls: false,
            login_limit: 10,
            login_ip_limit: 100,
            login_window_secs: 900,
            reset_ttl_secs: 3600,
            confirm_ttl_secs: 86_400,
            api_url: None,
            email_limit: 5,
            email_ip_limit: 30,
            email_window_secs: 3600,
            signup_code_ttl_secs: 600,
            oauth_ttl_secs: 600,
        }
    }
}

impl Config {
    /// Defaults with an in-memory database, an ephemeral port and the test controls on:
    /// what tests want.
    pub fn ephemeral() -> Self {
        Self {
            addr: "127.0.0.1:0".to_string(),
            db: ":memory:".to_string(),
            test_controls: true,
            ..Self::default()
        }
    }
}

/// Usage text printed by `--help` and after a flag error.
pub const USAGE: &str = "\
gigalixir-sim: local simulator of the Gigalixir account API

USAGE:
    gigalixir-sim [OPTIONS]

OPTIONS:
    --addr HOST:PORT           Listen address (default 127.0.0.1:8765; port 0 = any free port)
    --db PATH | :memory:       SQLite database (default .cache/sim.sqlite)
    --serve-dir DIR            Serve the built console (e.g. dist/) at /; its /config.json is
                               answered by the simulator (same-origin API, Stripe stand-in)
    --console-origin ORIGIN    Allow this origin to call the API cross-origin (repeatable)
    --console-url URL          Base URL for console links in emails (default: listen URL + /)
    --api-url URL              Base URL for API links in emails, i.e. confirmation links
                               URL/api/confirm?token=... (default: the listen URL)
    --fault SPEC               Inject a fault on /api/* (repeatable), SPEC is
                               '[METHOD ]PATH=KIND[:ARG[:ARG2]]' with KIND one of
                               latency:MS, status:CODE[:RETRY_AFTER], malformed, drop;
                               PATH ending in * is a prefix. Examples:
                                 --fault '/api/users=status:500'
                                 --fault 'GET /api/login=latency:2000'
                                 --fault '/api/*=status:429:30'
    --test-controls            Answer the test controls under /__sim/ (see below); without
                               this flag they answer 404. Anyone who can reach them can
                               sign in as any account, so use it on loopback only
    --no-seed                  Do not create the demo accounts
    --login-limit N            Failed logins allowed per email per window (default 10)
    --login-ip-limit N         Failed logins allowed per client IP per window (default 100)
    --login-window-secs S      Failed-login window in seconds (default 900)
    --reset-ttl-secs S         Password-reset links expire after S seconds (default 3600)
    --confirm-ttl-secs S       Confirmation links expire after S seconds (default 86400)
    --email-limit N            Password-reset, confirmation and sign-up emails allowed per
                               email address per window, counted together (default 5)
    --email-ip-limit N         The same requests allowed per client IP per window (default 30)
    --email-window-secs S      Window of the two email limits in seconds (default 3600)
    --signup-code-ttl-secs S   Emailed sign-up codes expire after S seconds (default 600)
    --oauth-ttl-secs S         Google sign-in sessions expire after S seconds (default 600)
    -h, --help                 Print this help

The first stdout line is `gigalixir-sim listening on http://HOST:PORT`.
Requests must name this host (the listen address, a loopback name, or the host of
--console-url, --api-url or --console-origin); JSON bodies need Content-Type: application/json.
With --test-controls, /__sim/ holds: accounts, faults, outbox (and outbox.json), clock
(POST {\"advance_secs\":N} moves token expiry and rate-limit windows forward), health,
the Google consent stand-in (/__sim/google/consent, or POST /__sim/oauth/complete),
and a Stripe stand-in: POST /__sim/stripe/v1/tokens (point stripe.api_base at URL/__sim/stripe)
and a Stripe.js look-alike at /__sim/stripe/v3/. Invoice PDFs are at /__sim/invoices/ID.
";

/// Result of parsing the command line.
#[derive(Debug)]
// Made once at start-up, so the size difference between the variants costs nothing.
#[allow(clippy::large_enum_variant)]
pub enum Command {
    /// Start the simulator with this configuration.
    Run(Config),
    /// Print usage and exit.
    Help,
}

/// Parses command-line arguments (without the program name). Accepts `--flag value` and
/// `--flag=value`.
pub fn parse_args<I>(args: I) -> Result<Command, String>
where
    I: IntoIterator<Item = String>,
{
    let mut config = Config::default();
    let mut args = args.into_iter();
    while let Some(arg) = args.next() {
        let (flag, inline) = match arg.split_once('=') {
            Some((f, v)) if f.starts_with("--") => (f.to_string(), Some(v.to_string())),
            _ => (arg.clone(), None),
        };
        let mut value = |name: &str| -> Result<String, String> {
            match inline.clone() {
                Some(v) => Ok(v),
                None => args.next().ok_or_else(|| format!("{name} needs a value")),
            }
        };
        match flag.as_str() {
            "-h" | "--help" => return Ok(Command::Help),
            "--addr" => config.addr = value("--addr")?,
            "--db" => config.db = value("--db")?,
            "--serve-dir" => config.serve_dir = Some(PathBuf::from(value("--serve-dir")?)),
            "--console-origin" => {
                let origin = value("--console-origin")?;
                let origin = origin.trim_end_matches('/').to_string();
                if !(origin.starts_with("http://") || origin.starts_with("https://")) {
                    return Err(format!(
                        "--console-origin must look like http://host:port, got {origin:?}"
                    ));
                }
                config.console_origins.push(origin);
            }
            "--console-url" => config.console_url = Some(value("--console-url")?),
            "--fault" => config
                .faults
                .push(FaultSpec::parse_flag(&value("--fault")?)?),
            "--test-controls" => {
                if inline.is_some() {
                    return Err("--test-controls takes no value".to_string());
                }
                config.test_controls = true;
            }
            "--no-seed" => {
                if inline.is_some() {
                    return Err("--no-seed takes no value".to_string());
                }
                config.seed = false;
            }
            "--login-limit" => config.login_limit = positive("--login-limit", value)?,
            "--login-ip-limit" => config.login_ip_limit = positive("--login-ip-limit", value)?,
            "--login-window-secs" => {
                config.login_window_secs = positive("--login-window-secs", value)?
            }
            "--reset-ttl-secs" => config.reset_ttl_secs = positive("--reset-ttl-secs", value)?,
            "--confirm-ttl-secs" => {
                config.confirm_ttl_secs = positive("--confirm-ttl-secs", value)?
            }
            "--api-url" => {
                let url = value("--api-url")?;
                let url = url.trim_end_matches('/').to_string();
                if !(url.starts_with("http://") || url.starts_with("https://")) {
                    return Err(format!(
                        "--api-url must look like http://host:port, got {url:?}"
                    ));
                }
                config.api_url = Some(url);
            }
            "--email-limit" => config.email_limit = positive("--email-limit", value)?,
            "--email-ip-limit" => config.email_ip_limit = positive("--email-ip-limit", value)?,
            "--email-window-secs" => {
                config.email_window_secs = positive("--email-window-secs", value)?
            }
            "--signup-code-ttl-secs" => {
                config.signup_code_ttl_secs = positive("--signup-code-ttl-secs", value)?
            }
            "--oauth-ttl-secs" => config.oauth_ttl_secs = positive("--oauth-ttl-secs", value)?,
            other => return Err(format!("unknown argument {other:?}")),
        }
    }
    Ok(Command::Run(config))
}

/// Reads a flag's value as a whole number of at least 1. Counts and durations are capped at
/// ten years' worth of seconds so that adding them to a Unix time cannot overflow.
fn positive<T: TryFrom<u64>>(
    name: &str,
    mut value: impl FnMut(&str) -> Result<String, String>,
) -> Result<T, String> {
    const MAX: u64 = 10 * 366 * 86_400;
    let number: u64 = value(name)?
        .parse()
        .map_err(|_| format!("{name} needs a whole number"))?;
    if !(1..=MAX).contains(&number) {
        return Err(format!("{name} must be between 1 and {MAX}"));
    }
    T::try_from(number).map_err(|_| format!("{name} is too large"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(args: &[&str]) -> Result<Command, String> {
        parse_args(args.iter().map(|s| s.to_string()))
    }

    #[test]
    fn defaults() {
        let Command::Run(c) = parse(&[]).unwrap() else {
            panic!()
        };
        assert_eq!(c.addr, "127.0.0.1:8765");
        assert_eq!(c.db, ".cache/sim.sqlite");
        assert!(c.seed);
        assert_eq!((c.login_limit, c.login_window_secs), (10, 900));
        assert_eq!((c.reset_ttl_secs, c.confirm_ttl_secs), (3600, 86_400));
        assert_eq!(c.api_url, None);
        assert_eq!(
            (c.email_limit, c.email_ip_limit, c.email_window_secs),
            (5, 30, 3600)
        );
        assert_eq!(c.signup_code_ttl_secs, 600);
        assert_eq!(c.oauth_ttl_secs, 600);
    }

    #[test]
    fn every_flag() {
        let Command::Run(c) = parse(&[
            "--addr=127.0.0.1:0",
            "--db",
            ":memory:",
            "--serve-dir",
            "dist",
            "--console-origin",
            "http://localhost:8080/",
            "--console-origin=http://127.0.0.1:8080",
            "--console-url",
            "http://x/",
            "--fault",
            "/api/users=status:500",
            "--no-seed",
            "--login-limit",
            "3",
            "--login-window-secs=60",
            "--reset-ttl-secs",
            "120",
            "--confirm-ttl-secs=240",
            "--api-url",
            "http://api.test:9/",
            "--email-limit",
            "2",
            "--email-ip-limit=7",
            "--email-window-secs",
            "30",
            "--signup-code-ttl-secs=45",
            "--oauth-ttl-secs",
            "90",
        ])
        .unwrap() else {
            panic!()
        };
        assert_eq!(c.addr, "127.0.0.1:0");
        assert_eq!(c.db, ":memory:");
        assert_eq!(c.serve_dir, Some(PathBuf::from("dist")));
        assert_eq!(
            c.console_origins,
            vec!["http://localhost:8080", "http://127.0.0.1:8080"]
        );
        assert_eq!(c.console_url.as_deref(), Some("http://x/"));
        assert_eq!(c.faults.len(), 1);
        assert!(!c.seed);
        assert_eq!((c.login_limit, c.login_window_secs), (3, 60));
        assert_eq!((c.reset_ttl_secs, c.confirm_ttl_secs), (120, 240));
        assert_eq!(c.api_url.as_deref(), Some("http://api.test:9"));
        assert_eq!(
            (c.email_limit, c.email_ip_limit, c.email_window_secs),
            (2, 7, 30)
        );
        assert_eq!(c.signup_code_ttl_secs, 45);
        assert_eq!(c.oauth_ttl_secs, 90);
    }

    #[test]
    fn errors_and_help() {
        assert!(matches!(parse(&["--help"]), Ok(Command::Help)));
        assert!(parse(&["--addr"]).is_err());
        assert!(parse(&["--bogus"]).is_err());
        assert!(parse(&["--login-limit", "x"]).is_err());
        assert!(parse(&["--fault", "nope"]).is_err());
        assert!(parse(&["--console-origin", "localhost"]).is_err());
        assert!(parse(&["--api-url", "localhost:1"]).is_err());
        assert!(parse(&["--email-limit", "0"]).is_err());
        assert!(parse(&["--reset-ttl-secs", "-5"]).is_err());
        assert!(parse(&["--email-window-secs", "999999999999"]).is_err());
    }
}

//! Fault injection for `/api/*`: latency, forced statuses, malformed bodies and dropped
//! connections, set by `--fault` flags or at run time through `/__sim/faults`.

use std::fmt;
use std::sync::Arc;

use serde::{Deserialize, Serialize};
use tokio::sync::Notify;

/// What a fault does to a matching request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FaultKind {
    /// Waits this many milliseconds, then answers normally.
    Latency {
        /// Delay in milliseconds.
        ms: u64,
    },
    /// Answers this status with a JSON errors body.
    Status {
        /// The status code to answer.
        status: u16,
        /// Optional `Retry-After` seconds.
        retry_after: Option<u64>,
    },
    /// Answers 200 `application/json` with a body that is not JSON.
    Malformed,
    /// Closes the connection without writing any response.
    Drop,
}

/// One fault rule: which requests it matches and what it does.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FaultSpec {
    /// Exact path, or a prefix when it ends with `*` (e.g. `/api/*`).
    pub path: String,
    /// Upper-case method to match; `None` matches every method.
    pub method: Option<String>,
    /// The effect.
    pub kind: FaultKind,
    /// How many matching requests it applies to; `None` means unlimited.
    pub times: Option<u32>,
}

/// The JSON form accepted by `POST /__sim/faults`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FaultRequest {
    /// See [`FaultSpec::path`].
    pub path: String,
    /// See [`FaultSpec::method`].
    pub method: Option<String>,
    /// `latency`, `status`, `malformed` or `drop`.
    pub kind: String,
    /// Delay for `latency`.
    pub latency_ms: Option<u64>,
    /// Status for `status`.
    pub status: Option<u16>,
    /// `Retry-After` seconds for `status`.
    pub retry_after: Option<u64>,
    /// See [`FaultSpec::times`].
    pub times: Option<u32>,
}

/// A fault as listed by `GET /__sim/faults`.
#[derive(Debug, Clone, Serialize)]
pub struct FaultView {
    /// Identifier returned when the fault was added.
    pub id: u64,
    /// Path pattern.
    pub path: String,
    /// Method, or null for any.
    pub method: Option<String>,
    /// Kind name.
    pub kind: &'static str,
    /// Delay for latency faults.
    pub latency_ms: Option<u64>,
    /// Status for status faults.
    pub status: Option<u16>,
    /// Retry-After for status faults.
    pub retry_after: Option<u64>,
    /// Matching requests still to be affected; null for unlimited.
    pub remaining: Option<u32>,
}

fn validate_path(path: &str) -> Result<(), String> {
    if path == "/api" || path.starts_with("/api/") || path == "/api*" {
        Ok(())
    } else {
        Err(format!(
            "fault path must start with /api/ (faults apply only to the API), got {path:?}"
        ))
    }
}

fn validate_method(method: &str) -> Result<String, String> {
    let upper = method.trim().to_ascii_uppercase();
    if !upper.is_empty() && upper.bytes().all(|b| b.is_ascii_uppercase()) {
        Ok(upper)
    } else {
        Err(format!("bad HTTP method {method:?}"))
    }
}

fn validate_status(status: u16) -> Result<u16, String> {
    if (200..=599).contains(&status) {
        Ok(status)
    } else {
        Err(format!("fault status must be 200-599, got {status}"))
    }
}

impl FaultSpec {
    /// Parses the flag form `[METHOD ]PATH=KIND[:ARG[:ARG2]]`, e.g. `GET /api/login=latency:2000`,
    /// `/api/*=status:429:30`, `/api/login=drop`, `/api/users=malformed`.
    pub fn parse_flag(spec: &str) -> Result<Self, String> {
        let (target, effect) = spec
            .split_once('=')
            .ok_or_else(|| format!("fault {spec:?} needs PATH=KIND"))?;
        let target = target.trim();
        let (method, path) = match target.split_once(char::is_whitespace) {
            Some((m, p)) => (Some(validate_method(m)?), p.trim()),
            None => (None, target),
        };
        validate_path(path)?;
        let mut parts = effect.trim().split(':');
        let kind_name = parts.next().unwrap_or_default();
        let args: Vec<&str> = parts.collect();
        let number = |i: usize, what: &str| -> Result<Option<u64>, String> {
            match args.get(i) {
                None => Ok(None),
                Some(s) => s
                    .trim()
                    .parse::<u64>()
                    .map(Some)
                    .map_err(|_| format!("fault {spec:?}: {what} must be a number, got {s:?}")),
            }
        };
        let max_args = match kind_name {
            "latency" => 1,
            "status" => 2,
            _ => 0,
        };
        if args.len() > max_args {
            return Err(format!(
                "fault {spec:?}: too many arguments for {kind_name}"
            ));
        }
        let kind = match kind_name {
            "latency" => FaultKind::Latency {
                ms: number(0, "latency")?
                    .ok_or_else(|| format!("fault {spec:?}: latency needs milliseconds"))?,
            },
            "status" => {
                let status = number(0, "status")?
                    .ok_or_else(|| format!("fault {spec:?}: status needs a code"))?;
                let status = u16::try_from(status)
                    .map_err(|_| format!("fault {spec:?}: bad status"))
                    .and_then(validate_status)?;
                FaultKind::Status {
                    status,
                    retry_after: number(1, "retry-after")?,
                }
            }
            "malformed" => FaultKind::Malformed,
            "drop" => FaultKind::Drop,
            other => {
                return Err(format!(
                    "fault {spec:?}: unknown kind {other:?} (latency, status, malformed, drop)"
                ))
            }
        };
        Ok(Self {
            path: path.to_string(),
            method,
            kind,
            times: None,
        })
    }

    /// Validates the JSON form of `POST /__sim/faults`.
    pub fn from_request(req: FaultRequest) -> Result<Self, String> {
        validate_path(&req.path)?;
        let method = req.method.as_deref().map(validate_method).transpose()?;
        let kind = match req.kind.as_str() {
            "latency" => FaultKind::Latency {
                ms: req
                    .latency_ms
                    .ok_or("a latency fault needs latency_ms".to_string())?,
            },
            "status" => FaultKind::Status {
                status: validate_status(
                    req.status
                        .ok_or("a status fault needs status".to_string())?,
                )?,
                retry_after: req.retry_after,
            },
            "malformed" => FaultKind::Malformed,
            "drop" => FaultKind::Drop,
            other => {
                return Err(format!(
                    "unknown kind {other:?} (latency, status, malformed, drop)"
                ))
            }
        };
        if req.times == Some(0) {
            return Err("times must be at least 1 (omit it for unlimited)".to_string());
        }
        Ok(Self {
            path: req.path,
            method,
            kind,
            times: req.times,
        })
    }

    /// True when this rule applies to the request.
    pub fn matches(&self, method: &str, path: &str) -> bool {
        let method_ok = self.method.as_deref().is_none_or(|m| m == method);
        let path_ok = match self.path.strip_suffix('*') {
            Some(prefix) => path.starts_with(prefix),
            None => self.path == path,
        };
        method_ok && path_ok
    }
}

impl fmt::Display for FaultSpec {
    /// Writes the flag form, plus how many uses remain when limited.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(method) = &self.method {
            write!(f, "{method} ")?;
        }
        write!(f, "{}=", self.path)?;
        match &self.kind {
            FaultKind::Latency { ms } => write!(f, "latency:{ms}")?,
            FaultKind::Status {
                status,
                retry_after: Some(secs),
            } => write!(f, "status:{status}:{secs}")?,
            FaultKind::Status { status, .. } => write!(f, "status:{status}")?,
            FaultKind::Malformed => write!(f, "malformed")?,
            FaultKind::Drop => write!(f, "drop")?,
        }
        if let Some(times) = self.times {
            write!(f, " ({times} more)")?;
        }
        Ok(())
    }
}

/// The active faults, in the order they were added; the first match wins.
#[derive(Debug, Default)]
pub struct FaultSet {
    next_id: u64,
    active: Vec<(u64, FaultSpec)>,
}

impl FaultSet {
    /// Adds a rule and returns its id.
    pub fn add(&mut self, spec: FaultSpec) -> u64 {
        self.next_id += 1;
        self.active.push((self.next_id, spec));
        self.next_id
    }

    /// Removes every rule.
    pub fn clear(&mut self) {
        self.active.clear();
    }

    /// The rules in flag form, for humans.
    pub fn describe(&self) -> Vec<String> {
        self.active
            .iter()
            .map(|(_, spec)| spec.to_string())
            .collect()
    }

    /// Lists the rules.
    pub fn list(&self) -> Vec<FaultView> {
        self.active
            .iter()
            .map(|(id, spec)| {
                let (kind, latency_ms, status, retry_after) = match spec.kind {
                    FaultKind::Latency { ms } => ("latency", Some(ms), None, None),
                    FaultKind::Status {
                        status,
                        retry_after,
                    } => ("status", None, Some(status), retry_after),
                    FaultKind::Malformed => ("malformed", None, None, None),
                    FaultKind::Drop => ("drop", None, None, None),
                };
                FaultView {
                    id: *id,
                    path: spec.path.clone(),
                    method: spec.method.clone(),
                    kind,
                    latency_ms,
                    status,
                    retry_after,
                    remaining: spec.times,
                }
            })
            .collect()
    }

    /// Finds the first rule matching the request, counts one use against it, and returns
    /// its effect; a rule whose uses run out is removed.
    pub fn take(&mut self, method: &str, path: &str) -> Option<FaultKind> {
        let index = self
            .active
            .iter()
            .position(|(_, spec)| spec.matches(method, path))?;
        let spec = &mut self.active[index].1;
        let kind = spec.kind.clone();
        if let Some(times) = spec.times.as_mut() {
            *times -= 1;
            if *times == 0 {
                self.active.remove(index);
            }
        }
        Some(kind)
    }
}

/// Lets a request handler close the connection it arrived on, which the HTTP stack itself
/// cannot do without first writing a response.
#[derive(Debug, Clone, Default)]
pub struct ConnectionControl {
    abort: Arc<Notify>,
}

impl ConnectionControl {
    /// Asks the connection task to drop the socket now.
    pub fn abort(&self) {
        // notify_one stores a permit, so the signal is not lost if nobody is waiting yet.
        self.abort.notify_one();
    }

    /// Resolves once [`abort`](Self::abort) has been called.
    pub async fn aborted(&self) {
        self.abort.notified().await;
    }
}

/// The body a `malformed` fault answers with: looks like the start of JSON, is not JSON.
pub const MALFORMED_BODY: &str = "{\"data\": {\"key\": <html>oops</html>";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_every_flag_form() {
        assert_eq!(
            FaultSpec::parse_flag("/api/users=status:500").unwrap(),
            FaultSpec {
                path: "/api/users".into(),
                method: None,
                kind: FaultKind::Status {
                    status: 500,
                    retry_after: None
                },
                times: None
            }
        );
        let latency = FaultSpec::parse_flag("GET /api/login=latency:2000").unwrap();
        assert_eq!(latency.method.as_deref(), Some("GET"));
        assert_eq!(latency.kind, FaultKind::Latency { ms: 2000 });
        assert_eq!(
            FaultSpec::parse_flag("/api/*=status:429:30").unwrap().kind,
            FaultKind::Status {
                status: 429,
                retry_after: Some(30)
            }
        );
        assert_eq!(
            FaultSpec::parse_flag("/api/login=drop").unwrap().kind,
            FaultKind::Drop
        );
        assert_eq!(
            FaultSpec::parse_flag("post /api/users=malformed")
                .unwrap()
                .method
                .as_deref(),
            Some("POST")
        );
    }

    #[test]
    fn display_round_trips_the_flag_form() {
        for flag in [
            "GET /api/login=latency:2000",
            "/api/*=status:429:30",
            "/api/users=status:500",
            "/api/users=malformed",
            "/api/login=drop",
        ] {
            assert_eq!(FaultSpec::parse_flag(flag).unwrap().to_string(), flag);
        }
    }

    #[test]
    fn rejects_bad_flags() {
        for bad in [
            "/api/users",
            "/api/users=",
            "/api/users=explode",
            "/api/users=latency",
            "/api/users=latency:soon",
            "/api/users=status:999",
            "/api/users=status:500:x",
            "/api/users=drop:1",
            "/index.html=drop",
            "G3T /api/users=drop",
        ] {
            assert!(FaultSpec::parse_flag(bad).is_err(), "{bad} should fail");
        }
    }

    #[test]
    fn prefix_and_method_matching() {
        let any = FaultSpec::parse_flag("/api/*=drop").unwrap();
        assert!(any.matches("GET", "/api/users"));
        assert!(any.matches("POST", "/api/login"));
        assert!(!any.matches("GET", "/apix"));
        let exact = FaultSpec::parse_flag("GET /api/users=drop").unwrap();
        assert!(exact.matches("GET", "/api/users"));
        assert!(!exact.matches("POST", "/api/users"));
        assert!(!exact.matches("GET", "/api/users/x"));
    }

    #[test]
    fn times_counts_down_and_removes() {
        let mut set = FaultSet::default();
        let mut spec = FaultSpec::parse_flag("/api/users=status:500").unwrap();
        spec.times = Some(2);
        set.add(spec);
        assert!(set.take("GET", "/api/users").is_some());
        assert_eq!(set.list()[0].remaining, Some(1));
        assert!(set.take("GET", "/api/users").is_some());
        assert!(set.take("GET", "/api/users").is_none());
        assert!(set.list().is_empty());
    }
}

//! The account's apps and what they run, for stopping charges as Gigalixir's docs describe
//! it: the list (A23) with each app's replicas, scaling it (A27), its domains (A28, A29), its
//! databases (A30, A31), and destroying it (A24).

use gloo_net::http::Method;

use super::{nothing, Answer, Api, FromJson};
use crate::json::Json;
use crate::url::encode_component;

/// An app as A23 lists it.
#[derive(Clone, Debug, PartialEq)]
pub struct App {
    /// Its unique name, which the paths below carry.
    pub name: String,
    /// Replicas running now: what is billed while it runs.
    pub replicas: i64,
}

impl FromJson for App {
    fn from_json(j: &Json) -> Option<Self> {
        Some(App {
            name: j.string("unique_name").filter(|a| !a.is_empty())?,
            replicas: j.int("replicas").unwrap_or(0),
        })
    }
}

/// What an app has attached that stopping it removes: a domain as A28 lists it (a name
/// **[ours]**: `id` is the name, `tier` empty) or a database as A30 does (`id` is what A31
/// takes, `tier` is `FREE` or `STANDARD`). One type, so that one list reader reads both.
#[derive(Clone, Debug, PartialEq)]
pub struct Addon {
    /// The domain's name, or the database's id.
    pub id: String,
    /// A database's tier; empty for a domain, or when not given.
    pub tier: String,
}

impl FromJson for Addon {
    fn from_json(j: &Json) -> Option<Self> {
        let id = j.text().map(str::to_string).or_else(|| j.string("id"));
        Some(Addon {
            id: id.filter(|id| !id.is_empty())?,
            tier: j.string("tier").unwrap_or_default(),
        })
    }
}

/// `/api/apps/<name>` and what follows it.
fn app_path(name: &str, rest: &str) -> String {
    ["/api/apps/", &encode_component(name), rest].concat()
}

/// A23 `GET /api/apps`.
pub fn apps(api: Api) -> Answer<Vec<App>> {
    api.list("/api/apps")
}

/// A27 `PUT /api/apps/<name>/scale {"replicas":0}`: nothing runs, nothing is billed for it.
pub fn scale_to_zero(api: Api, name: &str) -> Answer<()> {
    let body = Json::Obj(vec![("replicas".into(), Json::Num("0".into()))]);
    api.request(Method::PUT, &app_path(name, "/scale"), Some(&body), nothing)
}

/// A28 `GET /api/apps/<name>/domains`.
pub fn domains(api: Api, name: &str) -> Answer<Vec<Addon>> {
    api.list(&app_path(name, "/domains"))
}

/// A29 `DELETE /api/apps/<name>/domains {"fqdn"}`.
pub fn remove_domain(api: Api, name: &str, fqdn: &str) -> Answer<()> {
    let body = Json::obj(&[("fqdn", Some(fqdn))]);
    api.request(
        Method::DELETE,
        &app_path(name, "/domains"),
        Some(&body),
        nothing,
    )
}

/// A30 `GET /api/apps/<name>/databases`.
pub fn databases(api: Api, name: &str) -> Answer<Vec<Addon>> {
    api.list(&app_path(name, "/databases"))
}

/// A31 `DELETE /api/apps/<name>/databases/<id>`.
pub fn delete_database(api: Api, name: &str, id: &str) -> Answer<()> {
    let path = app_path(name, &["/databases/", &encode_component(id)].concat());
    api.request(Method::DELETE, &path, None, nothing)
}

/// A24 `DELETE /api/apps/<name>`: the app and whatever it still had.
pub fn destroy(api: Api, name: &str) -> Answer<()> {
    api.request(Method::DELETE, &app_path(name, ""), None, nothing)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read<T: FromJson>(text: &str) -> Option<T> {
        T::from_json(&Json::parse(text).unwrap())
    }

    #[test]
    fn reads_apps_domains_and_databases() {
        let app = read::<App>(r#"{"unique_name":"a-b","size":0.5,"replicas":2}"#).unwrap();
        assert_eq!((app.name.as_str(), app.replicas), ("a-b", 2));
        assert_eq!(read::<App>(r#"{"unique_name":"a"}"#).unwrap().replicas, 0);
        assert_eq!(read::<App>("{}"), None);
        let domain = read::<Addon>(r#""www.example.com""#).unwrap();
        assert_eq!(
            (domain.id.as_str(), domain.tier.as_str()),
            ("www.example.com", "")
        );
        let db = read::<Addon>(r#"{"id":"d-1","tier":"STANDARD","state":"AVAILABLE"}"#);
        assert_eq!(
            db.map(|d| (d.id, d.tier)),
            Some(("d-1".into(), "STANDARD".into()))
        );
        assert_eq!(read::<Addon>(r#"{"tier":"FREE"}"#), None);
        assert_eq!(read::<Addon>(r#""""#), None);
    }

    #[test]
    fn app_paths_carry_the_name_encoded() {
        assert_eq!(app_path("a-b", "/scale"), "/api/apps/a-b/scale");
        assert_eq!(app_path("a/b", ""), "/api/apps/a%2Fb");
    }
}

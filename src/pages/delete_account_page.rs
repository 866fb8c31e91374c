//! `#/account/delete`: what deletion does, the apps with a Destroy each (A23, A24, the
//! name typed to confirm), then the account itself (A11: password and a typed phrase),
//! which ends the session in every tab and leaves for the goodbye page.

use leptos::prelude::*;

use super::rows::{each, list_panel, row_markup, ListPanel};
use crate::api::account::{AppName, Call};
use crate::api::json::Json;
use crate::api::{Api, ApiError, FromJson, PageScope};
use crate::components::{
    focus_selector, html_escape, report, set_title, start, FormCard, Job, PasswordField, TextField,
};
use crate::messages::t;
use crate::routing::{Route, Router};
use crate::session::SessionCtx;
use crate::validate;

/// An app's row: its name and Destroy.
fn app_row(j: &Json) -> Option<String> {
    let AppName(name) = AppName::from_json(j)?;
    let main = format!("<strong>{}</strong>", html_escape(&name));
    Some(row_markup(&main, t().destroy, "danger", &name, &name))
}

/// What deleting the account does: a heading and a list (generated markup: one binding).
fn what_markup() -> String {
    let items: String = t()
        .delete_facts
        .iter()
        .map(|f| format!("<li>{f}</li>"))
        .collect();
    format!(
        r#"<h2 id="what-heading">{}</h2><ul class="facts-list">{items}</ul>"#,
        t().delete_what
    )
}

/// The delete-account tab.
#[component]
pub fn DeleteAccountPage() -> impl IntoView {
    set_title(t().nav_delete);
    let api = expect_context::<Api>();
    let scope = PageScope::new();
    let m = t();
    let (apps, _, _) = list_panel(
        api,
        scope,
        ListPanel {
            path: "/api/apps",
            rows: |items| each(items, app_row),
            title: m.apps_title,
            lede: Some(m.apps_lede),
            empty: m.no_apps,
            ask: (
                m.destroy_app_title,
                m.destroy_app_lede,
                m.destroy_app_button,
            ),
            typed: Some(m.app_name_label),
            call: Call::DestroyApp,
            done: m.app_destroyed,
        },
    );
    view! {
        <h1 tabindex="-1">{m.nav_delete}</h1>
        <section class="panel" aria-labelledby="what-heading" inner_html=what_markup()></section>
        {apps}
        {delete_form(api, scope)}
    }
}

/// A11: the phrase and the current password; on success the session ends everywhere and
/// the goodbye page shows.
fn delete_form(api: Api, scope: PageScope) -> impl IntoView {
    let session = expect_context::<SessionCtx>();
    let router = expect_context::<Router>();
    let phrase = RwSignal::new(String::new());
    let password = RwSignal::new(String::new());
    let phrase_error = RwSignal::new(None::<String>);
    let password_error = RwSignal::new(None::<String>);
    let error = RwSignal::new(None::<String>);
    let busy = RwSignal::new(false);

    let deleted = Callback::new(move |r: Result<Option<String>, ApiError>| match r {
        Ok(_) => {
            // Session and route change in one go, so the app's guard sees both at once. No
            // notice: the goodbye page says what happened.
            session.end_quietly();
            router.replace(&Route::Success {
                msg: Some("account_deleted".into()),
            });
        }
        Err(e) => {
            report(&e, &[("current_password", password_error)], error);
            if password_error.with_untracked(Option::is_some) {
                focus_selector("#delete-password");
            }
        }
    });
    let submit = Callback::new(move |()| {
        let p = password.get_untracked();
        let phrase_ok = validate::typed_match(&phrase.get_untracked(), t().delete_phrase);
        let password_ok = validate::current_password(&p);
        phrase_error.set((!phrase_ok).then(|| t().delete_phrase_mismatch.to_string()));
        password_error.set(password_ok.err().map(str::to_string));
        error.set(None);
        if !phrase_ok {
            focus_selector("#delete-phrase");
        } else if password_ok.is_err() {
            focus_selector("#delete-password");
        } else {
            let email = session
                .current_untracked()
                .map(|s| s.email)
                .unwrap_or_default();
            start(
                api,
                busy,
                Job::Call(Call::DeleteAccount(email, p)),
                scope,
                deleted,
            );
        }
    });

    view! {
        <FormCard id="delete-heading" title=t().delete_account_title
            labels=(t().delete_account_button, t().deleting) danger=true
            pending=busy error on_submit=submit>
            <TextField id="delete-phrase" label=t().delete_phrase_label value=phrase
                error=phrase_error/>
            <PasswordField id="delete-password" label=t().current_password_label
                autocomplete="current-password" value=password error=password_error/>
        </FormCard>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rows_and_facts_are_markup() {
        let j = Json::parse(r#"{"unique_name":"demo-app","size":0.5}"#).unwrap();
        let html = app_row(&j).unwrap();
        assert!(
            html.starts_with(r#"<li class="row"><div class="row-main"><strong>demo-app</strong>"#)
        );
        assert!(html.contains(r#"data-id="demo-app" data-label="demo-app">Destroy<"#));
        assert_eq!(app_row(&Json::parse("{}").unwrap()), None);
        assert_eq!(what_markup().matches("<li>").count(), 3);
    }
}

//! `#/account/delete`: what deletion does, the apps with a Destroy each (A23, A24, the
//! name typed to confirm), then the account itself (A11: password and a typed phrase),
//! which ends the session in every tab and leaves for the goodbye page.

use leptos::prelude::*;

use crate::api::account::{self, AppName};
use crate::api::Api;
use crate::components::{
    answered, each, page_title, panel, set_title, FormCard, ListPanel, ListText, PasswordField,
    Problems, Row, TextField,
};
use crate::data::{Action, LocalResource};
use crate::messages::t;
use crate::routing::{Route, Router};
use crate::session::SessionCtx;
use crate::validate;

/// An app's row: its name, which is also what its Destroy acts on.
fn app_row(AppName(name): AppName) -> Row {
    Row {
        id: name.clone(),
        name,
        detail: None,
        full: None,
    }
}

/// The delete-account tab.
#[component]
pub fn DeleteAccountPage() -> impl IntoView {
    set_title(t().nav_delete);
    let api = Api::for_page();
    let m = t();
    let destroy = Action::new_local(move |name: &String| account::destroy_app(api, name));
    let apps = LocalResource::new(move || {
        destroy.version().track();
        async move {
            account::apps(api)
                .await
                .map(|apps| apps.into_iter().map(app_row).collect())
        }
    });
    view! {
        {page_title(m.nav_delete, None)}
        {panel("what-heading", m.delete_what, false, view! {
            <ul class="facts-list">
                {each(m.delete_facts, |fact| view! { <li>{fact}</li> }.into_any())}
            </ul>
        }.into_any())}
        <ListPanel rows=apps act=destroy said=RwSignal::new(None) text=ListText {
            title: m.apps_title,
            lede: Some(m.apps_lede),
            empty: m.no_apps,
            button: (m.destroy, true),
            ask: (m.destroy_app_title, m.destroy_app_lede, m.destroy_app_button),
            typed: Some(m.app_name_label),
            done: m.app_destroyed,
        }/>
        {delete_form(api)}
    }
}

/// A11: the phrase and the current password; on success the session ends everywhere and
/// the goodbye page shows.
fn delete_form(api: Api) -> impl IntoView {
    let session = expect_context::<SessionCtx>();
    let router = expect_context::<Router>();
    let delete = Action::new_local(move |(email, password): &(String, String)| {
        account::delete_account(api, email, password)
    });
    let phrase = RwSignal::new(String::new());
    let password = RwSignal::new(String::new());
    let problems = Problems::new();
    let phrase_error = problems.field("phrase");
    let password_error = problems.field("current_password");
    answered(delete, problems, move |()| {
        // Session and route change in one go, so the app's guard sees both at once. No
        // notice: the goodbye page says what happened.
        session.end_quietly();
        router.replace(&Route::Success {
            msg: Some("account_deleted".into()),
        });
    });
    let submit = Callback::new(move |()| {
        let p = password.get_untracked();
        problems.clear();
        if !validate::typed_match(&phrase.get_untracked(), t().delete_phrase) {
            phrase_error.set(Some(t().delete_phrase_mismatch.to_string()));
        }
        if let Err(e) = validate::current_password(&p) {
            password_error.set(Some(e.to_string()));
        }
        if phrase_error.with_untracked(Option::is_some)
            || password_error.with_untracked(Option::is_some)
        {
            problems.focus_first_invalid();
            return;
        }
        let email = session
            .current_untracked()
            .map(|s| s.email)
            .unwrap_or_default();
        delete.dispatch((email, p));
    });

    view! {
        <FormCard id="delete-heading" title=t().delete_account_title
            labels=(t().delete_account_button, t().deleting) danger=true
            pending=delete.pending() problems on_submit=submit>
            <TextField id="delete-phrase" label=t().delete_phrase_label value=phrase
                error=phrase_error/>
            <PasswordField id="delete-password" label=t().current_password_label
                autocomplete="current-password" value=password error=password_error/>
        </FormCard>
    }
}

//! `#/account/delete`: what deletion does, the apps that must go first with the steps that
//! stop each (the stop-charges page's panel), then the account itself (A11: password and a typed phrase),
//! which ends the session in every tab and leaves for the goodbye page.

use leptos::prelude::*;

use super::AppsToStop;
use crate::api::account;
use crate::api::Api;
use crate::components::{
    answered, each, page_title, panel, set_title, FormCard, PasswordField, Problems, TextField,
};
use crate::data::Action;
use crate::messages::t;
use crate::routing::{Route, Router};
use crate::session::SessionCtx;
use crate::validate;

/// The delete-account tab.
#[component]
pub fn DeleteAccountPage() -> impl IntoView {
    set_title(t().nav_delete);
    let api = Api::for_page();
    let m = t();
    view! {
        {page_title(m.nav_delete, None)}
        {panel("what-heading", m.delete_what, false, view! {
            <ul class="facts-list">
                {each(m.delete_facts, |fact| view! { <li>{fact}</li> }.into_any())}
            </ul>
            <p><a href="#/account/stop-charges">{m.stop_title}</a></p>
        }.into_any())}
        <AppsToStop/>
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

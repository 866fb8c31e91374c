//! `#/account/api-key`: the key the CLI and scripts use: shown masked, revealed or copied
//! on request, and regenerated (A12) after the current password is confirmed.

use leptos::html::{Dialog, Input};
use leptos::prelude::*;

use crate::api::{account, Api};
use crate::components::{
    answered, close_dialog, focus_soon, open_dialog, set_title, status, CopyButton, PasswordDialog,
    Problems,
};
use crate::data::Action;
use crate::messages::t;
use crate::session::{Session, SessionCtx};

/// `••••` and the last four characters.
fn masked(key: &str) -> String {
    let tail: String = key
        .chars()
        .rev()
        .take(4)
        .collect::<Vec<_>>()
        .into_iter()
        .rev()
        .collect();
    format!("••••{tail}")
}

/// The API key tab.
#[component]
pub fn ApiKeyPage() -> impl IntoView {
    set_title(t().nav_api_key);
    let session = expect_context::<SessionCtx>();
    let api = Api::for_page();
    let key = move || session.current().map(|s| s.api_key).unwrap_or_default();
    let shown = RwSignal::new(false);
    let said = RwSignal::new(None::<String>);

    let dialog = NodeRef::<Dialog>::new();
    let input = NodeRef::<Input>::new();
    let password = RwSignal::new(String::new());
    let problems = Problems::new();
    let regenerate =
        Action::new_local(move |password: &String| account::regenerate_key(api, password));
    answered(regenerate, problems, move |new_key| {
        if let Some(s) = session.current_untracked() {
            session.replace(Session {
                api_key: new_key,
                ..s
            });
        }
        close_dialog(dialog);
        said.set(Some(t().key_regenerated.to_string()));
    });
    // The dialog has checked that a password was typed.
    let confirm = Callback::new(move |()| {
        regenerate.dispatch(password.get_untracked());
    });

    view! {
        <h1 tabindex="-1">{t().nav_api_key}</h1>
        <section class="panel" aria-labelledby="key-heading">
            <h2 id="key-heading" class="visually-hidden">{t().nav_api_key}</h2>
            <p class="lede">{t().api_key_lede}</p>
            <p><code class="key">{move || if shown.get() { key() } else { masked(&key()) }}</code></p>
            <div class="actions">
                <button type="button" class="button secondary"
                    aria-pressed=move || if shown.get() { "true" } else { "false" }
                    on:click=move |_| shown.update(|s| *s = !*s)>
                    {move || if shown.get() { t().hide } else { t().reveal }}
                </button>
                <CopyButton text=Signal::derive(key) label=t().copy status=said/>
                <button type="button" class="button primary" on:click=move |_| {
                    said.set(None);
                    open_dialog(dialog);
                    focus_soon(input, false);
                }>{t().regenerate_key}</button>
            </div>
            {status(said.into())}
        </section>
        <PasswordDialog dialog title=t().regenerate_key lede=t().regenerate_warning
            confirm=t().regenerate_key password problems
            pending=regenerate.pending() on_confirm=confirm input/>
    }
}

#[cfg(test)]
mod tests {
    use super::masked;

    #[test]
    fn only_the_last_four_show() {
        assert_eq!(masked("abcdef123456"), "••••3456");
        assert_eq!(masked("ab"), "••••ab");
    }
}

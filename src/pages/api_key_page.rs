//! `#/account/api-key`: the key the CLI and scripts use: shown masked, revealed or copied
//! on request, and regenerated (A12) after the current password is confirmed; and how the
//! CLI, git and the GitHub Action take it.

use leptos::prelude::*;

use crate::api::{account, Api};
use crate::components::{
    answered, close_dialog, each, focus_soon, open_dialog, page_title, panel, set_title, status,
    truth, CopyButton, PasswordDialog, Problems, PASSWORD_ID,
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
    ["••••", &tail].concat()
}

/// The lines `gigalixir login` writes to `~/.netrc`: both hosts, sorted, tab-indented.
fn netrc(email: &str, key: &str) -> String {
    let mut lines = String::new();
    for host in ["api", "git"] {
        for part in [
            "machine ",
            host,
            ".gigalixir.com\n\tlogin ",
            email,
            "\n\tpassword ",
            key,
            "\n",
        ] {
            lines.push_str(part);
        }
    }
    lines
}

/// Where the key goes outside the browser, by row: the `~/.netrc` lines, the git remote,
/// and the GitHub Action's two secrets.
fn outside(row: usize, email: &str, key: &str) -> String {
    match row {
        0 => netrc(email, key),
        1 => ["https://git.gigalixir.com/", t().your_app, ".git"].concat(),
        2 => email.to_string(),
        _ => key.to_string(),
    }
}

/// One row of [`outside`]: its name, its value (the key masked unless shown), and Copy.
fn copy_row(
    row: usize,
    email: impl Fn() -> String + Copy + Send + Sync + 'static,
    key: impl Fn() -> String + Copy + Send + Sync + 'static,
    shown: RwSignal<bool>,
    said: RwSignal<Option<String>>,
) -> impl IntoView {
    let name = [
        "~/.netrc",
        t().git_remote,
        "GIGALIXIR_EMAIL",
        "GIGALIXIR_API_KEY",
    ][row];
    let value = move |reveal: bool| {
        let key = key();
        outside(row, &email(), &if reveal { key } else { masked(&key) })
    };
    view! {
        <div>
            <dt>{name}</dt>
            <dd class="copy-row">
                <code>{move || value(shown.get())}</code>
                <CopyButton text=Signal::derive(move || value(true)) label=t().copy status=said/>
            </dd>
        </div>
    }
}

/// The API key tab.
#[component]
pub fn ApiKeyPage() -> impl IntoView {
    set_title(t().nav_api_key);
    let session = expect_context::<SessionCtx>();
    let api = Api::for_page();
    let key = move || session.current().map(|s| s.api_key).unwrap_or_default();
    let email = move || session.current().map(|s| s.email).unwrap_or_default();
    let shown = RwSignal::new(false);
    let on_screen = move || if shown.get() { key() } else { masked(&key()) };
    let said = RwSignal::new(None::<String>);
    let said_outside = RwSignal::new(None::<String>);

    let dialog = "key-dialog";
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
        {page_title(t().nav_api_key, None)}
        {panel("key-heading", t().nav_api_key, true, view! {
            <p class="lede">{t().api_key_lede}</p>
            <p><code class="key">{on_screen}</code></p>
            <div class="actions">
                <button type="button" class="button secondary"
                    prop:ariaPressed=move || truth(shown.get())
                    on:click=move |_| shown.update(|s| *s = !*s)>
                    {move || String::from(if shown.get() { t().hide } else { t().reveal })}
                </button>
                <CopyButton text=Signal::derive(key) label=t().copy status=said/>
                <button type="button" class="button danger" on:click=move |_| {
                    said.set(None);
                    open_dialog(dialog);
                    focus_soon(PASSWORD_ID, false);
                }>{t().regenerate_key}</button>
            </div>
            {status(said.into())}
        }.into_any())}
        {panel("outside-heading", t().key_outside, false, view! {
            <p class="lede">{t().key_outside_lede}</p>
            <dl class="facts">
                {each(0..4, move |row| copy_row(row, email, key, shown, said_outside).into_any())}
            </dl>
            {status(said_outside.into())}
            <p class="note">{t().key_everywhere_note}</p>
        }.into_any())}
        <PasswordDialog id=dialog title=t().regenerate_key lede=t().regenerate_warning
            confirm=(t().regenerate_key, t().please_wait) password problems
            pending=regenerate.pending() on_confirm=confirm/>
    }
}

#[cfg(test)]
mod tests {
    use super::{masked, netrc};

    #[test]
    fn netrc_has_both_hosts_as_the_cli_writes_them() {
        assert_eq!(
            netrc("a@b.c", "k1"),
            "machine api.gigalixir.com\n\tlogin a@b.c\n\tpassword k1\n\
             machine git.gigalixir.com\n\tlogin a@b.c\n\tpassword k1\n"
        );
    }

    #[test]
    fn only_the_last_four_show() {
        assert_eq!(masked("abcdef123456"), "••••3456");
        assert_eq!(masked("ab"), "••••ab");
    }
}

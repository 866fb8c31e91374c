//! `#/account/api-key`: the key the CLI and scripts use: shown masked, revealed or copied
//! on request, and regenerated (A12) after the current password is confirmed.

use leptos::prelude::*;
use wasm_bindgen::JsValue;

use crate::api::account::Call;
use crate::api::{Api, ApiError, PageScope};
use crate::components::{report, set_title, start, status, Job, PasswordDialog};
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

/// `navigator.clipboard.writeText(text)`, through reflection: one call does not justify
/// another web-sys binding.
async fn copy(text: &str) -> bool {
    let call = || -> Option<js_sys::Promise> {
        let clipboard = js_sys::Reflect::get(&window().navigator(), &"clipboard".into()).ok()?;
        let write: js_sys::Function = js_sys::Reflect::get(&clipboard, &"writeText".into())
            .ok()?
            .into();
        write
            .call1(&clipboard, &JsValue::from_str(text))
            .ok()
            .map(Into::into)
    };
    match call() {
        Some(p) => wasm_bindgen_futures::JsFuture::from(p).await.is_ok(),
        None => false,
    }
}

/// The API key tab.
#[component]
pub fn ApiKeyPage() -> impl IntoView {
    set_title(t().nav_api_key);
    let session = expect_context::<SessionCtx>();
    let api = expect_context::<Api>();
    let scope = PageScope::new();
    let key = move || session.current().map(|s| s.api_key).unwrap_or_default();
    let shown = RwSignal::new(false);
    let said = RwSignal::new(None::<String>);

    let open = RwSignal::new(false);
    let password = RwSignal::new(String::new());
    let password_error = RwSignal::new(None::<String>);
    let message = RwSignal::new(None::<String>);
    let busy = RwSignal::new(false);
    let regenerated = Callback::new(move |r: Result<Option<String>, ApiError>| match r {
        Ok(Some(new_key)) => {
            if let Some(s) = session.current_untracked() {
                session.replace(Session {
                    api_key: new_key,
                    ..s
                });
            }
            open.set(false);
            said.set(Some(t().key_regenerated.to_string()));
        }
        Ok(None) => {}
        Err(e) => report(&e, &[("current_password", password_error)], message),
    });
    let confirm = Callback::new(move |_| {
        let p = password.get_untracked();
        if p.is_empty() {
            password_error.set(Some(t().password_required.to_string()));
        } else {
            message.set(None);
            start(
                api,
                busy,
                Job::Call(Call::Regenerate(p)),
                scope,
                regenerated,
            );
        }
    });
    let on_copy = move |_| {
        said.set(None);
        leptos::task::spawn_local(async move {
            let ok = copy(&key()).await;
            said.try_set(Some(
                if ok { t().copied } else { t().copy_failed }.to_string(),
            ));
        });
    };

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
                <button type="button" class="button secondary" on:click=on_copy>{t().copy}</button>
                <button type="button" class="button primary" on:click=move |_| {
                    said.set(None);
                    open.set(true);
                }>{t().regenerate_key}</button>
            </div>
            {status(said)}
        </section>
        <PasswordDialog open labels=(t().regenerate_key, t().saving) warning=t().regenerate_warning
            password error=password_error message pending=busy on_confirm=confirm/>
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

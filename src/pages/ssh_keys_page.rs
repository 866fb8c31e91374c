//! `#/account/ssh-keys`: the account's SSH public keys (A25): listed with their
//! fingerprints, removed after a confirming dialog, added from a pasted `.pub` line.

use leptos::prelude::*;

use super::rows::{each, list_panel, row_markup, ListPanel};
use crate::api::account::{Call, SshKey};
use crate::api::json::Json;
use crate::api::{Api, ApiError, FromJson, PageScope};
use crate::components::{focus_selector, html_escape, report, set_title, start, FormCard, Job};
use crate::messages::t;
use crate::validate;

/// A key's row: its name, fingerprint and (cut by the stylesheet) the key itself; its
/// dialog names it by name and fingerprint, which tells apart keys with the same comment.
fn key_row(j: &Json) -> Option<String> {
    let key = SshKey::from_json(j)?;
    let main = format!(
        r#"<strong>{}</strong><code>{}</code><code class="clip">{}</code>"#,
        html_escape(key.name()),
        html_escape(&key.fingerprint),
        html_escape(&key.key)
    );
    let label = format!("{} {}", key.name(), key.fingerprint);
    Some(row_markup(&main, t().remove, "secondary", &key.id, &label))
}

/// The SSH keys tab.
#[component]
pub fn SshKeysPage() -> impl IntoView {
    set_title(t().nav_ssh_keys);
    let api = expect_context::<Api>();
    let scope = PageScope::new();
    let m = t();
    let (list, load, said) = list_panel(
        api,
        scope,
        ListPanel {
            path: "/api/ssh_keys",
            rows: |items| each(items, key_row),
            title: m.your_keys,
            lede: None,
            empty: m.no_ssh_keys,
            ask: (m.remove_key_title, m.remove_key_lede, m.remove),
            typed: None,
            call: Call::RemoveSshKey,
            done: t().ssh_key_removed,
        },
    );

    let text = RwSignal::new(String::new());
    let text_error = RwSignal::new(None::<String>);
    let problem = RwSignal::new(None::<String>);
    let busy = RwSignal::new(false);
    let added = Callback::new(move |r: Result<Option<String>, ApiError>| match r {
        Ok(_) => {
            text.set(String::new());
            said.set(Some(t().ssh_key_added.to_string()));
            load.run(());
        }
        // The API's reason is a fragment about the key ("is not a valid SSH public key").
        Err(e) => match e.field("ssh_key") {
            Some(why) => {
                text_error.set(Some(t().ssh_key_refused(&why)));
                focus_selector("#ssh-key");
            }
            None => report(&e, &[], problem),
        },
    });
    let submit = Callback::new(move |()| {
        said.set(None);
        problem.set(None);
        match validate::ssh_public_key(&text.get_untracked()) {
            Ok(key) => start(api, busy, Job::Call(Call::AddSshKey(key)), scope, added),
            Err(e) => {
                text_error.set(Some(e.to_string()));
                focus_selector("#ssh-key");
            }
        }
    });

    view! {
        <h1 tabindex="-1">{m.nav_ssh_keys}</h1>
        <p class="lede">{m.ssh_keys_lede}</p>
        {list}
        <FormCard id="add-key-heading" title=m.add_ssh_key labels=(m.add_ssh_key, m.saving)
            pending=busy error=problem on_submit=submit>
            <div class="field">
                // The error's id is named even when it isn't there: a reference to a missing
                // element is ignored, and a fixed attribute is less code than a reactive one.
                <label for="ssh-key">{m.ssh_key_label}</label>
                <textarea id="ssh-key" name="ssh-key" rows="4" spellcheck="false"
                    autocapitalize="off" autocomplete="off" prop:value=text
                    on:input=move |ev| {
                        text.set(event_target_value(&ev));
                        text_error.set(None);
                    }
                    aria-invalid=move || text_error.with(Option::is_some).then_some("true")
                    aria-describedby="ssh-key-hint ssh-key-error"></textarea>
                <p class="hint" id="ssh-key-hint">{m.ssh_key_hint}</p>
                {move || text_error.get().map(|e| view! { <p class="field-error" id="ssh-key-error">{e}</p> })}
            </div>
        </FormCard>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_key_row_shows_name_fingerprint_and_key() {
        let j = Json::parse(
            r#"{"id":3,"key":"ssh-ed25519 AAAA me@<host>","fingerprint":"SHA256:abc"}"#,
        )
        .unwrap();
        let html = key_row(&j).unwrap();
        assert!(html.contains("<strong>me@&lt;host&gt;</strong><code>SHA256:abc</code>"));
        assert!(html.contains(r#"<code class="clip">ssh-ed25519 AAAA me@&lt;host&gt;</code>"#));
        assert!(html.contains(r#"data-id="3" data-label="me@&lt;host&gt; SHA256:abc""#));
        assert_eq!(key_row(&Json::parse(r#"{"key":"x"}"#).unwrap()), None);
    }
}

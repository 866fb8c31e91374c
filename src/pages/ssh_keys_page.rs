//! `#/account/ssh-keys`: the account's SSH public keys (A25): listed with their
//! fingerprints, removed after a confirming dialog, added from a pasted `.pub` line.

use leptos::prelude::*;

use crate::api::account::{self, SshKey};
use crate::api::Api;
use crate::components::{
    answered, page_title, set_title, truth, FormCard, ListPanel, ListText, Problems, Row,
};
use crate::data::{Action, LocalResource};
use crate::messages::t;
use crate::validate;

/// A key's row: its name, fingerprint and the key itself; named by name and fingerprint,
/// which tells apart keys with the same comment.
fn key_row(key: SshKey) -> Row {
    Row {
        name: key.name().to_string(),
        detail: Some(key.fingerprint).filter(|f| !f.is_empty()),
        full: Some(key.key),
        id: key.id,
    }
}

/// The SSH keys tab.
#[component]
pub fn SshKeysPage() -> impl IntoView {
    set_title(t().nav_ssh_keys);
    let api = Api::for_page();
    let m = t();
    let add = Action::new_local(move |key: &String| account::add_ssh_key(api, key));
    let remove = Action::new_local(move |id: &String| account::remove_ssh_key(api, id));
    // Loaded again after every change, even one made while a load was under way.
    let rows = LocalResource::new(move || {
        add.version().track();
        remove.version().track();
        async move {
            account::ssh_keys(api)
                .await
                .map(|keys| keys.into_iter().map(key_row).collect())
        }
    });
    let said = RwSignal::new(None::<String>);

    let text = RwSignal::new(String::new());
    let problems = Problems::new();
    // The API's reason is a fragment about the key ("is not a valid SSH public key").
    let text_error = problems.field_saying("ssh_key", |why| t().ssh_key_refused(why));
    answered(add, problems, move |()| {
        text.set(String::new());
        said.set(Some(t().ssh_key_added.to_string()));
    });
    let submit = Callback::new(move |()| {
        said.set(None);
        problems.clear();
        match validate::ssh_public_key(&text.get_untracked()) {
            Ok(key) => {
                add.dispatch(key);
            }
            Err(e) => {
                text_error.set(Some(e.to_string()));
                problems.focus_first_invalid();
            }
        }
    });

    view! {
        {page_title(m.nav_ssh_keys, Some(m.ssh_keys_lede))}
        <ListPanel rows act=remove said text=ListText {
            title: m.your_keys,
            lede: None,
            empty: m.no_ssh_keys,
            button: (m.remove, false),
            ask: (m.remove_key_title, m.remove_key_lede, m.remove),
            done: m.ssh_key_removed,
        }/>
        <FormCard id="add-key-heading" title=m.add_ssh_key labels=(m.add_ssh_key, m.saving)
            pending=add.pending() problems on_submit=submit>
            <div class="field">
                // The error's id is named even when it isn't there: a reference to a missing
                // element is ignored, and a fixed attribute is less code than a reactive one.
                <label for="ssh-key">{m.ssh_key_label}</label>
                <textarea id="ssh-key" name="ssh-key" spellcheck="false"
                    autocapitalize="off" autocomplete="off" prop:value=text
                    on:input=move |ev| {
                        text.set(event_target_value(&ev));
                        text_error.set(None);
                    }
                    aria-invalid=move || text_error.with(Option::is_some).then(|| truth(true))
                    aria-describedby="ssh-key-hint ssh-key-error"></textarea>
                <p class="hint" id="ssh-key-hint">{m.ssh_key_hint}</p>
                {move || text_error.get().map(|e| view! { <p class="field-error" id="ssh-key-error">{e}</p> }.into_any())}
            </div>
        </FormCard>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_key_row_shows_name_fingerprint_and_key() {
        let key = SshKey {
            id: "3".into(),
            key: "ssh-ed25519 AAAA me@<host>".into(),
            fingerprint: "SHA256:abc".into(),
        };
        let row = key_row(key);
        assert_eq!(row.name, "me@<host>");
        assert_eq!(row.detail.as_deref(), Some("SHA256:abc"));
        assert_eq!(row.full.as_deref(), Some("ssh-ed25519 AAAA me@<host>"));
        assert_eq!(
            (row.id.as_str(), row.label()),
            ("3", "me@<host> SHA256:abc".into())
        );
    }
}

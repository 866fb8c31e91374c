//! `#/account/ssh-keys`: the account's SSH public keys; add and remove.

use leptos::prelude::*;

use crate::components::set_title;
use crate::messages::t;

/// The SSH keys tab.
#[component]
pub fn SshKeysPage() -> impl IntoView {
    set_title(t().nav_ssh_keys);
    view! { <h1 tabindex="-1">{t().nav_ssh_keys}</h1> }
}

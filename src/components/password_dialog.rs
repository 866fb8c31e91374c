//! Modals that confirm a sensitive or destructive change: [`ConfirmDialog`], and
//! [`PasswordDialog`], which is one asking for the current password.
//!
//! A native `<dialog>` opened with `showModal()`: the browser makes the rest of the page
//! inert, closes it on Esc and gives focus back to the button that opened it.

use leptos::prelude::*;

use super::{focus_soon, form_alert, submit_button, PasswordField, Problems};
use crate::messages::t;
use crate::validate;

/// The `<dialog>` of id `id`, if it is in the page. Found by id rather than a node ref, as
/// inputs are (see `focus_soon`).
fn dialog_by_id(id: &str) -> Option<web_sys::HtmlDialogElement> {
    use wasm_bindgen::JsCast;
    Some(document().get_element_by_id(id)?.unchecked_into())
}

/// Opens the dialog `id` as a modal.
pub fn open_dialog(id: &str) {
    if let Some(d) = dialog_by_id(id) {
        let _ = d.show_modal();
    }
}

/// Closes the dialog `id`; focus goes back where it was before it opened.
pub fn close_dialog(id: &str) {
    if let Some(d) = dialog_by_id(id) {
        d.close();
    }
}

/// Title, text, the caller's fields, an alert region, Cancel and a confirm button.
#[component]
pub fn ConfirmDialog(
    /// Element id, for [`open_dialog`] and [`close_dialog`].
    id: &'static str,
    /// Heading.
    #[prop(into)]
    title: Signal<String>,
    /// What confirming does.
    #[prop(into)]
    lede: Signal<String>,
    /// The confirm button's label, and its label while pending.
    #[prop(into)]
    confirm: Signal<(&'static str, &'static str)>,
    /// The confirm button says it destroys something.
    #[prop(optional)]
    danger: bool,
    /// Where the dialog's problems are shown: its alert here, the fields' by the fields.
    problems: Problems,
    /// Whether the request is in flight.
    #[prop(into)]
    pending: Signal<bool>,
    /// Runs on submit, unless pending.
    on_confirm: Callback<()>,
    /// Runs when the dialog closes, however it closes (to forget what was typed).
    #[prop(optional)]
    on_close: Option<Callback<()>>,
    /// What the dialog is about, and its fields.
    children: Children,
) -> impl IntoView {
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if !pending.get_untracked() {
            problems.clear();
            on_confirm.run(());
        }
    };
    let forget = move |_| {
        problems.clear();
        if let Some(f) = on_close {
            f.run(());
        }
    };
    view! {
        <dialog class="dialog" id=id aria-labelledby="dialog-title" on:close=forget>
            <form class="form" on:submit=submit novalidate node_ref=problems.form_node()>
                <h2 id="dialog-title">{title}</h2>
                <p class="lede">{lede}</p>
                {children()}
                {form_alert(problems)}
                <div class="actions">
                    {submit_button(if danger { "button danger" } else { "button primary" },
                        pending, pending, confirm)}
                    {super::button("button secondary", t().cancel,
                        Callback::new(move |()| close_dialog(id)))}
                </div>
            </form>
        </dialog>
    }
}

/// The id of [`PasswordDialog`]'s field, for focusing it.
pub const PASSWORD_ID: &str = "current-password";

/// A [`ConfirmDialog`] with a current-password field; closing it forgets the password.
#[component]
pub fn PasswordDialog(
    /// Element id, for [`open_dialog`] and [`close_dialog`].
    id: &'static str,
    /// Heading.
    #[prop(into)]
    title: Signal<String>,
    /// What confirming does.
    #[prop(into)]
    lede: Signal<String>,
    /// The confirm button's label, and its label while pending.
    #[prop(into)]
    confirm: Signal<(&'static str, &'static str)>,
    /// The typed password.
    password: RwSignal<String>,
    /// Where the dialog's problems are shown; the password's as `current_password`.
    problems: Problems,
    /// Whether the request is in flight.
    #[prop(into)]
    pending: Signal<bool>,
    /// Sends the request (the password is present).
    on_confirm: Callback<()>,
) -> impl IntoView {
    let error = problems.field("current_password");
    let checked = Callback::new(move |()| {
        if let Err(e) = validate::current_password(&password.get_untracked()) {
            error.set(Some(e.to_string()));
            focus_soon(PASSWORD_ID, false);
        } else {
            on_confirm.run(());
        }
    });
    let forget = Callback::new(move |()| {
        password.set(String::new());
    });
    view! {
        <ConfirmDialog id title lede confirm problems pending on_confirm=checked on_close=forget>
            <PasswordField id=PASSWORD_ID label=t().current_password_label
                autocomplete="current-password" value=password error/>
        </ConfirmDialog>
    }
}

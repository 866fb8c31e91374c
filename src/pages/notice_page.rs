//! `#/notify?msg=` without a usable `to`, and `#/success?msg=`: a sentence and a way on.
//! (`#/notify` with an in-app `to` never renders: the app goes straight there.)

use leptos::prelude::*;

use crate::components::{set_title, AuthLayout};
use crate::messages::{notice_for, t};
use crate::routing::Route;

/// Shows the sentence for a message key; `done` picks the success page's wording.
#[component]
pub fn NoticePage(
    /// Message key from the link.
    msg: Option<String>,
    /// `#/success` rather than `#/notify`.
    done: bool,
) -> impl IntoView {
    let (title, link, href) = if done {
        (
            t().done_title,
            t().go_to_sign_in,
            Route::Login {
                next: None,
                email: None,
            }
            .href(),
        )
    } else {
        (t().notice_title, t().continue_link, Route::Home.href())
    };
    set_title(title);
    view! {
        <AuthLayout>
            <h1 tabindex="-1">{title}</h1>
            <p class="lede">{notice_for(msg.as_deref())}</p>
            <a class="button primary wide" href=href>{link}</a>
        </AuthLayout>
    }
}

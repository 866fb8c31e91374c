//! `#/notify?msg=` without a usable `to`, and `#/success?msg=`: a sentence and a way on
//! (`#/success?msg=account_deleted` is the goodbye page, leading to sign-up).
//! (`#/notify` with an in-app `to` never renders: the app goes straight there.)

use leptos::prelude::*;

use crate::components::{page_title, set_title, AuthLayout};
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
    let goodbye = msg.as_deref() == Some("account_deleted");
    let (title, link, href) = if goodbye {
        // The goodbye page: there is no account left to sign in to.
        (
            t().goodbye_title,
            t().sign_up_again,
            Route::Signup {
                uuid: None,
                code: None,
                email: None,
            }
            .href(),
        )
    } else if done {
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
            {page_title(title, Some(notice_for(msg.as_deref())))}
            <a class="button primary wide" href=href>{link}</a>
            {goodbye.then(|| view! {
                <a class="button secondary wide" href="https://www.gigalixir.com/">{t().gigalixir_home}</a>
            }.into_any())}
        </AuthLayout>
    }
}

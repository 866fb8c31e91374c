//! `#/account` and `#/account/profile`: who is signed in, their tier and credit.

use leptos::prelude::*;

use crate::api::users::{self, User};
use crate::api::{Api, ApiError, PageScope};
use crate::components::set_title;
use crate::messages::{dollars, t, tier_name};

/// The account overview.
#[component]
pub fn AccountPage() -> impl IntoView {
    set_title(t().account_title);
    let api = expect_context::<Api>();
    let scope = PageScope::new();
    let user = LocalResource::new(move || {
        let signal = scope.signal();
        async move { users::get(api, &signal).await }
    });

    view! {
        <h1 tabindex="-1">{t().account_title}</h1>
        <Transition fallback=|| view! { <p class="loading" role="status">{t().loading}</p> }>
            {move || user.get().map(|result| match result {
                Ok(u) => profile(u).into_any(),
                // Both are handled elsewhere: the page is being left.
                Err(ApiError::SessionExpired | ApiError::Aborted) => ().into_any(),
                Err(e) => view! {
                    <div class="problem" role="alert">
                        <p>{e.to_string()}</p>
                        <button type="button" class="button secondary" on:click=move |_| user.refetch()>
                            {t().try_again}
                        </button>
                    </div>
                }.into_any(),
            })}
        </Transition>
    }
}

fn profile(u: User) -> impl IntoView {
    view! {
        <section class="panel" aria-labelledby="profile-heading">
            <h2 id="profile-heading" class="visually-hidden">{t().nav_profile}</h2>
            <dl class="facts">
                <div><dt>{t().field_email}</dt><dd>{u.email}</dd></div>
                <div><dt>{t().field_tier}</dt><dd>{tier_name(&u.tier)}</dd></div>
                <div><dt>{t().field_credits}</dt><dd>{dollars(u.credit_cents)}</dd></div>
                <div>
                    <dt>{t().field_mfa}</dt>
                    <dd>{if u.mfa_enabled { t().mfa_on } else { t().mfa_off }}</dd>
                </div>
            </dl>
        </section>
    }
}

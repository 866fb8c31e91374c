//! `#/account` and `#/account/profile`: who is signed in, their tier and credit, and the
//! forms that change the password (A6) and the email (A10).

use leptos::prelude::*;

use crate::api::account::Call;
use crate::api::users::{self, User};
use crate::api::{Api, ApiError, PageScope};
use crate::components::{report, set_title, start, FormCard, Job, PasswordField, TextField};
use crate::messages::{dollars, t, tier_name};
use crate::routing::{AccountTab, Route};
use crate::session::SessionCtx;
use crate::validate;

/// The account overview.
#[component]
pub fn AccountPage() -> impl IntoView {
    set_title(t().account_title);
    let api = expect_context::<Api>();
    let session = expect_context::<SessionCtx>();
    let scope = PageScope::new();
    // None until the first answer; a reload keeps showing the last one until the next
    // arrives. A plain signal rather than a resource under `<Transition>`: this was the
    // console's only one, and the async-resource machinery cost more than the page.
    let user = RwSignal::new(None::<Result<User, ApiError>>);
    let load = Callback::new(move |_| {
        let signal = scope.signal();
        leptos::task::spawn_local(async move {
            let answer = users::get(api, &signal).await;
            // A change started elsewhere is remembered too, so its link can be followed here.
            if let Ok(u) = &answer {
                session.set_next_email(u.next_email.as_deref());
            }
            user.try_set(Some(answer));
        });
    });
    load.run(());
    let loaded = Memo::new(move |_| user.with(Option::is_some));

    view! {
        <h1 tabindex="-1">{t().account_title}</h1>
        {move || match user.get() {
            None => view! { <p class="loading" role="status">{t().loading}</p> }.into_any(),
            Some(Ok(u)) => profile(u).into_any(),
            Some(Err(e)) => load_problem(e, load),
        }}
        // The forms come with the first answer, not before: drawn earlier, they would jump
        // down when the profile above them arrives (a layout shift Lighthouse counts).
        {move || loaded.get().then(|| view! {
            {password_form(api, scope)}
            {email_form(api, scope, load)}
        })}
    }
}

/// A failed load: the reason and Try again (nothing when the page is being left).
pub fn load_problem(e: ApiError, retry: Callback<()>) -> AnyView {
    (!matches!(e, ApiError::SessionExpired | ApiError::Aborted))
        .then(|| {
            view! {
                <div class="problem" role="alert">
                    <p>{e.to_string()}</p>
                    <button type="button" class="button secondary" on:click=move |_| retry.run(())>
                        {t().try_again}
                    </button>
                </div>
            }
        })
        .into_any()
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
            // Under the list, not in the tier's <dd>: a definition holds the value alone.
            {(u.tier == "FREE").then(|| view! {
                <p class="upgrade"><a href=Route::Account { tab: Some(AccountTab::Upgrade) }.href()>{t().upgrade_title}</a></p>
            })}
            {u.next_email.map(|next| view! { <p class="hint">{t().email_change_pending(&next)}</p> })}
        </section>
    }
}

/// A6: current password, then the new one twice.
fn password_form(api: Api, scope: PageScope) -> impl IntoView {
    let current = RwSignal::new(String::new());
    let new = RwSignal::new(String::new());
    let repeat = RwSignal::new(String::new());
    let current_error = RwSignal::new(None::<String>);
    let new_error = RwSignal::new(None::<String>);
    let repeat_error = RwSignal::new(None::<String>);
    let error = RwSignal::new(None::<String>);
    let done = RwSignal::new(None::<String>);

    let busy = RwSignal::new(false);
    let changed = Callback::new(move |r: Result<Option<String>, ApiError>| match r {
        Ok(_) => {
            for field in [current, new, repeat] {
                field.set(String::new());
            }
            done.set(Some(t().password_changed_here.to_string()));
        }
        Err(e) => report(
            &e,
            &[
                ("current_password", current_error),
                ("new_password", new_error),
            ],
            error,
        ),
    });
    let submit = Callback::new(move |_| {
        let (c, n) = (current.get_untracked(), new.get_untracked());
        let checks = [
            (current_error, validate::current_password(&c)),
            (new_error, validate::new_password(&n)),
            (
                repeat_error,
                validate::password_repeat(&n, &repeat.get_untracked()),
            ),
        ];
        let mut ok = true;
        for (slot, check) in checks {
            ok &= check.is_ok();
            slot.set(check.err().map(str::to_string));
        }
        error.set(None);
        done.set(None);
        if ok {
            start(api, busy, Job::Call(Call::Password(c, n)), scope, changed);
        }
    });

    view! {
        <FormCard id="password-heading" title=t().change_password_button
            labels=(t().change_password_button, t().changing_password)
            pending=busy error done on_submit=submit>
            <PasswordField id="current-password" label=t().current_password_label
                autocomplete="current-password" value=current error=current_error/>
            <PasswordField id="new-password" label=t().new_password_label
                autocomplete="new-password" value=new error=new_error/>
            <PasswordField id="repeat-password" label=t().confirm_password_label
                autocomplete="new-password" value=repeat error=repeat_error/>
        </FormCard>
    }
}

/// A10: the new address and the current password; links go to both addresses.
fn email_form(api: Api, scope: PageScope, on_sent: Callback<()>) -> impl IntoView {
    let session = expect_context::<SessionCtx>();
    let next = RwSignal::new(String::new());
    let password = RwSignal::new(String::new());
    let next_error = RwSignal::new(None::<String>);
    let password_error = RwSignal::new(None::<String>);
    let error = RwSignal::new(None::<String>);
    let done = RwSignal::new(None::<String>);

    let busy = RwSignal::new(false);
    // The address asked for, for the sentence once the API has agreed.
    let asked = RwSignal::new(String::new());
    let sent = Callback::new(move |r: Result<Option<String>, ApiError>| match r {
        Ok(_) => {
            let n = asked.get_untracked();
            let current = session
                .current_untracked()
                .map(|s| s.email)
                .unwrap_or_default();
            session.set_next_email(Some(&n));
            next.set(String::new());
            password.set(String::new());
            done.set(Some(t().email_change_sent(&n, &current)));
            on_sent.run(());
        }
        Err(e) => report(
            &e,
            &[
                ("next_email", next_error),
                ("current_password", password_error),
            ],
            error,
        ),
    });
    let submit = Callback::new(move |_| {
        let (n, p) = (
            next.get_untracked().trim().to_string(),
            password.get_untracked(),
        );
        let checks = [
            (next_error, validate::email(&n)),
            (password_error, validate::current_password(&p)),
        ];
        let mut ok = true;
        for (slot, check) in checks {
            ok &= check.is_ok();
            slot.set(check.err().map(str::to_string));
        }
        error.set(None);
        done.set(None);
        if ok {
            asked.set(n.clone());
            start(api, busy, Job::Call(Call::Email(n, p)), scope, sent);
        }
    });

    view! {
        <FormCard id="email-heading" title=t().change_email labels=(t().change_email, t().saving)
            pending=busy error done on_submit=submit>
            <TextField id="next-email" label=t().new_email_label kind="email" autocomplete="email"
                value=next error=next_error/>
            <PasswordField id="email-password" label=t().current_password_label
                autocomplete="current-password" value=password error=password_error/>
        </FormCard>
    }
}

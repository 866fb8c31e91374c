//! `#/account` and `#/account/profile`: who is signed in, their tier and credit, and the
//! forms that change the password (A6) and the email (A10).

use leptos::prelude::*;

use crate::api::users::{self, User};
use crate::api::{account, Api};
use crate::components::{
    answered, not_loaded, page_title, panel, set_title, FormCard, PasswordField, Problems,
    TextField,
};
use crate::data::{Action, LocalResource};
use crate::messages::{dollars, t, tier_name};
use crate::routing::{AccountTab, Route};
use crate::session::SessionCtx;
use crate::validate;

/// The account overview.
#[component]
pub fn AccountPage() -> impl IntoView {
    set_title(t().nav_profile);
    let api = Api::for_page();
    let session = expect_context::<SessionCtx>();
    let email_change = Action::new_local(move |(next, password): &(String, String)| {
        account::request_email_change(api, next, password)
    });
    // Loaded again after each email change, which the profile mentions.
    let user = LocalResource::new(move || {
        email_change.version().track();
        async move {
            let answer = users::get(api).await;
            // A change started elsewhere is remembered too, so its link can be followed here.
            if let Ok(u) = &answer {
                session.set_next_email(u.next_email.as_deref());
            }
            answer
        }
    });
    let retry = Callback::new(move |()| user.refetch());
    let loaded = Memo::new(move |_| user.with(|u| u.is_some()));

    view! {
        {page_title(t().nav_profile, None)}
        {move || match user.get() {
            None => not_loaded(None, retry),
            Some(Ok(u)) => profile(u).into_any(),
            Some(Err(error)) => not_loaded(Some(error), retry),
        }}
        // The forms come with the first answer, not before: drawn earlier, they would jump
        // down when the profile above them arrives (a layout shift Lighthouse counts).
        // Erased, as the other optional parts of pages are, so their code is shared.
        {move || loaded.get().then(|| view! {
            {password_form(api)}
            {email_form(email_change)}
        }.into_any())}
    }
}

/// The profile's facts, and the way to Standard for a Free account.
fn profile(user: User) -> impl IntoView {
    let m = t();
    let body = view! {
            <dl class="facts">
                <div><dt>{m.field_email}</dt><dd>{user.email}</dd></div>
                <div><dt>{m.field_tier}</dt><dd>{tier_name(&user.tier)}</dd></div>
                <div><dt>{m.field_credits}</dt><dd>{dollars(user.credit_cents)}</dd></div>
                <div>
                    <dt>{m.field_mfa}</dt>
                    <dd>{if user.mfa_enabled { m.mfa_on } else { m.mfa_off }}</dd>
                </div>
            </dl>
            // Under the list, not in the tier's <dd>: a definition holds the value alone.
            {(user.tier == "FREE").then(|| view! {
                <p class="upgrade"><a href=Route::Account { tab: Some(AccountTab::Upgrade) }.href()>{m.upgrade_title}</a></p>
            }.into_any())}
            {user.next_email.map(|next| view! { <p class="hint">{m.email_change_pending(&next)}</p> }.into_any())}
    };
    panel("profile-heading", m.nav_profile, true, body.into_any())
}

/// A6: current password, then the new one twice.
fn password_form(api: Api) -> impl IntoView {
    let change = Action::new_local(move |(current, new): &(String, String)| {
        account::change_password(api, current, new)
    });
    let current = RwSignal::new(String::new());
    let new = RwSignal::new(String::new());
    let repeat = RwSignal::new(String::new());
    let problems = Problems::new();
    let done = RwSignal::new(None::<String>);
    answered(change, problems, move |()| {
        for field in [current, new, repeat] {
            field.set(String::new());
        }
        done.set(Some(t().password_changed_here.to_string()));
    });
    let submit = Callback::new(move |()| {
        let (c, n) = (current.get_untracked(), new.get_untracked());
        problems.clear();
        done.set(None);
        let checks = [
            problems.check("current_password", validate::current_password(&c)),
            problems.check(
                "new_password",
                validate::new_password(&n).and(validate::password_changes(&c, &n)),
            ),
            problems.check(
                "repeat",
                validate::password_repeat(&n, &repeat.get_untracked()),
            ),
        ];
        if checks.iter().all(|ok| *ok) {
            change.dispatch((c, n));
        }
    });

    view! {
        <FormCard id="password-heading" title=t().change_password_button
            labels=(t().change_password_button, t().changing_password)
            pending=change.pending() problems done on_submit=submit>
            <PasswordField id="current-password" label=t().current_password_label
                autocomplete="current-password" value=current error=problems.field("current_password")/>
            <PasswordField id="new-password" label=t().new_password_label
                autocomplete="new-password" value=new error=problems.field("new_password")/>
            <PasswordField id="repeat-password" label=t().confirm_password_label
                autocomplete="new-password" value=repeat error=problems.field("repeat")/>
        </FormCard>
    }
}

/// A10: the new address and the current password; links go to both addresses. The page
/// owns the action, so that the profile reloads after it.
fn email_form(action: Action<(String, String), Result<(), crate::api::ApiError>>) -> impl IntoView {
    let session = expect_context::<SessionCtx>();
    let next = RwSignal::new(String::new());
    let password = RwSignal::new(String::new());
    let problems = Problems::new();
    let done = RwSignal::new(None::<String>);
    // The address asked for, for the sentence once the API has agreed.
    let asked = RwSignal::new(String::new());
    answered(action, problems, move |()| {
        let n = asked.get_untracked();
        let current = session
            .current_untracked()
            .map(|s| s.email)
            .unwrap_or_default();
        session.set_next_email(Some(&n));
        next.set(String::new());
        password.set(String::new());
        done.set(Some(t().email_change_sent(&n, &current)));
    });
    let submit = Callback::new(move |()| {
        let (n, p) = (
            next.get_untracked().trim().to_string(),
            password.get_untracked(),
        );
        problems.clear();
        done.set(None);
        let checks = [
            problems.check("next_email", validate::email(&n)),
            problems.check("current_password", validate::current_password(&p)),
        ];
        if checks.iter().all(|ok| *ok) {
            asked.set(n.clone());
            action.dispatch((n, p));
        }
    });

    view! {
        <FormCard id="email-heading" title=t().change_email labels=(t().change_email, t().saving)
            pending=action.pending() problems done on_submit=submit>
            <TextField id="next-email" label=t().new_email_label kind="email" autocomplete="email"
                value=next error=problems.field("next_email")/>
            <PasswordField id="email-password" label=t().current_password_label
                autocomplete="current-password" value=password error=problems.field("current_password")/>
        </FormCard>
    }
}

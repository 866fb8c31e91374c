//! `#/account/mfa`: two-factor authentication on or off, activation with a QR code, and
//! recovery codes (A5, A13–A16).
//!
//! Every part of the page is drawn once; one `data-stage` attribute on the wrapper and the
//! stylesheet show the parts of the current stage. One reactive attribute costs far less
//! wasm than a view (or a `hidden` binding) per stage.

use leptos::prelude::*;

use crate::api::mfa::{self, group_in_fours, KeyUri};
use crate::api::users::{self, User};
use crate::api::{Api, ApiError};
use crate::components::{
    answered, button, close_dialog, each, effect, focus_selector, offline, open_dialog, page_title,
    sentence, set_title, CopyButton, FormMessage, PasswordDialog, Problems, QrCode, RecoveryCodes,
    TextField,
};
use crate::data::{Action, Choice, Choices, LocalResource};
use crate::messages::t;
use crate::routing::{Route, Router};
use crate::session::SessionCtx;
use crate::validate;

/// What the page shows; its name is the wrapper's `data-stage` (see style/main.css).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Stage {
    Loading,
    /// A5 failed; the failed panel says why, with Try again.
    Failed,
    Off,
    /// A13 answered: QR code and the first code.
    Setup,
    /// Recovery codes from A14: the key is revoked, Done signs in again.
    Fresh,
    /// Recovery codes from A16.
    Codes,
    On,
}

impl Choices for Option<Stage> {
    const ALL: &'static [Option<Stage>] = &[
        None,
        Some(Stage::Loading),
        Some(Stage::Failed),
        Some(Stage::Off),
        Some(Stage::Setup),
        Some(Stage::Fresh),
        Some(Stage::Codes),
        Some(Stage::On),
    ];
}

impl Stage {
    fn name(self) -> &'static str {
        match self {
            Stage::Loading => "loading",
            Stage::Failed => "failed",
            Stage::Off => "off",
            Stage::Setup => "setup",
            Stage::Fresh => "fresh",
            Stage::Codes => "codes",
            Stage::On => "on",
        }
    }
}

/// The "Can't scan?" facts of a Key URI, as a definition list's rows.
fn key_facts(uri: &str) -> impl IntoView {
    KeyUri::parse(uri).map(|k| {
        let m = t();
        let facts = [
            (m.mfa_account, k.account),
            (m.mfa_issuer, k.issuer),
            (m.mfa_digits, k.digits),
            (m.mfa_period, m.mfa_seconds(&k.period)),
        ];
        view! {
            <div><dt>{m.mfa_key}</dt><dd><code class="secret">{group_in_fours(&k.secret)}</code></dd></div>
            {each(facts, |(term, value)| view! { <div><dt>{term}</dt><dd>{value}</dd></div> }.into_any())}
        }
        .into_any()
    })
}

/// The two-factor authentication page.
#[component]
pub fn MfaPage() -> impl IntoView {
    set_title(t().nav_mfa);
    let api = Api::for_page();
    let router = expect_context::<Router>();
    let session = expect_context::<SessionCtx>();
    // Codes not yet confirmed as saved must not be lost by leaving; once the page is gone
    // there is nothing left to guard.
    on_cleanup(move || router.set_leave_guard(None));
    let email = session
        .current_untracked()
        .map(|s| s.email)
        .unwrap_or_default();

    // Whether MFA is on (A5), loaded once and again on Try again.
    let status = LocalResource::new(move || users::get(api));
    // The stage a change moved to; `None` shows what `status` says.
    let moved = Choice::new(None::<Stage>);
    // Back to the status panel, on or off, focus on its heading.
    let to_status = move |stage: Stage| {
        moved.set(Some(stage));
        focus_selector("#mfa-status");
    };

    let uri = RwSignal::new(String::new());
    // One code per line: the form they are copied and downloaded in.
    let codes = RwSignal::new(String::new());
    let saved = RwSignal::new(false);
    let notice = RwSignal::new(None::<String>);
    let dialog = "password-dialog";
    let deactivating = RwSignal::new(false);
    let password = RwSignal::new(String::new());
    let problems = Problems::new();
    let dialog_problems = Problems::new();

    let changes = Changes::new(api);
    let (start, verify) = (changes.start, changes.verify);
    let (regenerate, deactivate) = (changes.regenerate, changes.deactivate);
    let pendings = [
        start.pending(),
        verify.pending(),
        regenerate.pending(),
        deactivate.pending(),
    ];
    // One change at a time: the buttons that start one are disabled meanwhile.
    let busy = Signal::derive(move || pendings.iter().any(|p| p.get()));

    answered(start, problems, move |new_uri: String| {
        uri.set(new_uri);
        moved.set(Some(Stage::Setup));
        focus_selector("#mfa-setup");
    });
    let show_codes = move |new_codes: String, fresh: bool| {
        // From here until Done no request is made: after activation the key is dead, and
        // a 401 would sign out and lose the codes.
        codes.set(new_codes);
        saved.set(false);
        router.set_leave_guard(Some(t().leave_codes));
        crate::session::codes_showing(fresh);
        close_dialog(dialog);
        let news = if fresh {
            t().mfa_turned_on
        } else {
            t().codes_new_done
        };
        notice.set(Some(news.to_string()));
        moved.set(Some(if fresh { Stage::Fresh } else { Stage::Codes }));
        focus_selector("#codes-title");
    };
    // The codes are the verify action's answer, which the setup panel has just had.
    let on_verified = Callback::new(move |()| {
        if let Some(Ok(c)) = verify.with_value_untracked(|v| v.cloned()) {
            show_codes(c, true);
        }
    });
    answered(regenerate, dialog_problems, move |c| show_codes(c, false));
    answered(deactivate, dialog_problems, move |()| {
        close_dialog(dialog);
        notice.set(Some(t().mfa_turned_off.to_string()));
        to_status(Stage::Off);
    });

    // Each change starts with nothing said about the last one.
    let fresh_start = move || {
        let idle = !busy.get_untracked();
        if idle {
            problems.clear();
            notice.set(None);
        }
        idle
    };
    let turn_on = Callback::new(move |()| {
        if fresh_start() {
            start.dispatch(());
        }
    });

    let ask_password = move |deactivate: bool| {
        Callback::new(move |()| {
            deactivating.set(deactivate);
            notice.set(None);
            open_dialog(dialog);
        })
    };
    let on_confirm = Callback::new(move |()| {
        if !fresh_start() {
            return;
        }
        let p = password.get_untracked();
        if deactivating.get_untracked() {
            deactivate.dispatch(p);
        } else {
            regenerate.dispatch(p);
        }
    });

    let done_email = email.clone();
    let on_done = Callback::new(move |()| {
        let fresh = moved.get_untracked() == Some(Stage::Fresh);
        codes_done(router, session, fresh, &done_email);
        if !fresh {
            codes.set(String::new());
            notice.set(None);
            to_status(Stage::On);
        }
    });

    let to_off = Callback::new(move |()| to_status(Stage::Off));

    view! {
        {page_title(t().nav_mfa, None)}
        <FormMessage message=problems.alert().unwrap_or_default()/>
        <FormMessage message=notice status=true/>
        <div class="mfa" data-stage=move || stage(moved, status).name().to_string()>
            <p class="loading s-loading">{t().loading}</p>
            {failed_panel(status, moved)}

            {status_panel(busy, turn_on, [ask_password(false), ask_password(true)])}
            {setup_panel(verify, uri, notice, on_verified, to_off)}

            <section class="panel s-codes">
                <p class="notice warn s-fresh">{t().mfa_key_replaced}</p>
                <RecoveryCodes codes saved email status=notice on_done/>
            </section>
        </div>

        {password_dialog(dialog, deactivating, password, dialog_problems, busy, on_confirm)}
    }
}

/// What the page shows: where a change moved it, else what the status says.
fn stage(moved: Choice<Option<Stage>>, status: LocalResource<Result<User, ApiError>>) -> Stage {
    moved.get().unwrap_or_else(|| {
        status.with(|s| match s {
            None => Stage::Loading,
            Some(Ok(user)) if user.mfa_enabled => Stage::On,
            Some(Ok(_)) => Stage::Off,
            Some(Err(_)) => Stage::Failed,
        })
    })
}

/// Why the status could not be had, worded as every failed load is, with Try again.
fn failed_panel(
    status: LocalResource<Result<User, ApiError>>,
    moved: Choice<Option<Stage>>,
) -> impl IntoView {
    let retry = move || {
        moved.set(None);
        status.refetch();
    };
    let failure = move || {
        status.with(|s| {
            s.and_then(|s| s.as_ref().err())
                .and_then(sentence)
                .unwrap_or_default()
        })
    };
    view! {
        <div class="problem s-failed">
            <p role="alert">{failure}</p>
            {button("button secondary", t().try_again, Callback::new(move |()| retry()))}
        </div>
    }
}

/// Done under the recovery codes: nothing left to guard. After activation the key is dead,
/// so the session ends and sign-in follows (with `email`); the page goes on otherwise.
fn codes_done(router: Router, session: SessionCtx, fresh: bool, email: &str) {
    router.set_leave_guard(None);
    crate::session::codes_showing(false);
    if fresh {
        // Session and route change in one go, so the app's guard sees both at once and
        // nothing asks the API with the dead key.
        session.end_with(t().mfa_sign_in_again);
        router.replace(&Route::Login {
            next: None,
            email: Some(email.to_string()),
        });
    }
}

/// The page's four changes.
#[derive(Clone, Copy)]
struct Changes {
    /// A13: a new secret, answered as its Key URI.
    start: Action<(), Result<String, ApiError>>,
    /// A14 with the first code: MFA on, answered with the recovery codes.
    verify: Action<String, Result<String, ApiError>>,
    /// A16 with the current password: new recovery codes.
    regenerate: Action<String, Result<String, ApiError>>,
    /// A15 with the current password: MFA off.
    deactivate: Action<String, Result<(), ApiError>>,
}

impl Changes {
    fn new(api: Api) -> Self {
        // Codes come back one per line, the form they are shown, copied and downloaded in
        // (and an action of a kind the console has).
        let one_per_line = |codes: Vec<String>| codes.join("\n");
        Changes {
            start: Action::new_local(move |()| mfa::start(api)),
            verify: Action::new_local(move |c: &String| {
                let verifying = mfa::verify(api, c);
                async move { verifying.await.map(one_per_line) }
            }),
            regenerate: Action::new_local(move |p: &String| {
                let regenerating = mfa::regenerate(api, p);
                async move { regenerating.await.map(one_per_line) }
            }),
            deactivate: Action::new_local(move |p: &String| mfa::deactivate(api, p)),
        }
    }
}

/// The current password before new codes or turning MFA off, worded for the one asked.
fn password_dialog(
    dialog: &'static str,
    deactivating: RwSignal<bool>,
    password: RwSignal<String>,
    problems: Problems,
    pending: Signal<bool>,
    on_confirm: Callback<()>,
) -> impl IntoView {
    let text = move |off: &'static str, new: &'static str| {
        Signal::derive(move || String::from(if deactivating.get() { off } else { new }))
    };
    view! {
        <PasswordDialog id=dialog
            title=text(t().mfa_turn_off_title, t().codes_new)
            lede=text(t().mfa_turn_off_lede, t().codes_new_lede)
            confirm=Signal::derive(move || {
                let off = deactivating.get();
                (if off { t().mfa_turn_off_confirm } else { t().codes_new_confirm }, t().please_wait)
            })
            password problems pending on_confirm/>
    }
}

/// MFA on or off, and what can be done from there.
fn status_panel(
    busy: Signal<bool>,
    turn_on: Callback<()>,
    [ask_codes, ask_off]: [Callback<()>; 2],
) -> impl IntoView {
    view! {
        <section class="panel s-status">
            <h2 id="mfa-status" tabindex="-1">
                <span class="s-on">{t().mfa_is_on}</span>
                <span class="s-off">{t().mfa_is_off}</span>
            </h2>
            <p class="s-on">{t().mfa_on_lede}</p>
            <p class="s-off">{t().mfa_off_lede}</p>
            <div class="actions">
                <button type="button" class="button primary s-off" prop:disabled=move || busy.get()
                    on:click=move |_| turn_on.run(())>
                    {move || String::from(if busy.get() { t().please_wait } else { t().mfa_turn_on })}
                </button>
                {button("button secondary s-on", t().codes_new, ask_codes)}
                {button("button danger s-on", t().mfa_turn_off, ask_off)}
            </div>
        </section>
    }
}

/// Activation: the QR code of A13's URI, the key by hand, and the first code (A14).
/// `notice` is the page's status region.
fn setup_panel(
    verify: Action<String, Result<String, ApiError>>,
    uri: RwSignal<String>,
    notice: RwSignal<Option<String>>,
    on_verified: Callback<()>,
    on_cancel: Callback<()>,
) -> impl IntoView {
    let code = RwSignal::new(String::new());
    let secret = RwSignal::new(String::new());
    let problems = Problems::new();
    let code_error = problems.field_saying("mfa_token", |_| t().mfa_wrong_code.to_string());
    // A new URI starts a new attempt, with nothing said about the last one.
    effect(move || {
        secret.set(uri.with(|u| KeyUri::parse(u).unwrap_or_default().secret));
        code.set(String::new());
        problems.clear();
    });
    let pending = verify.pending();
    answered(verify, problems, move |_| {
        // The sign-in that follows may be given this same code: it can say why it fails.
        if let Ok(c) = validate::totp_code(&code.get_untracked()) {
            crate::used_codes::note(&c, js_sys::Date::now());
        }
        on_verified.run(());
    });
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if pending.get_untracked() {
            return;
        }
        problems.clear();
        notice.set(None);
        match validate::totp_code(&code.get_untracked()) {
            Ok(c) => verify.dispatch(c),
            Err(e) => {
                problems.check("mfa_token", Err(e));
                problems.focus_first_invalid();
            }
        }
    };

    view! {
        <section class="panel s-setup">
            <h2 id="mfa-setup" tabindex="-1">{t().mfa_setup_title}</h2>
            <p>{t().mfa_scan}</p>
            <QrCode text=uri label=t().mfa_qr_label/>
            <details class="key">
                <summary>{t().mfa_cant_scan}</summary>
                <p>{t().mfa_by_hand}</p>
                <dl class="facts">{move || uri.with(|u| key_facts(u))}</dl>
                <CopyButton text=secret label=t().copy_key status=notice/>
            </details>
            <form class="form" on:submit=submit novalidate node_ref=problems.form_node()>
                <p>{t().mfa_enter_code}</p>
                <TextField id="mfa-code" label=t().mfa_code_label autocomplete="one-time-code"
                    inputmode="numeric" value=code error=code_error class="code"/>
                <FormMessage message=problems.alert().unwrap_or_default()/>
                <p class="notice warn" id="mfa-replaces-key">{t().mfa_replaces_key}</p>
                <div class="actions">
                    <button type="submit" class="button primary" aria-describedby="mfa-replaces-key"
                        prop:disabled=move || pending.get() || offline()>
                        {move || String::from(if pending.get() { t().verifying } else { t().mfa_turn_on_short })}
                    </button>
                    {button("button secondary", t().cancel, on_cancel)}
                </div>
            </form>
        </section>
    }
}

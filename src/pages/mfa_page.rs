//! `#/account/mfa`: two-factor authentication on or off, activation with a QR code, and
//! recovery codes (A5, A13–A16).
//!
//! Every part of the page is drawn once; one `data-stage` attribute on the wrapper and the
//! stylesheet show the parts of the current stage. One reactive attribute costs far less
//! wasm than a view (or a `hidden` binding) per stage.

use leptos::html::{Dialog, Input};
use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::api::mfa::{self, group_in_fours, KeyUri};
use crate::api::users;
use crate::api::{Api, ApiError};
use crate::components::{
    close_dialog, each, focus_selector, focus_soon, offline, open_dialog, set_title, CopyButton,
    FormMessage, PasswordDialog, Problems, QrCode, RecoveryCodes, TextField,
};
use crate::messages::t;
use crate::routing::{Route, Router};
use crate::session::SessionCtx;
use crate::validate;

/// What the page shows; its name is the wrapper's `data-stage` (see style/main.css).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Stage {
    Loading,
    /// A5 failed; the alert says why and Try again reloads.
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
    })
}

/// One request the page makes.
enum Request {
    Load,
    Start,
    Verify(String),
    Regenerate(String),
    Deactivate(String),
}

/// What a request answered.
enum Answer {
    /// Whether MFA is on (A5, A15).
    On(bool),
    /// The Key URI to enrol (A13).
    Uri(String),
    /// Fresh recovery codes (A14, A16).
    Codes(Vec<String>),
}

impl Request {
    /// Makes the request's API call.
    async fn send(&self, api: Api) -> Result<Answer, ApiError> {
        match self {
            Request::Load => users::get(api).await.map(|u| Answer::On(u.mfa_enabled)),
            Request::Start => mfa::start(api).await.map(Answer::Uri),
            Request::Verify(c) => mfa::verify(api, c).await.map(Answer::Codes),
            Request::Regenerate(p) => mfa::regenerate(api, p).await.map(Answer::Codes),
            Request::Deactivate(p) => mfa::deactivate(api, p).await.map(|()| Answer::On(false)),
        }
    }
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

    let stage = RwSignal::new(Stage::Loading);
    let busy = RwSignal::new(false);
    let uri = RwSignal::new(String::new());
    let secret = RwSignal::new(String::new());
    // One code per line: the form they are copied and downloaded in.
    let codes = RwSignal::new(String::new());
    let saved = RwSignal::new(false);
    let code = RwSignal::new(String::new());
    let code_error = RwSignal::new(None::<String>);
    let message = RwSignal::new(None::<String>);
    let notice = RwSignal::new(None::<String>);

    let dialog = NodeRef::<Dialog>::new();
    let deactivating = RwSignal::new(false);
    let password = RwSignal::new(String::new());
    let dialog_problems = Problems::new();
    let code_ref = NodeRef::<Input>::new();
    let password_ref = NodeRef::<Input>::new();

    let answered = move |request: Request, answer: Result<Answer, ApiError>| {
        let error = match answer {
            Ok(Answer::On(on)) => {
                stage.set(if on { Stage::On } else { Stage::Off });
                if let Request::Deactivate(_) = request {
                    close_dialog(dialog);
                    notice.set(Some(t().mfa_turned_off.to_string()));
                    focus_selector("#mfa-status");
                }
                return;
            }
            Ok(Answer::Uri(new_uri)) => {
                secret.set(KeyUri::parse(&new_uri).unwrap_or_default().secret);
                uri.set(new_uri);
                code.set(String::new());
                stage.set(Stage::Setup);
                focus_selector("#mfa-setup");
                return;
            }
            Ok(Answer::Codes(new_codes)) => {
                // From here until Done no request is made: after activation the key is
                // dead, and a 401 would sign out and lose the codes.
                let fresh = matches!(request, Request::Verify(_));
                codes.set(new_codes.join("\n"));
                saved.set(false);
                router.set_leave_guard(Some(t().leave_codes));
                close_dialog(dialog);
                let news = if fresh {
                    t().mfa_turned_on
                } else {
                    t().codes_new_done
                };
                notice.set(Some(news.to_string()));
                stage.set(if fresh { Stage::Fresh } else { Stage::Codes });
                focus_selector("#codes-title");
                return;
            }
            // The session has ended: the app is already taking the user to sign in.
            Err(ApiError::SessionExpired) => return,
            Err(e) => e,
        };
        match request {
            Request::Load => {
                stage.set(Stage::Failed);
                message.set(Some(error.to_string()));
            }
            Request::Verify(_) if error.field("mfa_token").is_some() => {
                code_error.set(Some(t().mfa_wrong_code.to_string()));
                focus_soon(code_ref, true);
            }
            Request::Regenerate(_) | Request::Deactivate(_) => {
                if dialog_problems.place(&error) {
                    dialog_problems.focus_first_invalid();
                }
            }
            Request::Start | Request::Verify(_) => message.set(Some(error.to_string())),
        }
    };

    // One request at a time; the buttons that start one are disabled meanwhile. A plain task
    // and a flag rather than an `Action`: same behaviour, less wasm.
    let send = move |request: Request| {
        if busy.get_untracked() {
            return;
        }
        busy.set(true);
        message.set(None);
        notice.set(None);
        spawn_local(async move {
            let answer = request.send(api).await;
            // Aborted: the page is gone, and its state with it.
            if !matches!(answer, Err(ApiError::Aborted)) {
                busy.set(false);
                answered(request, answer);
            }
        });
    };
    send(Request::Load);

    let verify = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        match validate::totp_code(&code.get_untracked()) {
            Ok(c) => send(Request::Verify(c)),
            Err(e) => {
                code_error.set(Some(e.to_string()));
                focus_soon(code_ref, false);
            }
        }
    };

    let ask_password = move |deactivate: bool| {
        deactivating.set(deactivate);
        notice.set(None);
        open_dialog(dialog);
    };
    let on_confirm = Callback::new(move |()| {
        let p = password.get_untracked();
        send(if deactivating.get_untracked() {
            Request::Deactivate(p)
        } else {
            Request::Regenerate(p)
        });
    });

    let done_email = email.clone();
    let on_done = Callback::new(move |()| {
        router.set_leave_guard(None);
        if stage.get_untracked() == Stage::Fresh {
            // Session and route change in one go, so the app's guard sees both at once and
            // nothing asks the API with the dead key.
            session.end_with(t().mfa_sign_in_again);
            router.replace(&Route::Login {
                next: None,
                email: Some(done_email.clone()),
            });
        } else {
            codes.set(String::new());
            notice.set(None);
            stage.set(Stage::On);
            focus_selector("#mfa-status");
        }
    });

    let to_off = move |_: leptos::ev::MouseEvent| {
        stage.set(Stage::Off);
        focus_selector("#mfa-status");
    };
    let dialog_text = move |off: &'static str, new: &'static str| {
        Signal::derive(move || if deactivating.get() { off } else { new })
    };
    let busy = Signal::from(busy);

    view! {
        <h1 tabindex="-1">{t().nav_mfa}</h1>
        <FormMessage message/>
        <FormMessage message=notice status=true/>
        <div class="mfa" data-stage=move || stage.get().name()>
            <p class="loading s-loading">{t().loading}</p>
            <button type="button" class="button secondary s-failed"
                on:click=move |_| send(Request::Load)>{t().try_again}</button>

            <section class="panel s-status">
                <h2 id="mfa-status" tabindex="-1">
                    <span class="s-on">{t().mfa_is_on}</span>
                    <span class="s-off">{t().mfa_is_off}</span>
                </h2>
                <p class="s-on">{t().mfa_on_lede}</p>
                <p class="s-off">{t().mfa_off_lede}</p>
                <div class="actions">
                    <button type="button" class="button primary s-off" disabled=busy
                        on:click=move |_| send(Request::Start)>
                        {move || if busy.get() { t().please_wait } else { t().mfa_turn_on }}
                    </button>
                    <button type="button" class="button secondary s-on"
                        on:click=move |_| ask_password(false)>{t().codes_new}</button>
                    <button type="button" class="button danger s-on"
                        on:click=move |_| ask_password(true)>{t().mfa_turn_off}</button>
                </div>
            </section>

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
                <form class="form" on:submit=verify novalidate>
                    <p>{t().mfa_enter_code}</p>
                    <TextField id="mfa-code" label=t().mfa_code_label autocomplete="one-time-code"
                        inputmode="numeric" value=code error=code_error node_ref=code_ref class="code"/>
                    <div class="actions">
                        <button type="submit" class="button primary" disabled=move || busy.get() || offline()>
                            {move || if busy.get() { t().verifying } else { t().mfa_turn_on_short }}
                        </button>
                        <button type="button" class="button secondary" on:click=to_off>
                            {t().cancel}
                        </button>
                    </div>
                </form>
            </section>

            <section class="panel s-codes">
                <p class="notice warn s-fresh">{t().mfa_key_replaced}</p>
                <RecoveryCodes codes saved email status=notice on_done/>
            </section>
        </div>

        <PasswordDialog dialog
            title=dialog_text(t().mfa_turn_off_title, t().codes_new)
            lede=dialog_text(t().mfa_turn_off_lede, t().codes_new_lede)
            confirm=dialog_text(t().mfa_turn_off_confirm, t().codes_new_confirm)
            password problems=dialog_problems pending=busy on_confirm
            input=password_ref/>
    }
}

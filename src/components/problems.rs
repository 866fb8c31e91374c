//! The one place that shows what went wrong: an API refusal, a lost connection, a 429 with
//! its wait, a failed load. Changing how one kind of problem reads or where it goes is a
//! change to this file alone (the sentences themselves are `ApiError::message`).

use leptos::html::Form;
use leptos::prelude::*;
use wasm_bindgen::JsCast;

use super::effect;
use crate::api::ApiError;
use crate::data::{Action, Outputs};
use crate::messages::t;

/// What the user reads for `e`, or `None` when there is nothing to say here: a request
/// aborted because its page was left, or a 401 that ended the session (the sign-in page
/// says that, through the flash notice).
pub fn sentence(e: &ApiError) -> Option<String> {
    (!matches!(e, ApiError::Aborted | ApiError::SessionExpired)).then(|| e.message())
}

/// Where one form's problems go: its alert region, and a slot next to each field the API
/// may name. Slots are made by [`Problems::field`], named as the API names the field; the
/// same slots take the browser's own checks, so one message shows per field.
#[derive(Clone, Copy)]
pub struct Problems {
    form: RwSignal<Option<String>>,
    fields: StoredValue<Vec<Slot>>,
    node: NodeRef<Form>,
    /// The alert is a slot the caller shows itself (see [`Problems::placing_in`]).
    alert_elsewhere: bool,
    /// The component that made these problems: slots live as long as it does, even when
    /// asked for by a part of it that goes first (one step of a page's form).
    owner: StoredValue<Option<Owner>>,
}

/// A field's slot: the API's name for the field, where its message goes, and how the
/// API's reason is worded there (by default, the reason as a sentence).
type Slot = (
    &'static str,
    RwSignal<Option<String>>,
    Option<fn(&str) -> String>,
);

impl Default for Problems {
    fn default() -> Self {
        Self::new()
    }
}

impl Problems {
    /// No problems yet, and no fields.
    pub fn new() -> Self {
        Problems {
            alert_elsewhere: false,
            ..Self::placing_in(RwSignal::new(None))
        }
    }

    /// Problems whose alert is `form`, a slot the caller already shows (the card field's
    /// error line, where everything about a payment is said).
    pub fn placing_in(form: RwSignal<Option<String>>) -> Self {
        Problems {
            form,
            fields: StoredValue::new(Vec::new()),
            node: NodeRef::new(),
            alert_elsewhere: true,
            owner: StoredValue::new(Owner::current()),
        }
    }

    /// The `<form>` these problems belong to (set by `FormCard`, `AuthForm`, the dialogs
    /// and the pages' own forms), where
    /// focus goes to the first field with a message.
    pub fn form_node(&self) -> NodeRef<Form> {
        self.node
    }

    /// Moves focus to the form's first field with a message, once it is drawn, its text
    /// selected.
    pub fn focus_first_invalid(&self) {
        let node = self.node;
        request_animation_frame(move || {
            let field = node
                .try_get_untracked()
                .flatten()
                .and_then(|form| {
                    form.query_selector("[aria-invalid=\"true\"]")
                        .ok()
                        .flatten()
                })
                // Only inputs and a textarea are marked invalid, and both can select.
                .map(|el| el.unchecked_into::<web_sys::HtmlInputElement>());
            if let Some(field) = field {
                let _ = field.focus();
                // Selected, so that typing replaces what was refused.
                field.select();
            }
        });
    }

    /// The form's alert, for the form to show in its `FormMessage`; `None` when the caller
    /// shows it elsewhere.
    pub fn alert(&self) -> Option<RwSignal<Option<String>>> {
        (!self.alert_elsewhere).then_some(self.form)
    }

    /// The slot next to the field the API calls `name` (made on first use).
    pub fn field(&self, name: &'static str) -> RwSignal<Option<String>> {
        let found = self
            .fields
            .with_value(|f| f.iter().find(|(n, ..)| *n == name).map(|(_, s, _)| *s));
        found.unwrap_or_else(|| {
            let slot = self.new_slot();
            self.fields.update_value(|f| f.push((name, slot, None)));
            slot
        })
    }

    fn new_slot(&self) -> RwSignal<Option<String>> {
        match self.owner.get_value() {
            Some(owner) => owner.with(|| RwSignal::new(None)),
            None => RwSignal::new(None),
        }
    }

    /// Like [`Problems::field`], with the API's reason worded by `say` (given the reason).
    pub fn field_saying(
        &self,
        name: &'static str,
        say: fn(&str) -> String,
    ) -> RwSignal<Option<String>> {
        let slot = self.new_slot();
        self.field_in(name, slot, say);
        slot
    }

    /// Messages about the field the API calls `name` go to `slot`, worded by `say`.
    pub fn field_in(
        &self,
        name: &'static str,
        slot: RwSignal<Option<String>>,
        say: fn(&str) -> String,
    ) {
        // A part of the page drawn again says it again: the newest wording stands.
        self.fields.update_value(|f| {
            f.retain(|(n, ..)| *n != name);
            f.push((name, slot, Some(say)));
        });
    }

    /// Messages about what the API calls `name` go in the form's alert, worded by `say`
    /// (something of the whole form, like a sign-up session that is gone).
    pub fn in_alert(&self, name: &'static str, say: fn(&str) -> String) {
        self.field_in(name, self.form, say);
    }

    /// Says `text` in the form's alert, or clears it: news from a part of the form that is
    /// no request of its own (a code sent again, the Google button's wait).
    pub fn tell(&self, text: Option<String>) {
        // From a wait that may outlive the page: then nobody is reading.
        self.form.try_set(text);
    }

    /// The browser's own check of a field before sending: its message, if any, goes to the
    /// field's slot; true when it passed.
    pub fn check(&self, name: &'static str, outcome: Result<(), &'static str>) -> bool {
        self.field(name).set(outcome.err().map(str::to_string));
        outcome.is_ok()
    }

    /// Clears every message: a new attempt starts clean.
    pub fn clear(&self) {
        self.form.set(None);
        // Copied out first: a slot's change may redraw a part that asks for its slot.
        for (_, slot, _) in self.fields.get_value() {
            slot.set(None);
        }
    }

    /// Puts `e` where it belongs: each field the API named next to that field (a wrong
    /// current password in our own words), anything else in the alert. Returns whether a
    /// field got a message, so the caller can move focus to it.
    pub fn place(&self, e: &ApiError) -> bool {
        let Some(text) = sentence(e) else {
            return false;
        };
        let mut placed = false;
        // Copied out first: a slot's change may redraw a part that asks for its slot.
        for (name, slot, say) in self.fields.get_value() {
            if let Some(why) = e.field(name) {
                slot.set(Some(match say {
                    Some(say) => say(&why),
                    None if name == "current_password" => t().wrong_password.to_string(),
                    None => capitalise(why),
                }));
                placed = true;
            }
        }
        if !placed || e.field("").is_some() {
            self.form.set(Some(text));
        }
        placed
    }
}

/// API field messages are fragments ("has already been taken."); shown alone they start a
/// sentence.
fn capitalise(mut text: String) -> String {
    if let Some(first) = text.get_mut(..1) {
        first.make_ascii_uppercase();
    }
    text
}

/// What a load shows until it has its value: "Loading…" while it runs (`error` is `None`),
/// else why it failed and Try again (nothing when there is nothing to say). Every page that
/// loads shows these two states through here.
pub fn not_loaded(error: Option<ApiError>, retry: Callback<()>) -> AnyView {
    let Some(error) = error else {
        return view! { <p class="loading" role="status">{t().loading}</p> }.into_any();
    };
    match sentence(&error) {
        Some(text) => view! {
            <div class="problem" role="alert">
                <p>{text}</p>
                {super::button("button secondary", t().try_again, retry)}
            </div>
        }
        .into_any(),
        None => ().into_any(),
    }
}

/// The wait a 429 asked for, from an action's last output: for a "Send again" button to
/// hold back that long.
pub fn wait_asked<T>(output: Option<&Result<T, ApiError>>) -> Option<u32> {
    match output {
        Some(Err(ApiError::RateLimited(secs))) => *secs,
        _ => None,
    }
}

/// Runs `ok` with each success of `action`, and places each failure through `problems`:
/// every form treats its answers alike.
pub fn answered<I: 'static, T: Clone + Send + Sync + 'static>(
    action: Action<I, Result<T, ApiError>>,
    problems: Problems,
    ok: impl Fn(T) + 'static,
) {
    watch(action.outputs(), problems, Box::new(ok));
}

/// [`answered`]'s work, in the wasm once per answer type rather than once per form.
fn watch<T: Clone + 'static>(
    outputs: Outputs<Result<T, ApiError>>,
    problems: Problems,
    ok: Box<dyn Fn(T)>,
) {
    effect(move || {
        outputs.version().track();
        let value = outputs.with_value_untracked(|v| match v? {
            Ok(value) => Some(value.clone()),
            Err(e) => {
                if problems.place(e) {
                    problems.focus_first_invalid();
                }
                None
            }
        });
        if let Some(value) = value {
            ok(value);
        }
    });
}

/// Component tests in headless Chromium (`cargo test --target wasm32-unknown-unknown`):
/// validation and where problems are placed, in a real DOM.
#[cfg(all(test, target_arch = "wasm32"))]
mod browser_tests {
    use leptos::prelude::*;
    use wasm_bindgen::JsCast;
    use wasm_bindgen_test::*;

    use super::Problems;
    use crate::api::ApiError;
    use crate::components::{AuthForm, FormCard, PasswordField, TextField};
    use crate::messages::t;
    use crate::validate;

    wasm_bindgen_test_configure!(run_in_browser);

    /// An email-change form as the account page draws it, in a fresh `<div>`: its problems,
    /// and how many times it asked to send.
    fn email_form() -> (Problems, RwSignal<u32>, web_sys::HtmlElement) {
        let host = document()
            .create_element("div")
            .unwrap()
            .unchecked_into::<web_sys::HtmlElement>();
        document().body().unwrap().append_child(&host).unwrap();
        let problems = Problems::new();
        let sent = RwSignal::new(0u32);
        let (email, password) = (RwSignal::new(String::new()), RwSignal::new(String::new()));
        let submit = Callback::new(move |()| {
            problems.clear();
            let checks = [
                problems.check("next_email", validate::email(&email.get_untracked())),
                problems.check(
                    "current_password",
                    validate::current_password(&password.get_untracked()),
                ),
            ];
            if checks.iter().all(|ok| *ok) {
                sent.update(|n| *n += 1);
            } else {
                problems.focus_first_invalid();
            }
        });
        leptos::mount::mount_to(host.clone(), move || view! {
            <FormCard id="t-heading" title=t().change_email labels=(t().change_email, t().saving) pending=Signal::stored(false)
                problems on_submit=submit>
                <TextField id="t-email" label=t().new_email_label value=email error=problems.field("next_email")/>
                <PasswordField id="t-password" label=t().current_password_label autocomplete="current-password"
                    value=password error=problems.field("current_password")/>
            </FormCard>
        })
        .forget();
        (problems, sent, host)
    }

    /// The text of the element matching `selector` under `host`, if there is one.
    fn text(host: &web_sys::HtmlElement, selector: &str) -> Option<String> {
        host.query_selector(selector)
            .unwrap()
            .and_then(|e| e.text_content())
    }

    fn attribute(host: &web_sys::HtmlElement, selector: &str, name: &str) -> Option<String> {
        host.query_selector(selector)
            .unwrap()
            .and_then(|e| e.get_attribute(name))
    }

    #[wasm_bindgen_test]
    async fn an_empty_form_says_what_is_missing_by_each_field_and_sends_nothing() {
        let (_, sent, host) = email_form();
        host.query_selector("button[type=submit]")
            .unwrap()
            .unwrap()
            .unchecked_into::<web_sys::HtmlElement>()
            .click();
        leptos::task::tick().await;
        assert_eq!(
            text(&host, "#t-email-error").as_deref(),
            Some(t().email_required)
        );
        assert_eq!(
            text(&host, "#t-password-error").as_deref(),
            Some(t().password_required)
        );
        assert_eq!(
            attribute(&host, "#t-email", "aria-invalid").as_deref(),
            Some("true")
        );
        assert_eq!(text(&host, "[role=alert]").as_deref(), Some(""));
        assert_eq!(sent.get_untracked(), 0);
    }

    #[wasm_bindgen_test]
    async fn a_refused_field_is_said_by_that_field_in_our_words() {
        let (problems, _, host) = email_form();
        let refusal = ApiError::Fields(vec![
            ("current_password".into(), vec!["is invalid".into()]),
            ("next_email".into(), vec!["has already been taken".into()]),
        ]);
        assert!(problems.place(&refusal));
        leptos::task::tick().await;
        assert_eq!(
            text(&host, "#t-password-error").as_deref(),
            Some(t().wrong_password)
        );
        assert_eq!(
            text(&host, "#t-email-error").as_deref(),
            Some("Has already been taken.")
        );
        assert_eq!(text(&host, "[role=alert]").as_deref(), Some(""));
    }

    #[wasm_bindgen_test]
    async fn a_rate_limit_is_said_in_the_alert_with_its_wait_and_a_new_attempt_clears_it() {
        let (problems, _, host) = email_form();
        assert!(!problems.place(&ApiError::RateLimited(Some(30))));
        leptos::task::tick().await;
        assert_eq!(
            text(&host, "[role=alert]").as_deref(),
            Some("Too many attempts. Try again in 30 seconds.")
        );
        assert_eq!(attribute(&host, "#t-email", "aria-invalid"), None);
        problems.clear();
        leptos::task::tick().await;
        assert_eq!(text(&host, "[role=alert]").as_deref(), Some(""));
    }

    #[wasm_bindgen_test]
    async fn a_page_left_or_a_session_ended_says_nothing_here() {
        let (problems, _, host) = email_form();
        for quiet in [ApiError::Aborted, ApiError::SessionExpired] {
            assert!(!problems.place(&quiet));
        }
        leptos::task::tick().await;
        assert_eq!(text(&host, "[role=alert]").as_deref(), Some(""));
        assert_eq!(text(&host, "#t-email-error"), None);
    }

    #[wasm_bindgen_test]
    async fn a_field_asked_for_by_a_step_that_is_gone_still_takes_problems_in_the_next() {
        let host = document()
            .create_element("div")
            .unwrap()
            .unchecked_into::<web_sys::HtmlElement>();
        document().body().unwrap().append_child(&host).unwrap();
        // The page that owns the form's problems.
        let page = Owner::new();
        page.set();
        let problems = Problems::new();
        let recovery = RwSignal::new(false);
        // Two steps of one form, as sign-in's code and recovery steps share its problems.
        let step = move |id: &'static str| {
            let code = RwSignal::new(String::new());
            view! {
                <AuthForm problems pending=Signal::stored(false)
                    labels=(t().verify_button, t().verifying) on_submit=Callback::new(|()| {})>
                    <TextField id label=t().mfa_code_label value=code error=problems.field("code")/>
                </AuthForm>
            }
        };
        leptos::mount::mount_to(host.clone(), move || {
            move || {
                if recovery.get() {
                    step("t-recovery").into_any()
                } else {
                    step("t-otp").into_any()
                }
            }
        })
        .forget();
        assert!(host.query_selector("#t-otp").unwrap().is_some());
        recovery.set(true);
        leptos::task::tick().await;
        assert!(host.query_selector("#t-recovery").unwrap().is_some());
        let refusal = ApiError::Fields(vec![("code".into(), vec!["is not valid".into()])]);
        assert!(problems.place(&refusal));
        leptos::task::tick().await;
        assert_eq!(
            text(&host, "#t-recovery-error").as_deref(),
            Some("Is not valid.")
        );
    }
}

//! The card input: Stripe.js's card element, loaded from the configured URL only when a page
//! that takes a card shows this field. Only the `tok_…` id it makes ever reaches our code.

use leptos::prelude::*;
use send_wrapper::SendWrapper;
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;

use super::{effect, truth, Problems};
use crate::api::ApiError;
use crate::config;
use crate::messages::t;

#[wasm_bindgen]
extern "C" {
    /// `Stripe(pk)`.
    type StripeJs;
    #[wasm_bindgen(catch, js_name = Stripe)]
    fn stripe_new(key: &str) -> Result<StripeJs, JsValue>;
    #[wasm_bindgen(method, catch)]
    fn elements(this: &StripeJs) -> Result<Elements, JsValue>;
    #[wasm_bindgen(method, js_name = createToken)]
    fn create_token(this: &StripeJs, card: &CardElement) -> js_sys::Promise;

    /// `stripe.elements()`.
    type Elements;
    #[wasm_bindgen(method, catch)]
    fn create(this: &Elements, kind: &str) -> Result<CardElement, JsValue>;

    /// The card element.
    type CardElement;
    #[wasm_bindgen(method, catch)]
    fn mount(this: &CardElement, node: &web_sys::Element) -> Result<(), JsValue>;
    #[wasm_bindgen(method)]
    fn on(this: &CardElement, event: &str, handler: &Closure<dyn FnMut(JsValue)>);
    #[wasm_bindgen(method)]
    fn destroy(this: &CardElement);
}

/// A string property of a JS object, if it has one.
fn prop(value: &JsValue, name: &str) -> Option<String> {
    js_sys::Reflect::get(value, &JsValue::from_str(name))
        .ok()
        .and_then(|v| v.as_string())
}

/// An object property of a JS object, if it is set.
fn object(value: &JsValue, name: &str) -> Option<JsValue> {
    js_sys::Reflect::get(value, &JsValue::from_str(name))
        .ok()
        .filter(|v| v.is_object())
}

/// Adds Stripe.js's `<script>` once per document and waits until `window.Stripe` exists.
async fn load_script(src: &str) -> Result<(), ()> {
    let window = window();
    let has_stripe = || js_sys::Reflect::has(&window, &JsValue::from_str("Stripe")) == Ok(true);
    if has_stripe() {
        return Ok(());
    }
    let document = document();
    let script = match document.query_selector("script[data-stripe]") {
        Ok(Some(existing)) => existing,
        _ => {
            let script = document.create_element("script").map_err(|_| ())?;
            let _ = script.set_attribute("src", src);
            let _ = script.set_attribute("data-stripe", "");
            document
                .head()
                .ok_or(())?
                .append_child(&script)
                .map_err(|_| ())?;
            script
        }
    };
    let loaded = js_sys::Promise::new(&mut |resolve, reject| {
        let options = web_sys::AddEventListenerOptions::new();
        options.set_once(true);
        let _ = script.add_event_listener_with_callback_and_add_event_listener_options(
            "load", &resolve, &options,
        );
        let _ = script.add_event_listener_with_callback_and_add_event_listener_options(
            "error", &reject, &options,
        );
    });
    // A script that finished loading before we listened never fires again: check first.
    if !has_stripe() {
        let _ = JsFuture::from(loaded).await;
    }
    if has_stripe() {
        Ok(())
    } else {
        // Let a later attempt add a fresh tag.
        script.remove();
        Err(())
    }
}

/// What the page holds to ask for a token.
#[derive(Clone, Copy)]
pub struct Card {
    parts: StoredValue<Option<SendWrapper<(StripeJs, CardElement)>>>,
    /// Stripe reports every part of the card filled in and valid.
    pub complete: RwSignal<bool>,
    /// The message shown under the card (Stripe's validation text, or a decline).
    pub error: RwSignal<Option<String>>,
}

impl Card {
    /// A card field's handle, before it is mounted.
    pub fn new() -> Self {
        Card {
            parts: StoredValue::new(None),
            complete: RwSignal::new(false),
            error: RwSignal::new(None),
        }
    }

    /// Whether the card is filled in; if not, says so by the card (unless Stripe already
    /// does). Clears an earlier refusal when it is.
    pub fn ready(self) -> bool {
        let complete = self.complete.get_untracked();
        if complete {
            self.error.set(None);
        } else if self.error.with_untracked(Option::is_none) {
            self.error.set(Some(t().card_incomplete.to_string()));
        }
        complete
    }

    /// Where a card form's problems go: all of them by the card, since a decline, like
    /// anything else that goes wrong with the payment, belongs there.
    pub fn problems(self) -> Problems {
        let problems = Problems::placing_in(self.error);
        problems.field_in("stripe_token", self.error, str::to_string);
        problems
    }

    /// [`Card::token`] for an API call: Stripe's refusal reads as the API's decline would.
    pub async fn api_token(self) -> Result<String, ApiError> {
        self.token()
            .await
            .map_err(|text| ApiError::Fields(vec![("stripe_token".to_string(), vec![text])]))
    }

    /// Asks Stripe for a single-use token; the error is the sentence to show by the card.
    pub async fn token(self) -> Result<String, String> {
        let promise = self
            .parts
            .with_value(|p| p.as_ref().map(|p| p.0.create_token(&p.1)))
            .ok_or_else(|| t().card_not_ready.to_string())?;
        let result = JsFuture::from(promise)
            .await
            .map_err(|_| t().card_failed.to_string())?;
        if let Some(id) = object(&result, "token").and_then(|token| prop(&token, "id")) {
            return Ok(id);
        }
        Err(object(&result, "error")
            .and_then(|e| prop(&e, "message"))
            .unwrap_or_else(|| t().card_failed.to_string()))
    }
}

/// The element Stripe.js draws the card input in.
const HOST_ID: &str = "card-element";

/// Stripe.js's states in [`CardField`].
const LOADING: u32 = 0;
const READY: u32 = 1;
const FAILED: u32 = 2;

/// The labelled card element, with its loading and failure states and its error line.
#[component]
pub fn CardField(
    /// The handle the page submits through.
    card: Card,
) -> impl IntoView {
    // Whether Stripe.js is loading, ready or failed, as a number: a `u32` signal is a kind
    // the console has already, where an `Option<bool>` brought its own code (size log).
    let loaded = RwSignal::new(LOADING);
    let attempt = RwSignal::new(0u32);
    let handlers = StoredValue::new(Vec::<SendWrapper<Closure<dyn FnMut(JsValue)>>>::new());

    let mount = move |node: web_sys::Element| {
        let Some((src, key)) = config::stripe() else {
            loaded.set(FAILED);
            return;
        };
        leptos::task::spawn_local(async move {
            let ready = load_script(src).await.is_ok();
            let parts = ready
                .then(|| stripe_new(key).ok())
                .flatten()
                .and_then(|stripe| {
                    let element = stripe.elements().ok()?.create("card").ok()?;
                    element.mount(&node).ok()?;
                    Some((stripe, element))
                });
            let Some((stripe, element)) = parts else {
                loaded.try_set(FAILED);
                return;
            };
            let on_change = Closure::<dyn FnMut(JsValue)>::new(move |event: JsValue| {
                let complete = js_sys::Reflect::get(&event, &JsValue::from_str("complete"))
                    .ok()
                    .and_then(|v| v.as_bool())
                    .unwrap_or(false);
                card.complete.try_set(complete);
                card.error
                    .try_set(object(&event, "error").and_then(|e| prop(&e, "message")));
            });
            element.on("change", &on_change);
            handlers.try_update_value(|h| h.push(SendWrapper::new(on_change)));
            card.parts
                .try_set_value(Some(SendWrapper::new((stripe, element))));
            loaded.try_set(READY);
        });
    };

    // Mount once the host is in the page (effects run after it is drawn), and again after
    // "Try again". Found by its id rather than a node ref: a node ref of its own element
    // type costs more wasm than the lookup (docs/size-log.md).
    effect(move || {
        attempt.track();
        if let Some(node) = document().get_element_by_id(HOST_ID) {
            loaded.set(LOADING);
            mount(node);
        }
    });
    on_cleanup(move || {
        if let Some(Some(parts)) = card.parts.try_update_value(Option::take) {
            parts.1.destroy();
        }
        handlers.try_update_value(Vec::clear);
    });

    let error_id = "card-error";
    view! {
        <div class="field">
            <p class="label" id="card-label">{t().card_label}</p>
            <div
                class="card-element"
                id=HOST_ID
                role="group"
                aria-labelledby="card-label"
                aria-describedby=move || card.error.with(Option::is_some).then(|| error_id.to_string())
                prop:ariaBusy=move || truth(loaded.get() == LOADING)
            ></div>
            {move || match loaded.get() {
                LOADING => Some(view! { <p class="hint" role="status">{t().card_loading}</p> }.into_any()),
                FAILED => Some(view! {
                    <div class="problem" role="alert">
                        <p>{t().card_unavailable}</p>
                        {super::button("button secondary", t().try_again,
                            Callback::new(move |()| attempt.update(|a| *a += 1)))}
                    </div>
                }.into_any()),
                _ => None,
            }}
            {move || card.error.get().map(|e| view! { <p class="field-error" id=error_id>{e}</p> }.into_any())}
        </div>
    }
}

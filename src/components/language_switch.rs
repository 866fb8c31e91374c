//! The language switch. The choice is kept on this device (`gx.lang`); without one, the
//! browser's preferred languages decide (see `main.rs`).

use leptos::prelude::*;

use crate::messages::{lang, set_lang, t, Lang};

const KEY: &str = "gx.lang";

/// The language the user chose on this device, if any.
pub fn stored_lang() -> Option<Lang> {
    let store = window().local_storage().ok().flatten()?;
    Lang::from_tag(&store.get_item(KEY).ok().flatten()?)
}

/// Puts `lang` in use and on `<html lang>`, so that screen readers pronounce it right.
pub fn apply_lang(lang: Lang) {
    set_lang(lang);
    if let Some(root) = document().document_element() {
        let _ = root.set_attribute("lang", lang.tag());
    }
}

/// The language shown, provided by the app: a change draws the page again in the new one.
#[derive(Clone, Copy)]
pub struct LangCtx(pub RwSignal<Lang>);

/// A select listing the languages, each in its own name.
#[component]
pub fn LanguageSwitch() -> impl IntoView {
    let ctx = use_context::<LangCtx>();
    let change = move |ev: leptos::ev::Event| {
        let Some(chosen) = Lang::from_tag(&event_target_value(&ev)) else {
            return;
        };
        if let Ok(Some(store)) = window().local_storage() {
            let _ = store.set_item(KEY, chosen.tag());
        }
        apply_lang(chosen);
        if let Some(LangCtx(signal)) = ctx {
            signal.set(chosen);
        }
    };
    view! {
        <label class="lang-switch">
            <span class="visually-hidden">{t().language}</span>
            <select on:change=change>
                {Lang::ALL.map(|l| view! {
                    <option value=l.tag() selected=l == lang() lang=l.tag()>{l.name()}</option>
                })}
            </select>
        </label>
    }
}

//! The language switch. The choice is kept on this device (`gx.lang`); without one, the
//! browser's preferred languages decide (see `main.rs`). A language other than English is
//! fetched (`<tag>.txt`) the first time it is chosen, so English readers never download it.

use leptos::prelude::*;

use crate::data::Choice;
use crate::messages::{has, install_spanish, lang, set_lang, t, Lang};

const KEY: &str = "gx.lang";

/// The language the user chose on this device, if any.
pub fn stored_lang() -> Option<Lang> {
    let store = window().local_storage().ok().flatten()?;
    Lang::from_tag(&store.get_item(KEY).ok().flatten()?)
}

/// Fetches `lang`'s messages unless they are here already; `false` when they could not be had
/// (offline, an error status, or a file that does not hold every message).
pub async fn fetch_lang(lang: Lang) -> bool {
    if has(lang) {
        return true;
    }
    crate::files::text(&[lang.tag(), ".txt"].concat())
        .await
        .is_some_and(install_spanish)
}

/// Puts `lang` in use, once fetched, and the language in use on `<html lang>`, so that screen
/// readers pronounce it right.
pub fn apply_lang(lang: Lang) {
    set_lang(lang);
    if let Some(root) = document().document_element() {
        let _ = root.set_attribute("lang", crate::messages::lang().tag());
    }
}

/// The language shown, provided by the app: a change draws the page again in the new one.
#[derive(Clone, Copy)]
pub struct LangCtx(pub Choice<Lang>);

/// A select listing the languages, each in its own name.
#[component]
pub fn LanguageSwitch() -> impl IntoView {
    let ctx = use_context::<LangCtx>();
    // Both present from the start and filled when there is news, as live regions should be:
    // a polite note while a language is fetched, an alert if it cannot be had.
    let note = RwSignal::new(String::new());
    let failed = RwSignal::new(String::new());
    let say = |region: RwSignal<String>, text: &str| region.try_set(text.to_string());
    let change = move |ev: leptos::ev::Event| {
        let el = event_target::<web_sys::HtmlSelectElement>(&ev);
        let Some(chosen) = Lang::from_tag(&el.value()) else {
            return;
        };
        say(failed, "");
        say(note, if has(chosen) { "" } else { t().lang_loading });
        leptos::task::spawn_local(async move {
            let fetched = fetch_lang(chosen).await;
            // Another choice made while this one was fetched wins; so does leaving the page
            // (its signals are gone with it).
            if el.value() != chosen.tag() || say(note, "").is_some() {
                return;
            }
            if !fetched {
                el.set_value(lang().tag());
                say(failed, t().lang_failed);
                return;
            }
            if let Ok(Some(store)) = window().local_storage() {
                let _ = store.set_item(KEY, chosen.tag());
            }
            apply_lang(chosen);
            if let Some(LangCtx(signal)) = ctx {
                signal.set(chosen);
            }
        });
    };
    view! {
        <label class="lang-switch">
            <span class="visually-hidden">{t().language}</span>
            <select id="language" name="language" on:change=change>
                {super::each(Lang::ALL, |l| view! {
                    <option value=l.tag() selected=l == lang() lang=l.tag()>{l.name()}</option>
                }.into_any())}
            </select>
        </label>
        <span class="lang-note" role="status">{move || note.get()}</span>
        <span class="lang-failed" role="alert">{move || failed.get()}</span>
    }
}

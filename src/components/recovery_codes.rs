//! Recovery codes, shown once: numbered, with Copy, Download and Print, and a checkbox
//! confirming they were saved before Done.

use leptos::prelude::*;

use super::download::{download_link, today};
use super::{each, CopyButton};
use crate::messages::t;

/// The downloaded file: a header line, then the codes, one per line.
pub fn codes_file(email: &str, date: &str, codes: &str) -> String {
    [&t().codes_file_header(email, date), "\n", codes, "\n"].concat()
}

/// The codes block; Done is enabled once the user says the codes are saved.
#[component]
pub fn RecoveryCodes(
    /// The codes, in the API's order, one per line.
    codes: RwSignal<String>,
    /// Whether the user says they saved them (reset by the owner for new codes).
    saved: RwSignal<bool>,
    /// The account's email, named in the file.
    email: String,
    /// The page's status region (Copy all says there whether it copied).
    status: RwSignal<Option<String>>,
    /// Pressed after saving.
    on_done: Callback<()>,
) -> impl IntoView {
    let file = move || {
        let date = today();
        let name = ["gigalixir-recovery-codes-", &email, "-", &date, ".txt"].concat();
        (name, codes.with(|c| codes_file(&email, &date, c)))
    };
    view! {
        <div class="recovery-codes">
            <h2 id="codes-title" tabindex="-1">{t().codes_title}</h2>
            <p class="lede">{t().codes_lede}</p>
            <ol class="codes" aria-label=t().codes_list>
                {move || codes.with(|c| {
                    each(c.lines(), |code| view! { <li><code>{code.to_string()}</code></li> }.into_any())
                        .into_any()
                })}
            </ol>
        </div>
        <div class="actions no-print">
            <CopyButton text=codes label=t().copy_all status/>
            {download_link("button secondary", t().download_txt, "text/plain", Box::new(file))}
            {super::button("button secondary", t().print,
                Callback::new(|()| { let _ = window().print(); }))}
        </div>
        <div class="check no-print">
            <input id="codes-saved" type="checkbox" prop:checked=saved
                on:change=move |ev| saved.set(event_target_checked(&ev))/>
            <label for="codes-saved">{t().codes_saved}</label>
        </div>
        <button type="button" class="button primary no-print" prop:disabled=move || !saved.get()
            on:click=move |_| on_done.run(())>{t().done}</button>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_file_has_a_header_then_one_code_per_line() {
        let codes = "abcde-fghjk\nmnpqr-stuvw";
        assert_eq!(
            codes_file("me@example.com", "2026-11-23", codes),
            "Gigalixir recovery codes for me@example.com, saved 2026-11-23. Each code works once.\nabcde-fghjk\nmnpqr-stuvw\n"
        );
    }
}

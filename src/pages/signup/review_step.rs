//! A note for the reviewer, when the API wants a person to look at the sign-up first.

use leptos::prelude::*;

use super::flow::{Flow, Stage};
use crate::components::{answered, page_title, AuthForm, Problems, TextField};
use crate::data::Action;
use crate::messages::t;
use crate::validate;

/// "What will you use Gigalixir for?", then on to the code (or the plan after Google).
#[component]
pub fn ReviewStep(flow: Flow) -> impl IntoView {
    let note = RwSignal::new(String::new());
    let problems = flow.problems(Problems::new());
    let note_error = problems.field("explanation");
    let explain = Action::new_local(move |text: &String| flow.send("explanation", text));
    answered(explain, problems, move |()| {
        flow.go(if flow.google.get_untracked() {
            Stage::Plan
        } else {
            Stage::Code
        })
    });
    let submit = Callback::new(move |()| {
        problems.clear();
        match validate::explanation(&note.get_untracked()) {
            Ok(text) => explain.dispatch(text),
            Err(e) => {
                problems.check("explanation", Err(e));
                problems.focus_first_invalid();
            }
        }
    });
    flow.focus(Some("note"));

    view! {
        <AuthForm problems pending=explain.pending() labels=(t().continue_button, t().saving)
            on_submit=submit>
            {page_title(t().review_title, Some(t().review_lede))}
            <TextField id="note" label=t().review_note_label value=note error=note_error/>
        </AuthForm>
    }
}

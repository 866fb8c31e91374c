//! `#/account/stop-charges`: every app with what it runs (A23, A28, A30), and for each the
//! four steps Gigalixir's docs give for stopping charges: scale it to 0 (A27), remove its
//! domains (A29), delete its databases (A31), destroy it (A24). One button per step and one
//! that runs them all in order, each behind the app's name typed to confirm; every step says
//! how it went, and after a failure the same buttons carry on from what is left.

use leptos::prelude::*;

use crate::api::apps::{self, Addon, App};
use crate::api::{Answer, Api, ApiError};
use crate::components::{
    answered, button, close_dialog, each, focus_selector, focus_soon, list_section, open_dialog,
    page_title, set_title, ConfirmDialog, ListText, Problems, Row, TextField,
};
use crate::data::{Action, LocalResource};
use crate::messages::{decimal, fill, t};
use crate::validate;

/// The steps, in the docs' order.
const STEPS: usize = 4;

/// An app and what still costs or ties it: replicas, domains, databases.
struct Running {
    app: App,
    domains: Vec<Addon>,
    databases: Vec<Addon>,
}

/// One request of a step, made when its turn comes.
type Call = Box<dyn FnOnce() -> Answer<()>>;

impl Running {
    /// What step `step` has to act on, as its line says it.
    fn step_detail(&self, step: usize) -> String {
        let m = t();
        let names = |addons: &[Addon]| match addons.is_empty() {
            true => m.stop_none.to_string(),
            false => addons
                .iter()
                .map(|a| [a.tier.as_str(), " ", &a.id].concat().trim().to_string())
                .collect::<Vec<_>>()
                .join(", "),
        };
        match step {
            0 => fill(m.stop_replicas, &[&decimal(self.app.replicas, 1)]),
            1 => names(&self.domains),
            2 => names(&self.databases),
            _ => self.app.name.clone(),
        }
    }

    /// The row's summary: how many replicas, domains and databases.
    fn summary(&self) -> String {
        let count = |n: usize| decimal(n as i64, 1);
        fill(
            t().stop_counts,
            &[
                &decimal(self.app.replicas, 1),
                &count(self.domains.len()),
                &count(self.databases.len()),
            ],
        )
    }

    /// The app's row: its name and what it runs; its button opens its steps.
    fn row(&self) -> Row {
        Row {
            id: self.app.name.clone(),
            name: self.app.name.clone(),
            detail: Some(self.summary()),
            full: None,
        }
    }

    /// The requests of step `step` on what is left now; none when nothing is.
    fn calls(&self, api: Api, step: usize) -> Vec<Call> {
        let name = self.app.name.clone();
        let each_of = |addons: &[Addon], call: fn(Api, &str, &str) -> Answer<()>| {
            let calls = addons.iter().map(|a| {
                let (name, id) = (name.clone(), a.id.clone());
                Box::new(move || call(api, &name, &id)) as Call
            });
            calls.collect()
        };
        match step {
            0 if self.app.replicas > 0 => vec![Box::new(move || apps::scale_to_zero(api, &name))],
            0 => Vec::new(),
            1 => each_of(&self.domains, apps::remove_domain),
            2 => each_of(&self.databases, apps::delete_database),
            _ => vec![Box::new(move || apps::destroy(api, &name))],
        }
    }
}

/// A23, then each app's domains and databases (A28, A30).
async fn load(api: Api) -> Result<Vec<Running>, ApiError> {
    let mut all = Vec::new();
    for app in apps::apps(api).await? {
        let domains = apps::domains(api, &app.name).await?;
        let databases = apps::databases(api, &app.name).await?;
        all.push(Running {
            app,
            domains,
            databases,
        });
    }
    Ok(all)
}

/// What `f` makes of app `name` as last loaded; the default before the list has loaded,
/// or once the app is gone.
fn with_app<T: Default>(
    list: LocalResource<Result<Vec<Running>, ApiError>>,
    name: &str,
    f: impl FnOnce(&Running) -> T,
) -> T {
    list.with(|l| {
        let all = l.and_then(|l| l.as_ref().ok());
        let app = all.and_then(|all| all.iter().find(|r| r.app.name == name));
        app.map(f).unwrap_or_default()
    })
}

/// Runs each step's calls in order, saying each step's outcome in `said`; stops at the
/// first failure, whose error the dialog shows.
async fn run_steps(
    steps: Vec<(usize, Vec<Call>)>,
    said: [RwSignal<String>; STEPS],
) -> Result<(), ApiError> {
    let say = move |step: usize, what: &str| said[step].set(what.to_string());
    for (step, calls) in steps {
        say(step, t().stop_working);
        for call in calls {
            if let Err(e) = call().await {
                say(step, t().stop_failed);
                return Err(e);
            }
        }
        say(step, t().stop_done);
    }
    Ok(())
}

/// The stop-charges page.
#[component]
pub fn StopChargesPage() -> impl IntoView {
    set_title(t().stop_title);
    view! {
        {page_title(t().stop_title, Some(t().stop_lede))}
        <AppsToStop/>
    }
}

/// The apps panel (heading `#list-heading`) with each app's steps in a dialog: here and on
/// the delete-account page, where the apps must go first.
#[component]
pub fn AppsToStop() -> impl IntoView {
    let m = t();
    let api = Api::for_page();
    let dialog = "stop-dialog";
    let picked = RwSignal::new(String::new());
    // One signal per step (not a signal of a list: a type of its own, in the wasm once more).
    let outcomes: [RwSignal<String>; STEPS] = std::array::from_fn(|_| RwSignal::new(String::new()));
    let list = LocalResource::<Result<Vec<Running>, ApiError>>::new(move || load(api));
    let stop = Action::new_local(move |steps: &std::ops::Range<usize>| {
        let plan = untrack(|| {
            with_app(list, &picked.get(), |now| {
                let steps = steps.clone();
                steps.map(|step| (step, now.calls(api, step))).collect()
            })
        });
        // Loaded again after each run, failed or not, so the next one acts on what is left.
        async move {
            let outcome = run_steps(plan, outcomes).await;
            list.refetch();
            outcome
        }
    });
    let text = ListText {
        title: m.apps_title,
        lede: None,
        empty: m.stop_no_apps,
        button: (m.stop_button, true),
        ask: (m.stop_app_title, m.stop_app_lede, m.stop_all_button),
        done: m.stop_stopped,
    };
    let said = RwSignal::new(None::<String>);
    let typed = RwSignal::new(String::new());
    let problems = Problems::new();
    let typed_error = problems.field("typed");
    answered(stop, problems, move |()| {
        // The app is gone once its last step is done: nothing is left to show.
        if outcomes[STEPS - 1].with_untracked(|o| o == t().stop_done) {
            close_dialog(dialog);
            said.set(Some(fill(text.done, &[&picked.get_untracked()])));
            focus_selector("#list-heading");
        }
    });
    // Every step destroys or takes the app offline: the app's name, typed, confirms it.
    let start = move |steps: std::ops::Range<usize>| {
        if stop.pending().get_untracked() {
            return;
        }
        problems.clear();
        if !validate::typed_match(&typed.get_untracked(), &picked.get_untracked()) {
            typed_error.set(Some(t().app_name_mismatch.to_string()));
            focus_soon("typed-name", true);
        } else {
            stop.dispatch(steps);
        }
    };
    let pick = Callback::new(move |row: Row| {
        picked.set(row.id);
        said.set(None);
        open_dialog(dialog);
    });
    let forget = Callback::new(move |()| {
        typed.set(String::new());
        for outcome in outcomes {
            outcome.set(String::new());
        }
    });
    let retry = Callback::new(move |()| list.refetch());

    view! {
        {list_section(text, said, Box::new(move || list.with(|l| l.map(|l| match l {
            Ok(all) => Ok(all.iter().map(Running::row).collect()),
            Err(e) => Err(e.clone()),
        }))), pick, retry)}
        <ConfirmDialog id=dialog title=text.ask.0 lede=text.ask.1 confirm=(text.ask.2, t().please_wait)
            danger=true problems pending=stop.pending()
            on_confirm=Callback::new(move |()| start(0..STEPS)) on_close=forget>
            <p class="subject">{move || picked.get()}</p>
            <TextField id="typed-name" label=m.app_name_label value=typed error=typed_error/>
            <ol class="steps">
                {each(0..STEPS, |step| view! {
                    <li>
                        {button("button secondary small", t().stop_steps[step],
                            Callback::new(move |()| start(step..step + 1)))}
                        <span>{move || with_app(list, &picked.get(), |r| r.step_detail(step))}</span>
                        <strong role="status">{move || outcomes[step].get()}</strong>
                    </li>
                }.into_any())}
            </ol>
        </ConfirmDialog>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_step_says_what_it_acts_on() {
        let running = Running {
            app: App {
                name: "shop".into(),
                replicas: 2,
            },
            domains: ["a.example", "b.example"]
                .map(|d| Addon {
                    id: d.into(),
                    tier: String::new(),
                })
                .into(),
            databases: vec![Addon {
                id: "d-1".into(),
                tier: "STANDARD".into(),
            }],
        };
        let [replicas, domains, databases, app] = [0, 1, 2, 3].map(|s| running.step_detail(s));
        assert_eq!(replicas, "Replicas: 2");
        assert_eq!(domains, "a.example, b.example");
        assert_eq!(databases, "STANDARD d-1");
        assert_eq!(app, "shop");
        assert_eq!(running.summary(), "Replicas: 2 · Domains: 2 · Databases: 1");
    }
}

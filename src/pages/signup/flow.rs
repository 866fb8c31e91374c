//! What the sign-up's steps share: where the user is, the sign-up session, and what was
//! typed that a later step, or a step back, still needs.

use leptos::prelude::*;

use crate::api::signup::{step, step_data, StepData};
use crate::api::{Answer, Public};
use crate::components::{focus_heading, focus_soon, Problems};
use crate::data::{Choice, Choices};
use crate::flash::Flash;
use crate::messages::t;
use crate::routing::Route;
use crate::session::{Session, SessionCtx};

/// Seconds before another code may be requested.
pub const COOLDOWN_SECS: u32 = 30;

/// Where the user is in the sign-up.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Stage {
    Email,
    /// A note for the reviewer (the API answered 202: VPN or proxy).
    Review,
    Code,
    Password,
    Plan,
    Card,
    /// Done, and a person reviews the account before it opens.
    UnderReview,
}

impl Choices for Stage {
    const ALL: &'static [Stage] = &[
        Stage::Email,
        Stage::Review,
        Stage::Code,
        Stage::Password,
        Stage::Plan,
        Stage::Card,
        Stage::UnderReview,
    ];
}

/// The sign-up's shared state, handed to each step.
#[derive(Clone, Copy)]
pub struct Flow {
    pub stage: Choice<Stage>,
    /// The sign-up session, from the first step, the emailed link or Google.
    pub uuid: RwSignal<String>,
    /// Came through Google: no code or password of ours.
    pub google: RwSignal<bool>,
    pub email: RwSignal<String>,
    /// The promo code as typed, kept while the card step shows.
    pub promo: RwSignal<String>,
    /// The promo code the API took.
    pub promo_applied: RwSignal<Option<String>>,
    /// What the API says that code gives.
    pub promo_text: RwSignal<String>,
    /// Standard chosen (a promo chooses it too).
    pub standard: RwSignal<bool>,
    /// Seconds before another code may be requested.
    pub cooldown: RwSignal<u32>,
    /// A code from the emailed link, for the code step to send as if typed.
    pub link_code: RwSignal<Option<String>>,
    /// The link is of a sign-up this tab didn't start: the person says to go on first.
    pub asking: RwSignal<bool>,
    public: Public,
    session: SessionCtx,
    flash: Flash,
    /// How often the user has moved between steps: once they have, a step takes focus
    /// when it appears (the first one leaves it where the page put it). A count rather
    /// than a flag: `u32` is a stored type the console has already (docs/size-log.md).
    moves: StoredValue<u32>,
}

impl Flow {
    /// A new sign-up, with the email from a link if there was one.
    pub fn new(email: Option<String>) -> Self {
        let session = expect_context::<SessionCtx>();
        Flow {
            stage: Choice::new(Stage::Email),
            uuid: RwSignal::new(String::new()),
            google: RwSignal::new(false),
            email: RwSignal::new(email.unwrap_or_default()),
            promo: RwSignal::new(String::new()),
            promo_applied: RwSignal::new(None),
            promo_text: RwSignal::new(String::new()),
            standard: RwSignal::new(false),
            cooldown: RwSignal::new(0),
            link_code: RwSignal::new(None),
            asking: RwSignal::new(false),
            public: Public::for_page(),
            session,
            flash: session.flash(),
            moves: StoredValue::new(0),
        }
    }

    /// The first step: a code to `address` (a new sign-up session each time).
    pub fn start(&self, address: &str) -> Answer<StepData> {
        step_data(self.public, "", "email", address)
    }

    /// The page's client, for a step that sends more than one request.
    pub fn public(&self) -> Public {
        self.public
    }

    /// A later step whose answer carries nothing we need.
    pub fn send(&self, field: &str, value: &str) -> Answer<()> {
        step(self.public, &self.uuid.get_untracked(), field, value)
    }

    /// A later step whose answer we read (a promo, the plan).
    pub fn send_for_data(&self, field: &str, value: &str) -> Answer<StepData> {
        step_data(self.public, &self.uuid.get_untracked(), field, value)
    }

    /// A step's problems: besides its fields, a sign-up session that is gone (spent,
    /// unknown or expired) is said in its alert, with the way out (start over).
    pub fn problems(&self, problems: Problems) -> Problems {
        problems.in_alert("uuid", |_| t().signup_session_lost.to_string());
        problems
    }

    /// Shows `stage`. The step already shown stays as it is (an emailed link opened on
    /// the code step is sent by that step, not by a new one whose answer would be lost).
    pub fn go(&self, stage: Stage) {
        self.moves.update_value(|m| *m += 1);
        if self.stage.get_untracked() != stage {
            self.stage.set(stage);
        }
    }

    /// Focus for a step that just appeared: its first field, or its heading when it opens
    /// with a choice or has no field of ours.
    pub fn focus(&self, field: Option<&'static str>) {
        if self.moves.get_value() == 0 {
            return;
        }
        match field {
            Some(input) => focus_soon(input, false),
            None => focus_heading(),
        }
    }

    /// Follows an emailed link. A link of the sign-up this tab started goes straight on.
    /// Any other may be someone else's, crafted to have this person set the password (and
    /// card) of an account that mails its owner: the person is asked first, and no address
    /// is shown, since the API doesn't say whose sign-up it is.
    pub fn follow_link(&self, uuid: String, code: String) {
        let own = self.uuid.with_untracked(|u| *u == uuid);
        if !own {
            self.email.set(String::new());
        }
        self.asking.set(!own);
        self.uuid.set(uuid);
        self.google.set(false);
        self.link_code.set(Some(code));
        self.go(Stage::Code);
    }

    /// The first step answered: on to the code, or to the note when a person reviews it.
    pub fn started(&self, data: StepData) {
        self.uuid.set(data.uuid);
        self.cooldown.set(COOLDOWN_SECS);
        self.go(if data.review {
            Stage::Review
        } else {
            Stage::Code
        });
    }

    /// Google stands in for the code and the password.
    pub fn google_answered(&self, data: StepData) {
        self.google.set(true);
        self.uuid.set(data.uuid);
        if !data.email.is_empty() {
            self.email.set(data.email);
        }
        self.go(if data.vpn_detected {
            Stage::Review
        } else {
            Stage::Plan
        });
    }

    /// The last step answered: signed in (the app goes on to the account), or under review.
    pub fn finish(&self, data: StepData) {
        if data.review || data.key.is_empty() {
            self.go(Stage::UnderReview);
            return;
        }
        self.flash.set(t().signup_welcome);
        let email = if data.email.is_empty() {
            self.email.get_untracked()
        } else {
            data.email
        };
        let session = Session {
            email,
            api_key: data.key,
        };
        self.session.sign_in(session, false);
    }

    /// Back to the email, to start over with another address.
    pub fn restart(&self) {
        self.uuid.set(String::new());
        self.google.set(false);
        self.promo_applied.set(None);
        self.standard.set(false);
        self.go(Stage::Email);
    }

    /// The email as typed, trimmed, if any.
    pub fn typed_email(&self) -> Option<String> {
        Some(self.email.get().trim().to_string()).filter(|e| !e.is_empty())
    }

    /// Sign-in, carrying the typed email so it need not be typed again.
    pub fn sign_in_href(&self) -> String {
        Route::Login {
            next: None,
            email: self.typed_email(),
        }
        .href()
    }
}

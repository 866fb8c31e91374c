//! Every user-facing string, in one place per locale.
//!
//! A locale is a `Messages` value; pages read `t()` and never hold literal text. Each
//! locale's strings are a text file of `key = value` lines in field order: English,
//! `src/messages/en.txt`, is built in; Spanish, `public/es.txt`, is fetched only by those who
//! choose it, so English readers never download it; [`Lang`] picks one from the browser or
//! the user's switch.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::OnceLock;

#[cfg(test)]
mod i18n_tests;

/// The strings of one locale. A sentence with values is a template whose `{0}`, `{1}`… the
/// method of the same name fills in.
///
/// Every field is a `&'static str` or an array of them (a test checks): a locale file is read
/// into it string by string, in field order.
#[repr(C)]
pub struct Messages {
    /// Suffix of every document title.
    pub title_suffix: &'static str,
    /// Product name in the header.
    pub brand: &'static str,
    /// Skip link to the main content.
    pub skip_to_content: &'static str,

    /// Sign-in page title and heading.
    pub sign_in_title: &'static str,
    /// Short line under the sign-in heading.
    pub sign_in_lede: &'static str,
    /// Email field label.
    pub email_label: &'static str,
    /// Password field label.
    pub password_label: &'static str,
    /// Show-password button label.
    pub show_password: &'static str,
    /// Hide-password button label.
    pub hide_password: &'static str,
    /// Keep-me-signed-in checkbox label.
    pub keep_signed_in: &'static str,
    /// Hint under keep-me-signed-in.
    pub keep_signed_in_hint: &'static str,
    /// Sign-in button.
    pub sign_in_button: &'static str,
    /// Sign-in button while the request is in flight.
    pub signing_in: &'static str,
    /// Link to the password reset page.
    pub forgot_password: &'static str,
    /// Link to the confirmation resend page.
    pub resend_confirmation: &'static str,
    /// Shown after a 401 mid-session.
    pub session_ended: &'static str,
    /// Shown after signing out.
    pub signed_out: &'static str,
    /// Another tab holding the same session signed out.
    pub signed_out_elsewhere: &'static str,

    /// MFA step heading.
    pub mfa_title: &'static str,
    /// MFA step explanation.
    pub mfa_lede: &'static str,
    /// Recovery-code explanation.
    pub mfa_recovery_lede: &'static str,
    /// On the account page after signing in with a recovery code (the API says nothing of
    /// how many are left, so neither do we).
    pub recovery_code_spent: &'static str,
    /// TOTP field label.
    pub mfa_code_label: &'static str,
    /// Recovery code field label.
    pub recovery_code_label: &'static str,
    /// Verify button.
    pub verify_button: &'static str,
    /// Verify button while pending.
    pub verifying: &'static str,
    /// Switch to recovery code.
    pub use_recovery_code: &'static str,
    /// Switch back to TOTP.
    pub use_authenticator: &'static str,
    /// Leave the MFA step.
    pub back_to_sign_in: &'static str,
    /// Wrong TOTP code.
    pub mfa_wrong_code: &'static str,
    /// The code was right, but this browser used it a moment ago.
    pub mfa_code_used: &'static str,
    /// Wrong recovery code.
    pub recovery_wrong_code: &'static str,

    /// Empty email.
    pub email_required: &'static str,
    /// Malformed email.
    pub email_invalid: &'static str,
    /// Empty password.
    pub password_required: &'static str,
    /// TOTP code not 6 digits.
    pub mfa_code_invalid: &'static str,
    /// Empty recovery code.
    pub recovery_code_required: &'static str,

    /// 401 on sign-in.
    pub err_bad_credentials: &'static str,
    /// 401 on a signed-in call.
    pub err_session_expired: &'static str,
    /// No response at all.
    pub err_network: &'static str,
    /// Banner while the browser is offline.
    pub offline: &'static str,
    /// 5xx.
    pub err_server: &'static str,
    /// 429 with Retry-After.
    pub err_rate_limited_for: &'static str,
    /// 429 with `Retry-After: 1`.
    pub err_rate_limited_one: &'static str,
    /// 429 without Retry-After.
    pub err_rate_limited: &'static str,
    /// A body we could not decode.
    pub err_malformed: &'static str,
    /// 404.
    pub err_not_found: &'static str,
    /// Field errors without a form-level message.
    pub err_fields: &'static str,
    /// Any other status.
    pub err_unexpected: &'static str,
    /// MFA required outside sign-in.
    pub err_mfa_required: &'static str,
    /// Request cancelled because the page was left.
    pub err_aborted: &'static str,
    /// Retry button.
    pub try_again: &'static str,

    /// Profile tab link.
    pub nav_profile: &'static str,
    /// Navigation landmark label.
    pub nav_label: &'static str,
    /// Label for the signed-in email in the header.
    pub signed_in_as: &'static str,
    /// Sign-out button.
    pub sign_out: &'static str,
    /// Account field: email.
    pub field_email: &'static str,
    /// Account field: tier.
    pub field_tier: &'static str,
    /// Account field: credits.
    pub field_credits: &'static str,
    /// Account field: MFA state.
    pub field_mfa: &'static str,
    /// MFA on.
    pub mfa_on: &'static str,
    /// MFA off.
    pub mfa_off: &'static str,
    /// FREE tier in words.
    pub tier_free: &'static str,
    /// STANDARD tier in words.
    pub tier_standard: &'static str,
    /// Loading text.
    pub loading: &'static str,

    /// Not-found title and heading.
    pub not_found_title: &'static str,
    /// Not-found explanation.
    pub not_found_lede: &'static str,
    /// Not-found link when signed in.
    pub go_to_account: &'static str,
    /// Not-found link when signed out.
    pub go_to_sign_in: &'static str,
    /// Footer contact line.
    pub footer_help: &'static str,
    /// The dark-mode toggle's name.
    pub dark_mode: &'static str,
    /// The language switch's name.
    pub language: &'static str,
    /// While a language is fetched.
    pub lang_loading: &'static str,
    /// A language could not be fetched; the page stays in the one shown.
    pub lang_failed: &'static str,
    /// Reset-request page title and heading.
    pub reset_title: &'static str,
    /// Reset-request explanation.
    pub reset_lede: &'static str,
    /// Reset-request button.
    pub send_reset_link: &'static str,
    /// Any email-sending button while pending.
    pub sending: &'static str,
    /// After a reset request (same text whether or not the account exists).
    pub reset_sent: &'static str,
    /// Resend button.
    pub send_again: &'static str,
    /// Resend button while cooling down.
    pub send_again_in: &'static str,
    /// Announced when a cooldown starts.
    pub cooldown_started: &'static str,
    /// Announced when a cooldown ends.
    pub cooldown_over: &'static str,

    /// Set-password page title and heading.
    pub set_title: &'static str,
    /// Set-password explanation.
    pub set_lede: &'static str,
    /// New password label.
    pub new_password_label: &'static str,
    /// Repeat label.
    pub confirm_password_label: &'static str,
    /// Set-password button.
    pub change_password_button: &'static str,
    /// Set-password button while pending.
    pub changing_password: &'static str,
    /// New password too short.
    pub password_too_short: &'static str,
    /// New password too long.
    pub password_too_long: &'static str,
    /// New password of spaces only.
    pub password_only_spaces: &'static str,
    /// New password equal to the current one.
    pub password_same: &'static str,
    /// Repeat differs.
    pub passwords_differ: &'static str,
    /// Shown on sign-in after a reset.
    pub password_changed: &'static str,
    /// Reset token expired.
    pub reset_token_expired: &'static str,
    /// Reset token used.
    pub reset_token_used: &'static str,
    /// Reset token missing or unknown.
    pub reset_token_invalid: &'static str,
    /// Link to request another reset email.
    pub send_new_link: &'static str,

    /// Confirmation-resend page title and heading.
    pub confirm_title: &'static str,
    /// Confirmation-resend explanation.
    pub confirm_lede: &'static str,
    /// `msg=token_expired`.
    pub confirm_token_expired: &'static str,
    /// `msg=token_invalid`.
    pub confirm_token_invalid: &'static str,
    /// Any other `msg`.
    pub confirm_token_other: &'static str,
    /// Confirmation-resend button.
    pub send_confirmation: &'static str,
    /// After a resend (same text whether or not anything was sent).
    pub confirmation_sent: &'static str,

    /// Notice page heading.
    pub notice_title: &'static str,
    /// Link onwards from the notice page.
    pub continue_link: &'static str,
    /// Success page heading.
    pub done_title: &'static str,
    /// `msg=email_confirmed`.
    pub msg_email_confirmed: &'static str,
    /// `msg=email_confirmed` or `already_confirmed`, to someone already signed in.
    pub msg_email_confirmed_signed_in: &'static str,
    /// `msg=already_confirmed`: a confirmation link opened again.
    pub msg_already_confirmed: &'static str,
    /// `msg=email_changed`.
    pub msg_email_changed: &'static str,
    /// `msg=email_change_revoked`.
    pub msg_email_change_revoked: &'static str,
    /// Any unknown `msg`.
    pub msg_generic: &'static str,

    /// Sign-up page title and heading.
    pub signup_title: &'static str,
    /// Line under the sign-up heading.
    pub signup_lede: &'static str,
    /// Sign-up email step button.
    pub signup_send_code: &'static str,
    /// Divider between a form and Google.
    pub or: &'static str,
    /// Before the sign-in link on sign-up.
    pub have_account: &'static str,
    /// Before the sign-up link on sign-in.
    pub no_account: &'static str,
    /// Sign-up link on sign-in.
    pub create_account: &'static str,
    /// Sign-up progress line.
    pub step_of: &'static str,
    /// Manual-review note heading.
    pub review_title: &'static str,
    /// Why a note is needed.
    pub review_lede: &'static str,
    /// Manual-review note label.
    pub review_note_label: &'static str,
    /// Empty review note.
    pub review_note_required: &'static str,
    /// Review note over 1000 characters.
    pub review_note_too_long: &'static str,
    /// Heading once a sign-up awaits review.
    pub review_done_title: &'static str,
    /// What happens after a review.
    pub review_done_lede: &'static str,
    /// Code step heading.
    pub signup_code_title: &'static str,
    /// Code step text when the email is known.
    pub signup_code_lede: &'static str,
    /// Code step text after the emailed link.
    pub signup_code_lede_link: &'static str,
    /// Heading when an emailed link of a sign-up this tab didn't start is opened.
    pub signup_link_title: &'static str,
    /// Its text: continue only a sign-up of one's own (no address: the link may be anyone's).
    pub signup_link_lede: &'static str,
    /// Code field label.
    pub signup_code_label: &'static str,
    /// Code not 6 digits.
    pub signup_code_invalid: &'static str,
    /// Code refused.
    pub signup_code_wrong: &'static str,
    /// Code expired.
    pub signup_code_expired: &'static str,
    /// After sending a new code.
    pub signup_code_resent: &'static str,
    /// Back to the email step.
    pub signup_other_email: &'static str,
    /// The sign-up session is gone.
    pub signup_session_lost: &'static str,
    /// Password step heading.
    pub signup_password_title: &'static str,
    /// Password step text.
    pub signup_password_lede: &'static str,
    /// Strength line prefix.
    pub strength_label: &'static str,
    /// Strength levels 1–4: name and advice.
    pub strength: [[&'static str; 2]; 4],
    /// Plan step heading.
    pub plan_title: &'static str,
    /// Plan radio group name.
    pub plan_legend: &'static str,
    /// What Free includes.
    pub plan_free_text: &'static str,
    /// What Standard adds.
    pub plan_standard_text: &'static str,
    /// Promo code label.
    pub promo_label: &'static str,
    /// Apply a promo code.
    pub promo_apply: &'static str,
    /// A promo code was accepted.
    pub promo_applied: &'static str,
    /// Unknown promo code.
    pub promo_invalid: &'static str,
    /// Apply with nothing typed.
    pub promo_required: &'static str,
    /// Card step heading.
    pub card_title: &'static str,
    /// Card step text.
    pub card_lede: &'static str,
    /// Card element label.
    pub card_label: &'static str,
    /// While Stripe.js loads.
    pub card_loading: &'static str,
    /// Stripe.js failed to load.
    pub card_unavailable: &'static str,
    /// Submit before the card form exists.
    pub card_not_ready: &'static str,
    /// Stripe gave no usable answer.
    pub card_failed: &'static str,
    /// Submit with the card unfinished.
    pub card_incomplete: &'static str,
    /// Final sign-up button.
    pub signup_create: &'static str,
    /// Final sign-up button while pending.
    pub signup_creating: &'static str,
    /// Generic next-step button.
    pub continue_button: &'static str,
    /// Generic pending label.
    pub saving: &'static str,
    /// Pending label of buttons whose action is neither saving nor sending.
    pub please_wait: &'static str,
    /// Card step back link.
    pub back_to_plans: &'static str,
    /// Flash after sign-up.
    pub signup_welcome: &'static str,
    /// Google button.
    pub google_continue: &'static str,
    /// Waiting on the Google window.
    pub google_waiting_popup: &'static str,
    /// Waiting after coming back from Google.
    pub google_waiting: &'static str,
    /// Google took over two minutes.
    pub google_timeout: &'static str,
    /// Unknown or expired Google session.
    pub google_expired: &'static str,
    /// Google said no, or the API refused the result.
    pub google_failed: &'static str,
    /// The person pressed Cancel on Google's page (said neutrally).
    pub google_cancelled: &'static str,
    /// The person closed Google's window before finishing.
    pub google_closed: &'static str,
    /// Sign-in with a Google address that has no account.
    pub google_no_account: &'static str,
    /// The link offered then, to sign-up.
    pub google_create_account: &'static str,
    /// Cancel button.
    pub cancel: &'static str,
    /// Side-nav link to the MFA page.
    pub nav_mfa: &'static str,
    /// MFA page status when on.
    pub mfa_is_on: &'static str,
    /// MFA page status when off.
    pub mfa_is_off: &'static str,
    /// What MFA being on means.
    pub mfa_on_lede: &'static str,
    /// Why to turn MFA on.
    pub mfa_off_lede: &'static str,
    /// Starts MFA activation.
    pub mfa_turn_on: &'static str,
    /// Activation heading.
    pub mfa_setup_title: &'static str,
    /// Activation step 1.
    pub mfa_scan: &'static str,
    /// Accessible name of the QR image.
    pub mfa_qr_label: &'static str,
    /// Summary revealing the setup key.
    pub mfa_cant_scan: &'static str,
    /// How to enter the key by hand.
    pub mfa_by_hand: &'static str,
    /// Setup key label.
    pub mfa_key: &'static str,
    /// Account label in the key details.
    pub mfa_account: &'static str,
    /// Issuer label in the key details.
    pub mfa_issuer: &'static str,
    /// Digits label in the key details.
    pub mfa_digits: &'static str,
    /// Interval label in the key details.
    pub mfa_period: &'static str,
    /// The interval in words.
    pub mfa_seconds: &'static str,
    /// Copies the setup key.
    pub copy_key: &'static str,
    /// Announced after copying.
    pub copied: &'static str,
    /// Copying was refused.
    pub copy_failed: &'static str,
    /// Activation step 2.
    pub mfa_enter_code: &'static str,
    /// Said before "Turn on": what turning two-factor on does to the API key.
    pub mfa_replaces_key: &'static str,
    /// Verifies the first code.
    pub mfa_turn_on_short: &'static str,
    /// Recovery codes heading.
    pub codes_title: &'static str,
    /// What recovery codes are for.
    pub codes_lede: &'static str,
    /// Accessible name of the codes list.
    pub codes_list: &'static str,
    /// Copies every code.
    pub copy_all: &'static str,
    /// Downloads the codes.
    pub download_txt: &'static str,
    /// Prints the codes.
    pub print: &'static str,
    /// Checkbox before Done.
    pub codes_saved: &'static str,
    /// Finishes with the codes.
    pub done: &'static str,
    /// First line of the downloaded codes file.
    pub codes_file_header: &'static str,
    /// After activation: the key was revoked.
    pub mfa_key_replaced: &'static str,
    /// Announced after activating.
    pub mfa_turned_on: &'static str,
    /// Flash on sign-in after activation.
    pub mfa_sign_in_again: &'static str,
    /// Sign-in after activation's recovery codes were lost to a reload or a closed tab.
    pub codes_lost: &'static str,
    /// Asked when leaving unsaved codes.
    pub leave_codes: &'static str,
    /// Opens the regenerate dialog.
    pub codes_new: &'static str,
    /// Regenerate dialog text.
    pub codes_new_lede: &'static str,
    /// Regenerate dialog button.
    pub codes_new_confirm: &'static str,
    /// Announced after regenerating.
    pub codes_new_done: &'static str,
    /// Opens the deactivate dialog.
    pub mfa_turn_off: &'static str,
    /// Deactivate dialog heading.
    pub mfa_turn_off_title: &'static str,
    /// Deactivate dialog text.
    pub mfa_turn_off_lede: &'static str,
    /// Deactivate dialog button.
    pub mfa_turn_off_confirm: &'static str,
    /// Announced after deactivating.
    pub mfa_turned_off: &'static str,
    /// Password field of the confirm dialogs.
    pub current_password_label: &'static str,
    /// The API refused the current password.
    pub wrong_password: &'static str,
    /// Side nav: the card tab.
    pub nav_payment_method: &'static str,
    /// Side nav: the API key tab.
    pub nav_api_key: &'static str,
    /// Side nav: the invoices and usage tab.
    pub nav_invoices: &'static str,
    /// Side nav: the SSH keys tab.
    pub nav_ssh_keys: &'static str,
    /// Side nav: the delete-account tab.
    pub nav_delete: &'static str,
    /// Upgrade tab title.
    pub upgrade_title: &'static str,
    /// Upgrade button while pending.
    pub upgrading: &'static str,
    /// Heading of the list of what Standard adds.
    pub standard_adds: &'static str,
    /// What Standard adds, one line each.
    pub standard_benefits: [&'static str; 4],
    /// How Standard is billed (before the pricing link).
    pub standard_price: &'static str,
    /// Link to the public price list.
    pub pricing_link: &'static str,
    /// Where the public price list is.
    pub pricing_url: &'static str,
    /// A19 succeeded.
    pub upgraded: &'static str,
    /// The upgrade tab for an account that is Standard already.
    pub standard_already: &'static str,
    /// The upgrade tab's way on once the account is Standard: a link to Billing.
    pub standard_next: &'static str,
    /// Usage panel heading.
    pub usage_title: &'static str,
    /// No usage rows.
    pub usage_empty: &'static str,
    /// Invoices panel heading.
    pub invoices_title: &'static str,
    /// No invoices.
    pub invoices_empty: &'static str,
    /// Column headings of the usage table: app, amount.
    pub usage_columns: [&'static str; 2],
    /// Column headings of the invoices table: period, amount, status, PDF.
    pub invoice_columns: [&'static str; 4],
    /// The usage table's last row.
    pub total: &'static str,
    /// An invoice that is paid, and one that is not.
    pub paid: [&'static str; 2],
    /// An invoice's PDF link.
    pub pdf: &'static str,
    /// An invoice's period: (first day, last day), in the user's date format; a narrow
    /// screen breaks the line after the dash.
    pub period: &'static str,
    /// When this period's usage started: (the last invoice's last day).
    pub usage_since: &'static str,
    /// The whole period's bill at today's rate (A22): (amount).
    pub run_rate_line: &'static str,
    /// Above the invoices when one is unpaid: what happens and what to do.
    pub unpaid_note: &'static str,
    /// Saves this period's usage as a CSV file.
    pub usage_csv: &'static str,
    /// Saves the invoices as a CSV file.
    pub invoices_csv: &'static str,
    /// The invoices' bar chart, as a screen reader names it.
    pub chart_label: &'static str,
    /// The spending line's form: heading, field label, button.
    pub spend_title: &'static str,
    pub spend_label: &'static str,
    pub spend_save: &'static str,
    /// What the spending line's field takes.
    pub spend_invalid: &'static str,
    /// The spending line saved: (the amount).
    pub spend_set: &'static str,
    /// The spending line removed.
    pub spend_off: &'static str,
    /// Banner on the account pages: (the bill at today's rate, the line).
    pub spend_passed: &'static str,
    /// A6 succeeded.
    pub password_changed_here: &'static str,
    /// Change-email form heading and button.
    pub change_email: &'static str,
    /// New email field label.
    pub new_email_label: &'static str,
    /// A10 succeeded: (new, current).
    pub email_change_sent: &'static str,
    /// A5 reports a pending change.
    pub email_change_pending: &'static str,
    /// `msg=link_invalid`.
    pub msg_link_invalid: &'static str,
    /// `msg=email_taken`.
    pub msg_email_taken: &'static str,
    /// `msg=account_deleted`: the goodbye page's sentence.
    pub msg_account_deleted: &'static str,
    /// Goodbye page heading.
    pub goodbye_title: &'static str,
    /// Goodbye page link to `#/signup`.
    pub sign_up_again: &'static str,
    /// The goodbye page's way to Gigalixir's site.
    pub gigalixir_home: &'static str,

    /// SSH keys tab text.
    pub ssh_keys_lede: &'static str,
    /// SSH key list heading.
    pub your_keys: &'static str,
    /// The account has no SSH key.
    pub no_ssh_keys: &'static str,
    /// Add-key form heading and button.
    pub add_ssh_key: &'static str,
    /// Public key field label.
    pub ssh_key_label: &'static str,
    /// Under the public key field.
    pub ssh_key_hint: &'static str,
    /// Empty public key.
    pub ssh_key_required: &'static str,
    /// A private key was pasted.
    pub ssh_key_private: &'static str,
    /// The first word is not a supported key type.
    pub ssh_key_type: &'static str,
    /// No usable base64 body after the type.
    pub ssh_key_body: &'static str,
    /// The API refused the key; takes its reason ("is not a valid SSH public key.").
    pub ssh_key_refused: &'static str,
    /// Announced after adding a key.
    pub ssh_key_added: &'static str,
    /// Remove buttons.
    pub remove: &'static str,
    /// Remove-key dialog heading.
    pub remove_key_title: &'static str,
    /// What removing a key does.
    pub remove_key_lede: &'static str,
    /// Announced after removing a key.
    pub ssh_key_removed: &'static str,

    /// Heading of what deleting the account does.
    pub delete_what: &'static str,
    /// What deleting the account does, one sentence each.
    pub delete_facts: [&'static str; 3],
    /// App list heading.
    pub apps_title: &'static str,
    /// The typed app name's label.
    pub app_name_label: &'static str,
    /// The typed app name differs.
    pub app_name_mismatch: &'static str,
    /// Account deletion form heading.
    pub delete_account_title: &'static str,
    /// The phrase typed to confirm; the label shows it.
    pub delete_phrase: &'static str,
    /// The typed phrase's label.
    pub delete_phrase_label: &'static str,
    /// The typed phrase differs.
    pub delete_phrase_mismatch: &'static str,
    /// Account deletion button.
    pub delete_account_button: &'static str,
    /// Account deletion button while pending.
    pub deleting: &'static str,
    /// API key tab text.
    pub api_key_lede: &'static str,
    /// Reveal the key.
    pub reveal: &'static str,
    /// Hide the key.
    pub hide: &'static str,
    /// Copy the key.
    pub copy: &'static str,
    /// Regenerate button and dialog heading.
    pub regenerate_key: &'static str,
    /// What regenerating does.
    pub regenerate_warning: &'static str,
    /// Regenerate succeeded.
    pub key_regenerated: &'static str,
    /// Heading of the key's use in the CLI, git and CI.
    pub key_outside: &'static str,
    /// Where the CLI, git and the GitHub Action take the key, and two-factor's effect.
    pub key_outside_lede: &'static str,
    /// The git remote's label.
    pub git_remote: &'static str,
    /// The app name in the remote's URL, for the reader to replace.
    pub your_app: &'static str,
    /// Regenerating as the way to sign out everywhere.
    pub key_everywhere_note: &'static str,
    /// The card on file: (brand, last4 padded, month, year).
    pub card_on_file: &'static str,
    /// A17's 404.
    pub no_card: &'static str,
    /// Replace the card.
    pub edit_card: &'static str,
    /// Add the first card.
    pub add_card: &'static str,
    /// Save button.
    pub save: &'static str,
    /// A18 succeeded.
    pub card_updated: &'static str,
    /// A18 succeeded where there was no card.
    pub card_added: &'static str,
    /// The stop-charges page's heading.
    pub stop_title: &'static str,
    /// What stopping charges takes.
    pub stop_lede: &'static str,
    /// No apps, so nothing to stop.
    pub stop_no_apps: &'static str,
    /// An app row's button.
    pub stop_button: &'static str,
    /// The steps dialog's heading.
    pub stop_app_title: &'static str,
    /// What the steps do and how to confirm them.
    pub stop_app_lede: &'static str,
    /// Runs every step.
    pub stop_all_button: &'static str,
    /// Each step's button, in the docs' order.
    pub stop_steps: [&'static str; 4],
    /// The replicas a step scales away: (count).
    pub stop_replicas: &'static str,
    /// An app row's summary: (replicas, domains, databases).
    pub stop_counts: &'static str,
    /// A step with nothing to act on.
    pub stop_none: &'static str,
    /// A step under way.
    pub stop_working: &'static str,
    /// A step done.
    pub stop_done: &'static str,
    /// A step failed (the dialog says why).
    pub stop_failed: &'static str,
    /// The last step done: (app).
    pub stop_stopped: &'static str,
}

/// English, the default locale: `src/messages/en.txt` as `build.rs` leaves it, one string per
/// line in field order. Built in as text, read once into a [`Messages`]: as a `static` of
/// string slices it carried a pointer and a length per string, which compress worse than
/// the text itself (docs/size-log.md).
static EN_TEXT: &str = include_str!(concat!(env!("OUT_DIR"), "/en.txt"));

/// English, once read.
static EN: OnceLock<Messages> = OnceLock::new();

/// The English messages (a test checks that `en.txt` holds every string, in order).
pub fn en() -> &'static Messages {
    EN.get_or_init(|| Messages::from_text(EN_TEXT).expect("en.txt holds every string"))
}

/// A language the console speaks.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Lang {
    /// English, the default.
    En,
    /// Spanish.
    Es,
}

impl crate::data::Choices for Lang {
    const ALL: &'static [Lang] = &Lang::ALL;
}

impl Lang {
    /// Every language, in the switch's order.
    pub const ALL: [Lang; 2] = [Lang::En, Lang::Es];

    /// The BCP 47 tag, for `<html lang>` and storage.
    pub fn tag(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::Es => "es",
        }
    }

    /// The language's name in itself, as a switch lists it.
    pub fn name(self) -> &'static str {
        match self {
            Lang::En => "English",
            Lang::Es => "Español",
        }
    }

    /// The language of a tag such as `es-MX`, if the console speaks it.
    pub fn from_tag(tag: &str) -> Option<Lang> {
        let primary = tag.split(['-', '_']).next()?.trim();
        Lang::ALL
            .into_iter()
            .find(|l| l.tag().eq_ignore_ascii_case(primary))
    }

    /// The first of the browser's preferred languages that the console speaks, else English.
    pub fn pick<'a>(preferred: impl IntoIterator<Item = &'a str>) -> Lang {
        preferred
            .into_iter()
            .find_map(Lang::from_tag)
            .unwrap_or(Lang::En)
    }
}

/// Whether Spanish is chosen; the console runs on one thread, but tests don't.
static SPANISH: AtomicBool = AtomicBool::new(false);

/// Spanish, once its file has been fetched and read.
static ES: OnceLock<Messages> = OnceLock::new();

/// How many strings one [`Messages`] holds.
const SLOTS: usize = std::mem::size_of::<Messages>() / std::mem::size_of::<&str>();

impl Messages {
    /// A locale from its built file: one string per line, in field order (the build takes
    /// the keys and comments out of `src/messages/en.txt` and `public/es.txt`). `None` unless
    /// the count is exactly right.
    pub fn from_text(text: &'static str) -> Option<Messages> {
        let values: Vec<&'static str> = text.lines().collect();
        let slots: [&'static str; SLOTS] = values.try_into().ok()?;
        // SAFETY: `Messages` is `repr(C)` and holds only `&'static str`s and arrays of them (a
        // test parses the declaration to check), so it is laid out exactly as this array is:
        // no padding, fields in order.
        Some(unsafe { std::mem::transmute::<[&'static str; SLOTS], Messages>(slots) })
    }
}

/// Whether Spanish has been fetched, so that choosing it needs no request.
pub fn has(lang: Lang) -> bool {
    lang == Lang::En || ES.get().is_some()
}

/// Reads a fetched `es.txt`; `false` when it does not hold every string.
pub fn install_spanish(text: String) -> bool {
    if ES.get().is_some() {
        return true;
    }
    // Kept for the life of the page, like English (a refused file too: a few KiB, once per
    // failed attempt the user makes).
    match Messages::from_text(text.leak()) {
        Some(es) => {
            let _ = ES.set(es);
            true
        }
        None => false,
    }
}

/// Switches every later [`t`] to `lang`; Spanish only once it is installed.
pub fn set_lang(lang: Lang) {
    SPANISH.store(lang == Lang::Es && has(lang), Ordering::Relaxed);
}

/// The language in use.
pub fn lang() -> Lang {
    if SPANISH.load(Ordering::Relaxed) {
        Lang::Es
    } else {
        Lang::En
    }
}

/// The messages of the current locale.
// Hundreds of call sites read a field through this; inlining the locale choice into each of
// them made the wasm larger (docs/size-log.md).
#[inline(never)]
pub fn t() -> &'static Messages {
    match (lang(), ES.get()) {
        (Lang::Es, Some(es)) => es,
        _ => en(),
    }
}

/// `template` with each `{0}`…`{9}` replaced by that value; any other brace stays as it is.
pub fn fill(template: &str, values: &[&str]) -> String {
    let mut out = String::with_capacity(template.len() + 32);
    let mut rest = template;
    while let Some(i) = rest.find('{') {
        out.push_str(&rest[..i]);
        let after = &rest[i + 1..];
        match after.as_bytes() {
            [digit @ b'0'..=b'9', b'}', ..] => {
                out.push_str(values.get(usize::from(digit - b'0')).copied().unwrap_or(""));
                rest = &after[2..];
            }
            _ => {
                out.push('{');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

/// `n` in decimal, zero-padded to `width` characters as `{n:0width$}` writes it.
pub fn decimal(n: i64, width: usize) -> String {
    let mut out = String::new();
    push_decimal(&mut out, n, width);
    out
}

/// Appends [`decimal`]`(n, width)`. Numbers are written here rather than by `core::fmt`,
/// whose integer code (padding, one printer per integer type) then stays out of the wasm.
pub fn push_decimal(out: &mut String, n: i64, width: usize) {
    let mut digits = [0u8; 20];
    let mut rest = n.unsigned_abs();
    let mut i = digits.len();
    loop {
        i -= 1;
        digits[i] = b'0' + (rest % 10) as u8;
        rest /= 10;
        if rest == 0 {
            break;
        }
    }
    if n < 0 {
        out.push('-');
    }
    for _ in digits.len() - i + usize::from(n < 0)..width {
        out.push('0');
    }
    for &d in &digits[i..] {
        out.push(char::from(d));
    }
}

/// The sentences that take values, filled in.
impl Messages {
    /// 5xx.
    pub fn err_server(&self, status: u16) -> String {
        fill(self.err_server, &[&decimal(status.into(), 0)])
    }
    /// 429 with Retry-After.
    pub fn err_rate_limited_for(&self, secs: u32) -> String {
        if secs == 1 {
            self.err_rate_limited_one.to_string()
        } else {
            fill(self.err_rate_limited_for, &[&decimal(secs.into(), 0)])
        }
    }
    /// Any other status.
    pub fn err_unexpected(&self, status: u16) -> String {
        fill(self.err_unexpected, &[&decimal(status.into(), 0)])
    }
    /// Resend button while cooling down.
    pub fn send_again_in(&self, secs: u32) -> String {
        fill(self.send_again_in, &[&decimal(secs.into(), 0)])
    }
    /// Announced when a cooldown starts.
    pub fn cooldown_started(&self, secs: u32) -> String {
        fill(self.cooldown_started, &[&decimal(secs.into(), 0)])
    }
    /// Sign-up progress.
    pub fn step_of(&self, step: u8, of: u8) -> String {
        fill(
            self.step_of,
            &[&decimal(step.into(), 0), &decimal(of.into(), 0)],
        )
    }
    /// After the VPN review note.
    pub fn review_done_lede(&self, email: &str) -> String {
        fill(self.review_done_lede, &[email])
    }
    /// Sign-up code sent to `email`.
    pub fn signup_code_lede(&self, email: &str) -> String {
        fill(self.signup_code_lede, &[email])
    }
    /// Sign-up code sent again to `email`.
    pub fn signup_code_resent(&self, email: &str) -> String {
        fill(self.signup_code_resent, &[email])
    }
    /// Password strength in words.
    pub fn strength_label(&self, level: &str) -> String {
        fill(self.strength_label, &[level])
    }
    /// A promo code and what it gives.
    pub fn promo_applied(&self, code: &str, text: &str) -> String {
        fill(self.promo_applied, &[code, text])
    }
    /// Google sign-in failed, and why.
    pub fn google_failed(&self, why: &str) -> String {
        fill(self.google_failed, &[why])
    }
    /// The TOTP interval.
    pub fn mfa_seconds(&self, secs: &str) -> String {
        fill(self.mfa_seconds, &[secs])
    }
    /// First line of the downloaded recovery codes.
    pub fn codes_file_header(&self, email: &str, date: &str) -> String {
        fill(self.codes_file_header, &[email, date])
    }
    /// An invoice's period.
    pub fn period(&self, from: &str, to: &str) -> String {
        fill(self.period, &[from, to])
    }
    /// The spending line saved.
    pub fn spend_set(&self, limit: &str) -> String {
        fill(self.spend_set, &[limit])
    }
    /// The banner of a passed spending line.
    pub fn spend_passed(&self, rate: &str, limit: &str) -> String {
        fill(self.spend_passed, &[rate, limit])
    }
    /// When this period's usage started.
    pub fn usage_since(&self, day: &str) -> String {
        fill(self.usage_since, &[day])
    }
    /// The whole period's bill at today's rate.
    pub fn run_rate_line(&self, amount: &str) -> String {
        fill(self.run_rate_line, &[amount])
    }
    /// Email change asked for.
    pub fn email_change_sent(&self, new: &str, current: &str) -> String {
        fill(self.email_change_sent, &[new, current])
    }
    /// Email change waiting.
    pub fn email_change_pending(&self, new: &str) -> String {
        fill(self.email_change_pending, &[new])
    }
    /// The server refused an SSH key.
    pub fn ssh_key_refused(&self, why: &str) -> String {
        fill(self.ssh_key_refused, &[why])
    }
    /// The card on file, its last four digits and expiry zero-padded.
    pub fn card_on_file(&self, brand: &str, last4: i64, month: i64, year: i64) -> String {
        let (last4, month) = (decimal(last4, 4), decimal(month, 2));
        fill(
            self.card_on_file,
            &[brand, &last4, &month, &decimal(year, 0)],
        )
    }
}

/// The sentence for a `msg` key from a link; unknown keys get a generic sentence, never the key.
pub fn notice_for(key: Option<&str>) -> &'static str {
    let m = t();
    match key {
        Some("email_confirmed") => m.msg_email_confirmed,
        Some("already_confirmed") => m.msg_already_confirmed,
        Some("email_changed") => m.msg_email_changed,
        Some("email_change_revoked") => m.msg_email_change_revoked,
        Some("link_invalid") => m.msg_link_invalid,
        Some("email_taken") => m.msg_email_taken,
        Some("account_deleted") => m.msg_account_deleted,
        _ => m.msg_generic,
    }
}

/// Formats a whole number of cents as US dollars, e.g. `1250` → `$12.50`, `-5` → `-$0.05`.
pub fn dollars(cents: i64) -> String {
    let abs = cents.unsigned_abs();
    // At most (2^63) / 100: a whole i64.
    let whole = decimal((abs / 100) as i64, 0);
    let mut out = String::from(if cents < 0 { "-$" } else { "$" });
    for (i, ch) in whole.chars().enumerate() {
        if i > 0 && (whole.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(ch);
    }
    out.push('.');
    push_decimal(&mut out, (abs % 100) as i64, 2);
    out
}

/// Cents as a plain number of dollars ("1234.56", "-0.05"), which spreadsheets read as a
/// number where "$1,234.56" would be text.
pub fn plain_dollars(cents: i64) -> String {
    let sign = if cents < 0 { "-" } else { "" };
    let abs = cents.unsigned_abs();
    [
        sign,
        &decimal((abs / 100) as i64, 0),
        ".",
        &decimal((abs % 100) as i64, 2),
    ]
    .concat()
}

/// The tier in words; an unknown tier is shown as sent, in title case.
pub fn tier_name(tier: &str) -> String {
    match tier {
        "FREE" => t().tier_free.to_string(),
        "STANDARD" => t().tier_standard.to_string(),
        other => {
            // Tiers are ASCII words; ASCII case keeps Unicode case tables out of the wasm.
            let mut word = other.to_ascii_lowercase();
            if let Some(first) = word.get_mut(..1) {
                first.make_ascii_uppercase();
            }
            word
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decimals_are_written_as_format_writes_them() {
        for n in [
            0,
            7,
            -7,
            42,
            -42,
            2031,
            i64::MAX,
            i64::MIN,
            1_733_400_000_000,
        ] {
            for width in [0, 2, 4, 25] {
                assert_eq!(decimal(n, width), format!("{n:0width$}"));
            }
        }
    }

    #[test]
    fn dollars_are_formatted_for_people() {
        assert_eq!(dollars(0), "$0.00");
        assert_eq!(dollars(5), "$0.05");
        assert_eq!(dollars(1250), "$12.50");
        assert_eq!(dollars(123_456_789), "$1,234,567.89");
        assert_eq!(dollars(-5), "-$0.05");
        assert_eq!(dollars(i64::MIN), "-$92,233,720,368,547,758.08");
    }

    #[test]
    fn tiers_are_words() {
        assert_eq!(tier_name("FREE"), "Free");
        assert_eq!(tier_name("STANDARD"), "Standard");
        assert_eq!(tier_name("ENTERPRISE"), "Enterprise");
        assert_eq!(tier_name(""), "");
    }

    #[test]
    fn message_keys_never_echo() {
        assert_eq!(notice_for(Some("email_confirmed")), t().msg_email_confirmed);
        assert_eq!(
            notice_for(Some("already_confirmed")),
            t().msg_already_confirmed
        );
        assert_eq!(
            notice_for(Some("<script>alert(1)</script>")),
            t().msg_generic
        );
        assert_eq!(notice_for(None), t().msg_generic);
        assert_eq!(notice_for(Some("link_invalid")), t().msg_link_invalid);
        assert_eq!(notice_for(Some("email_taken")), t().msg_email_taken);
        assert_eq!(notice_for(Some("account_deleted")), t().msg_account_deleted);
    }

    #[test]
    fn the_delete_phrase_is_shown_where_it_is_asked_for() {
        assert!(t().delete_phrase_label.contains(t().delete_phrase));
        assert!(t().delete_phrase_mismatch.contains(t().delete_phrase));
    }

    #[test]
    fn sentences_take_their_numbers() {
        assert_eq!(
            t().err_rate_limited_for(30),
            "Too many attempts. Try again in 30 seconds."
        );
        assert_eq!(
            t().err_rate_limited_for(1),
            "Too many attempts. Try again in 1 second."
        );
        assert_eq!(
            t().card_on_file("Visa", 42, 1, 2031),
            "Visa •••• 0042, expires 01/2031"
        );
        assert_eq!(
            t().err_server(503),
            "Gigalixir had a problem (error 503). Please try again in a moment."
        );
    }
}

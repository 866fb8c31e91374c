//! One file per page, or a folder for a page made of steps (`login/`, `signup/`).

mod account_page;
mod api_key_page;
mod confirmation_resend_page;
mod delete_account_page;
mod invoices_page;
mod login;
mod mfa_page;
mod not_found_page;
mod notice_page;
mod password_reset_page;
mod password_set_page;
mod payment_method_page;
mod signup;
mod spending_line;
mod ssh_keys_page;
mod stop_charges_page;
mod upgrade_page;

pub use account_page::AccountPage;
pub use api_key_page::ApiKeyPage;
pub use confirmation_resend_page::ConfirmationResendPage;
pub use delete_account_page::DeleteAccountPage;
pub use invoices_page::InvoicesPage;
pub use login::LoginPage;
pub use mfa_page::MfaPage;
pub use not_found_page::NotFoundPage;
pub use notice_page::NoticePage;
pub use password_reset_page::PasswordResetPage;
pub use password_set_page::PasswordSetPage;
pub use payment_method_page::PaymentMethodPage;
pub use signup::SignupPage;
pub use ssh_keys_page::SshKeysPage;
pub use stop_charges_page::{AppsToStop, StopChargesPage};
pub use upgrade_page::UpgradePage;

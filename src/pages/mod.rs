//! One file per page.

mod account_page;
mod login_page;
mod not_found_page;

pub use account_page::AccountPage;
pub use login_page::LoginPage;
pub use not_found_page::NotFoundPage;

//! The route table: every endpoint's method and path, and what unknown paths get.

use std::path::PathBuf;

use axum::extract::State;
use axum::http::{Method, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use axum::routing::{delete, get, patch, post, put};
use axum::Router;

use crate::error::ApiError;
use crate::state::AppState;
use crate::{
    account, addons, api, apps, billing, control, layers, mfa, oauth, recovery, signup, ssh_keys,
    static_files, stripe,
};

/// Builds the router: API, control endpoints, static files, and the layers around them.
pub fn router(state: AppState) -> Router {
    let routes = Router::new()
        .route("/api/login", get(api::login))
        .route("/api/users", get(api::users))
        .route(
            "/api/users/change_password",
            patch(account::change_password),
        )
        .route("/api/users/email", post(account::request_email_change))
        .route(
            "/api/users/email/confirm",
            get(account::confirm_email_change),
        )
        .route("/api/users/email/revoke", get(account::revoke_email_change))
        .route("/api/users/destroy", delete(account::destroy))
        .route(
            "/api/api_keys/regenerate",
            post(account::regenerate_api_key),
        )
        .route(
            "/api/payment_methods",
            get(billing::get_payment_method).put(billing::put_payment_method),
        )
        .route("/api/upgrade", post(billing::upgrade))
        .route("/api/invoices", get(billing::invoices))
        .route("/api/usage", get(billing::usage))
        .route("/api/usage/run_rate", get(billing::run_rate))
        .route("/api/apps", get(apps::list))
        .route("/api/apps/{name}", get(apps::info).delete(apps::destroy))
        .route("/api/apps/{name}/scale", put(apps::scale))
        .route(
            "/api/apps/{name}/domains",
            get(addons::domains).delete(addons::remove_domain),
        )
        .route("/api/apps/{name}/databases", get(addons::databases))
        .route(
            "/api/apps/{name}/databases/{id}",
            delete(addons::destroy_database),
        )
        .route(
            "/api/ssh_keys",
            get(ssh_keys::list)
                .post(ssh_keys::add)
                .delete(ssh_keys::remove),
        )
        .route(
            "/api/users/reset_password",
            put(recovery::request_reset).post(recovery::set_password),
        )
        .route(
            "/api/users/reconfirm_email",
            put(recovery::resend_confirmation),
        )
        .route("/api/confirm", get(recovery::confirm))
        .route("/api/signup", post(signup::signup))
        .route("/api/mfa", delete(mfa::deactivate))
        .route("/api/mfa/start", post(mfa::start))
        .route("/api/mfa/verify", post(mfa::verify))
        .route(
            "/api/mfa/recovery_codes",
            post(mfa::regenerate_recovery_codes),
        )
        .route("/api/oauth/google", post(oauth::start))
        .route("/api/oauth/google/{session}", get(oauth::poll))
        .route(
            "/__sim/google/consent",
            get(oauth::consent_page).post(oauth::consent_answer),
        )
        .route("/__sim/oauth/complete", post(oauth::complete))
        .route("/__sim/stripe/v1/tokens", post(stripe::create_token))
        .route("/__sim/stripe/v3", get(stripe::stripe_js))
        .route("/__sim/stripe/v3/", get(stripe::stripe_js))
        .route("/__sim/accounts", post(control::create_account))
        .route(
            "/__sim/faults",
            get(control::list_faults)
                .post(control::add_fault)
                .delete(control::clear_faults),
        )
        .route("/__sim/outbox", get(control::outbox_page))
        .route("/__sim/outbox.json", get(control::outbox_json))
        .route("/__sim/invoices/{pdf_id}", get(billing::invoice_pdf))
        .route(
            "/__sim/clock",
            get(control::get_clock).post(control::advance_clock),
        )
        .route("/__sim/health", get(control::health))
        .fallback(fallback)
        .method_not_allowed_fallback(method_not_allowed);
    layers::around(routes, state)
}

/// Unknown paths: JSON 404, or a static file when `--serve-dir` is set.
async fn fallback(State(state): State<AppState>, method: Method, uri: Uri) -> Response {
    let path = uri.path();
    let reserved = path == "/api"
        || path.starts_with("/api/")
        || path == "/__sim"
        || path.starts_with("/__sim/");
    match &state.config().serve_dir {
        Some(dir) if !reserved => {
            if path == "/config.json" && (method == Method::GET || method == Method::HEAD) {
                static_files::console_config()
            } else if method == Method::GET || method == Method::HEAD {
                let dir: PathBuf = dir.clone();
                static_files::serve(&dir, path).await
            } else {
                method_not_allowed().await
            }
        }
        _ => ApiError::not_found().into_response(),
    }
}

async fn method_not_allowed() -> Response {
    ApiError::new(StatusCode::METHOD_NOT_ALLOWED, "Method not allowed.").into_response()
}

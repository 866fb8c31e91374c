//! The accounts a fresh database starts with, and the demo account's card, apps, invoices,
//! usage and SSH key.

use crate::db;
use crate::{addons, apps, billing, ssh_keys, stripe_tokens};

/// Email of the seeded account without MFA.
pub const DEMO_EMAIL: &str = "demo@example.com";
/// Password of [`DEMO_EMAIL`].
pub const DEMO_PASSWORD: &str = "demo-password";
/// Email of the seeded account with MFA.
pub const MFA_EMAIL: &str = "mfa@example.com";
/// Password of [`MFA_EMAIL`].
pub const MFA_PASSWORD: &str = "mfa-password";
/// Base32 TOTP secret of [`MFA_EMAIL`].
pub const MFA_TOTP_SECRET: &str = "JBSWY3DPEHPK3PXPJBSWY3DP";
/// Recovery codes of [`MFA_EMAIL`], fixed so the banner can list those still unused (only
/// hashes are stored).
pub const MFA_RECOVERY_CODES: [&str; 10] = [
    "mfa22-aaaaa",
    "mfa23-bbbbb",
    "mfa24-ccccc",
    "mfa25-ddddd",
    "mfa26-eeeee",
    "mfa27-fffff",
    "mfa28-ggggg",
    "mfa29-hhhhh",
    "mfa32-jjjjj",
    "mfa33-kkkkk",
];
/// Email of the seeded account whose address is not confirmed yet.
pub const NEW_EMAIL: &str = "new@example.com";
/// Password of [`NEW_EMAIL`].
pub const NEW_PASSWORD: &str = "new-password";
/// Email of the seeded Standard account with no card on file.
pub const NOCARD_EMAIL: &str = "nocard@example.com";
/// Password of [`NOCARD_EMAIL`].
pub const NOCARD_PASSWORD: &str = "nocard-password";

/// The accounts a fresh database starts with.
pub fn seed_accounts() -> [db::NewAccount; 4] {
    [
        db::NewAccount {
            email: DEMO_EMAIL.into(),
            password: DEMO_PASSWORD.into(),
            tier: "STANDARD".into(),
            credit_cents: 1250,
            mfa: false,
            totp_secret: None,
            confirmed: true,
        },
        db::NewAccount {
            email: MFA_EMAIL.into(),
            password: MFA_PASSWORD.into(),
            tier: "FREE".into(),
            credit_cents: 0,
            mfa: true,
            totp_secret: Some(MFA_TOTP_SECRET.into()),
            confirmed: true,
        },
        db::NewAccount {
            email: NEW_EMAIL.into(),
            password: NEW_PASSWORD.into(),
            tier: "FREE".into(),
            credit_cents: 0,
            mfa: false,
            totp_secret: None,
            confirmed: false,
        },
        db::NewAccount {
            email: NOCARD_EMAIL.into(),
            password: NOCARD_PASSWORD.into(),
            tier: "STANDARD".into(),
            credit_cents: 0,
            mfa: false,
            totp_secret: None,
            confirmed: true,
        },
    ]
}

/// The demo account's card, apps, invoices, usage and SSH key. Each part is added only when
/// missing, so this can run again on an upgraded database.
fn seed_demo_extras(conn: &rusqlite::Connection, user_id: i64, now: i64) -> rusqlite::Result<()> {
    let card = stripe_tokens::Card {
        brand: "Visa".into(),
        last4: 4242,
        exp_month: 12,
        exp_year: 2030,
    };
    billing::seed_card(conn, user_id, &card)?;
    for app in apps::demo_apps() {
        apps::create_app(conn, user_id, &app, now)?;
    }
    addons::add_both(conn, user_id, "demo-app", "STANDARD", now)?;
    billing::seed_invoices(conn, user_id, &billing::DEMO_INVOICES)?;
    billing::seed_usage(conn, user_id, &billing::DEMO_USAGE)?;
    let key = ssh_keys::parse_public_key(ssh_keys::DEMO_KEY)
        .map_err(|e| rusqlite::Error::InvalidParameterName(format!("{e:?}")))?;
    ssh_keys::add_key(conn, user_id, &key, now)?;
    Ok(())
}

/// Creates the demo accounts when the database has no users yet. A seeded database made by
/// an older simulator (upgraded on open) gets the accounts it is missing, so
/// `new@example.com` appears without deleting `.cache/sim.sqlite`.
pub fn seed(database: &db::Db, now: i64) -> Result<(), String> {
    let mut conn = database.lock();
    let empty = db::user_count(&conn).map_err(|e| e.to_string())? == 0;
    let was_seeded = || matches!(db::user_by_email(&conn, DEMO_EMAIL), Ok(Some(_)));
    if !(empty || database.upgraded() && was_seeded()) {
        return Ok(());
    }
    for new in seed_accounts() {
        match db::create_account(&mut conn, &new, now) {
            Ok(created) if created.email == MFA_EMAIL => {
                let codes = MFA_RECOVERY_CODES.map(String::from);
                let user = db::user_by_email(&conn, MFA_EMAIL).map_err(|e| e.to_string())?;
                if let Some(user) = user {
                    db::set_recovery_codes(&conn, user.id, &codes).map_err(|e| e.to_string())?;
                }
            }
            Ok(_) | Err(db::CreateError::Exists) => {}
            Err(db::CreateError::Db(e)) => return Err(format!("cannot seed {}: {e}", new.email)),
        }
    }
    if let Some(demo) = db::user_by_email(&conn, DEMO_EMAIL).map_err(|e| e.to_string())? {
        seed_demo_extras(&conn, demo.id, now)
            .map_err(|e| format!("cannot seed the apps and billing of {DEMO_EMAIL}: {e}"))?;
    }
    Ok(())
}

# shellcheck shell=bash
# Shared functions for the developer scripts (.ci/dev, .ci/test, .ci/bench).
# Source it; it moves to the repository root. Every ensure_* function is a no-op when the
# tool is already present in the right version, so warm runs spend no time installing.

set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

TRUNK_VERSION="0.21.14"
CHROMIUM="/usr/bin/chromium"
CHROMEDRIVER="/usr/bin/chromedriver"
APT_PACKAGES=(chromium chromium-driver nginx-light)

# Cold `cargo install` builds are ~30% faster without fat LTO; the installed tools are
# build-time helpers, so their speed at run time does not matter.
CARGO_INSTALL_ENV=(CARGO_PROFILE_RELEASE_LTO=off CARGO_PROFILE_RELEASE_CODEGEN_UNITS=16)

# Make cargo-installed tools visible even in a shell that has not sourced ~/.cargo/env.
export PATH="${CARGO_HOME:-$HOME/.cargo}/bin:$PATH"

say() { printf '\n==> %s\n' "$*"; }
note() { printf '    %s\n' "$*"; }
die() { printf '\nERROR: %s\n' "$*" >&2; exit 1; }

is_root() { [ "$(id -u)" -eq 0 ]; }

ensure_rust() {
  command -v cargo >/dev/null || die "cargo is not installed. Install Rust with rustup (https://rustup.rs), then re-run."
  command -v rustup >/dev/null || die "rustup is not installed; it is needed to add the wasm32-unknown-unknown target."
}

ensure_wasm_target() {
  say "Rust target wasm32-unknown-unknown (rustup target add is idempotent)"
  rustup target add wasm32-unknown-unknown
}

ensure_trunk() {
  local have=""
  have="$(trunk --version 2>/dev/null || true)"
  if [ "$have" = "trunk $TRUNK_VERSION" ]; then
    say "Trunk $TRUNK_VERSION already installed"
    return
  fi
  say "Installing Trunk $TRUNK_VERSION (found: ${have:-none}); takes ~8 min on a cold 2-core machine"
  env "${CARGO_INSTALL_ENV[@]}" cargo install trunk --version "$TRUNK_VERSION" --locked
}

# The wasm-bindgen version the console is locked to (Trunk refuses a mismatched CLI offline).
locked_wasm_bindgen_version() {
  [ -f Cargo.lock ] || { note "Cargo.lock missing: generating it" >&2; cargo generate-lockfile >&2; }
  awk '
    $0 == "name = \"wasm-bindgen\"" { found = 1; next }
    found && /^version = / { gsub(/"/, "", $3); print $3; exit }
    /^\[\[package\]\]/ { found = 0 }
  ' Cargo.lock
}

ensure_wasm_bindgen() {
  local want have=""
  want="$(locked_wasm_bindgen_version)"
  [ -n "$want" ] || die "Could not find the wasm-bindgen version in Cargo.lock."
  have="$(wasm-bindgen --version 2>/dev/null || true)"
  if [ "$have" = "wasm-bindgen $want" ]; then
    say "wasm-bindgen-cli $want already installed (matches Cargo.lock)"
    return
  fi
  say "Installing wasm-bindgen-cli $want to match Cargo.lock (found: ${have:-none}); ~10 min cold"
  # No --locked: the CLI's own lock pins a crate version that the registry no longer serves.
  env "${CARGO_INSTALL_ENV[@]}" cargo install wasm-bindgen-cli --version "$want"
}

ensure_chromium() {
  if [ -x "$CHROMIUM" ] && [ -x "$CHROMEDRIVER" ] && [ -x /usr/sbin/nginx ]; then
    say "Chromium and chromedriver already installed ($("$CHROMIUM" --version 2>/dev/null || echo "$CHROMIUM"))"
    return
  fi
  local cmd="apt-get update && apt-get install -y ${APT_PACKAGES[*]}"
  if is_root; then
    say "Installing Debian's Chromium, chromedriver and nginx (for the deployment recipe's test): $cmd"
    apt-get update
    DEBIAN_FRONTEND=noninteractive apt-get install -y "${APT_PACKAGES[@]}"
  else
    die "Chromium ($CHROMIUM), chromedriver ($CHROMEDRIVER) or nginx is missing. Install them as root:
    sudo sh -c '$cmd'"
  fi
}

ensure_node() {
  if ! command -v node >/dev/null || ! command -v npm >/dev/null; then
    die "Node.js 20+ and npm are required (https://nodejs.org or your package manager)."
  fi
  local major
  major="$(node -p 'process.versions.node.split(".")[0]')"
  [ "$major" -ge 20 ] || die "Node.js 20+ is required (found $(node --version))."
}

# npm packages for the browser tests, the benchmark and wasm-opt (binaryen), in tests/.
# Skipped when node_modules was installed from exactly this package.json + lock.
ensure_npm_deps() {
  ensure_node
  local stamp="tests/node_modules/.install-stamp" want
  if [ -f tests/package-lock.json ]; then
    want="$(cat tests/package.json tests/package-lock.json | sha256sum | cut -d' ' -f1)"
  else
    want="$(sha256sum tests/package.json | cut -d' ' -f1)"
  fi
  if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ]; then
    say "npm packages in tests/ are up to date with the lock"
    return
  fi
  # Browsers come from Debian; Playwright's download cannot work here.
  export PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1
  if [ -f tests/package-lock.json ]; then
    say "Installing npm packages in tests/ (npm ci)"
    (cd tests && npm ci --no-audit --no-fund)
  else
    say "Installing npm packages in tests/ (npm install: no lock yet)"
    (cd tests && npm install --no-audit --no-fund)
    want="$(cat tests/package.json tests/package-lock.json | sha256sum | cut -d' ' -f1)"
  fi
  printf '%s\n' "$want" > "$stamp"
}

# Everything the console build, the simulator and the browser tests need.
# The release wasm rebuilds the standard library (see build_console), from its source.
ensure_rust_src() {
  if rustup component list --installed 2>/dev/null | grep -qx 'rust-src'; then
    say "rust-src already installed (for the release wasm's own build of std)"
    return
  fi
  say "Adding rust-src (the standard library's source, for the release wasm's own build of std)"
  rustup component add rust-src || note "rust-src could not be added: the release wasm will be built on plain stable."
}

ensure_all() {
  ensure_rust
  ensure_wasm_target
  ensure_rust_src
  ensure_trunk
  ensure_wasm_bindgen
  ensure_chromium
  ensure_npm_deps
}

# The release wasm is smaller with three unstable options of the one (stable) toolchain,
# which RUSTC_BOOTSTRAP=1 unlocks for this build only: std rebuilt with the console's size
# profile, a panic that traps at once instead of formatting a message nobody sees (the page
# dies either way), and no panic locations or `Debug` output (docs/size-log.md has the
# figure). They are an optimisation, not a requirement: when this toolchain refuses any of
# them (a renamed flag, no rust-src), the build says so and uses plain stable, and the size
# budget decides. Clippy, the tests, `trunk serve` and the simulator always use plain stable.
RELEASE_UNSTABLE_FLAGS="-Zunstable-options -Cpanic=immediate-abort -Zlocation-detail=none -Zfmt-debug=none"

# True when this toolchain takes the options: rustc compiles an empty crate with them, and
# std's source is there to rebuild.
release_unstable_ok() {
  rustup component list --installed 2>/dev/null | grep -qx 'rust-src' || return 1
  local probe
  probe="$(mktemp -d)"
  # shellcheck disable=SC2086
  echo '#![no_std]' | RUSTC_BOOTSTRAP=1 rustc --crate-type=rlib --target wasm32-unknown-unknown \
    $RELEASE_UNSTABLE_FLAGS -o "$probe/probe.rlib" - >/dev/null 2>&1
  local ok=$?
  rm -rf "$probe"
  return "$ok"
}

# Exports the release wasm's environment; the variable replaces .cargo/config.toml's wasm
# rustflags, so it starts with them.
release_wasm_env() {
  if ! release_unstable_ok; then
    note "This toolchain refuses the release wasm's unstable size options: building on plain stable (larger; the size budget decides)."
    return 0
  fi
  local base
  base="$(python3 -c 'import tomllib; print(" ".join(tomllib.load(open(".cargo/config.toml", "rb"))["target"]["wasm32-unknown-unknown"]["rustflags"]))')"
  export RUSTC_BOOTSTRAP=1 CARGO_UNSTABLE_BUILD_STD=std,panic_abort
  export CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUSTFLAGS="$base $RELEASE_UNSTABLE_FLAGS"
}

build_console() {
  say "Building the console: trunk build --release -> dist/ (wasm-opt from npm binaryen first on PATH)"
  [ -f index.html ] || die "index.html is missing: the console has not been written yet."
  (
    release_wasm_env
    # Trunk builds offline; this first build fetches std's own dependencies when missing
    # and leaves Trunk's identical build nothing to do.
    cargo build --release --target wasm32-unknown-unknown
    PATH="$ROOT/tests/node_modules/.bin:$PATH" trunk build --release
  )
}

# The same release build with one wasm-opt flag less, `-tnh`, into dist-traps/: there a
# panic traps and throws, as the browser tests need to see it as a page error. The shipped
# build has `-tnh` (index.html says why), under which a panic is undefined behaviour that no
# test can see; everything else in the two builds is the same, so the full browser suite runs
# on this one and a smoke set on the shipped one. Trunk builds a copy of index.html without
# the flag, at the root where its relative paths hold, and the copy goes again.
build_console_trapping() {
  say "Building the console whose panics trap: index.html without -tnh -> dist-traps/"
  local html=".index-traps.html" rc=0
  grep -q 'data-wasm-opt-params="-tnh ' index.html || die "index.html's wasm-opt params no longer start with -tnh: update build_console_trapping."
  sed 's/data-wasm-opt-params="-tnh /data-wasm-opt-params="/' index.html > "$html"
  (
    release_wasm_env
    PATH="$ROOT/tests/node_modules/.bin:$PATH" trunk build "$html" --release=true --dist dist-traps
  ) || rc=$?
  rm -f "$html"
  return "$rc"
}

build_sim() {
  say "Building the simulator: cargo build -p gigalixir-sim -> target/debug/gigalixir-sim"
  cargo build -p gigalixir-sim
}

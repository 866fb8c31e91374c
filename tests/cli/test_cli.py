"""Conformance of the simulator with the official gigalixir CLI 1.16.1 (the pure-Python one).

Run through tests/cli/run.sh, which provides GX_SIM_BIN and GX_CLI_BIN. Every CLI process gets
a scratch HOME, GIGALIXIR_CLI__HOST pointing at the simulator, and the sitecustomize hook in
./sitecustomize, which disables Rollbar and blocks (and records) any non-loopback connection.
"""

import io
import pty
import re
import select
import base64
import hashlib
import hmac
import json
import netrc
import os
import struct
import subprocess
import sys
import threading
import time
import urllib.parse
import urllib.request

import pytest

HERE = os.path.dirname(os.path.abspath(__file__))
SIM_BIN = os.environ.get("GX_SIM_BIN")
CLI_BIN = os.environ.get("GX_CLI_BIN")

# urllib must not pick up a proxy from the environment for these loopback calls.
_OPENER = urllib.request.build_opener(urllib.request.ProxyHandler({}))


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


# For reading a redirect's Location instead of following it.
_NO_REDIRECT_OPENER = urllib.request.build_opener(urllib.request.ProxyHandler({}), _NoRedirect())


def totp(secret_b32, at=None):
    """RFC 6238 TOTP: SHA1, 30-second steps, 6 digits."""
    key = base64.b32decode(secret_b32.upper() + "=" * (-len(secret_b32) % 8))
    counter = int((time.time() if at is None else at) // 30)
    digest = hmac.new(key, struct.pack(">Q", counter), hashlib.sha1).digest()
    offset = digest[-1] & 0x0F
    value = struct.unpack(">I", digest[offset:offset + 4])[0] & 0x7FFFFFFF
    return "%06d" % (value % 1_000_000)


def test_totp_helper_matches_rfc6238():
    # RFC 6238 appendix B, SHA1, T=59 -> 94287082 (8 digits), so 287082 with 6.
    secret = base64.b32encode(b"12345678901234567890").decode()
    assert totp(secret, at=59) == "287082"


class Sim:
    """The simulator binary, started on an ephemeral port with an in-memory database."""

    def __init__(self):
        assert SIM_BIN and os.path.exists(SIM_BIN), "GX_SIM_BIN missing; use tests/cli/run.sh"
        self.proc = subprocess.Popen(
            [SIM_BIN, "--addr", "127.0.0.1:0", "--db", ":memory:", "--test-controls"],
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        first = self.proc.stdout.readline().strip()
        prefix = "gigalixir-sim listening on "
        assert first.startswith(prefix), "unexpected first line: %r" % first
        self.base = first[len(prefix):]
        assert self.base.startswith("http://127.0.0.1:")
        self.port = int(self.base.rsplit(":", 1)[1])
        # Keep reading so the simulator never blocks on a full pipe.
        self.output = []
        threading.Thread(target=self._drain, daemon=True).start()

    def _drain(self):
        for line in self.proc.stdout:
            self.output.append(line)

    def request(self, method, path, body=None):
        data = None if body is None else json.dumps(body).encode()
        req = urllib.request.Request(self.base + path, data=data, method=method)
        req.add_header("Content-Type", "application/json")
        try:
            with _OPENER.open(req, timeout=10) as resp:
                return resp.status, resp.read().decode()
        except urllib.error.HTTPError as e:
            return e.code, e.read().decode()

    def create_account(self, **fields):
        status, text = self.request("POST", "/__sim/accounts", fields)
        assert status == 201, text
        return json.loads(text)

    def outbox(self, to):
        """Emails sent to `to`, newest first."""
        status, text = self.request("GET", "/__sim/outbox.json")
        assert status == 200, text
        return [email for email in json.loads(text)["data"] if email["to"] == to]

    def stop(self):
        self.proc.terminate()
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()


@pytest.fixture(scope="module")
def sim():
    server = Sim()
    yield server
    server.stop()


class Cli:
    """The official CLI with an isolated HOME, aimed at the simulator."""

    def __init__(self, sim, home):
        assert CLI_BIN and os.path.exists(CLI_BIN), "GX_CLI_BIN missing; use tests/cli/run.sh"
        self.home = str(home)
        self.blocked_log = os.path.join(self.home, "blocked-connections.log")
        env = {k: v for k, v in os.environ.items() if not k.lower().endswith("_proxy")}
        env.pop("GIGALIXIR_ENV", None)
        # Stripe on a host name of its own, as in production: requests puts the netrc
        # credentials of a request's host over any Authorization header, so with the API's
        # `machine 127.0.0.1` entry the stand-in would get Basic email:key, not Bearer pk_.
        stripe_base = sim.base.replace("//127.0.0.1:", "//localhost:", 1) + "/__sim/stripe"
        env.update(
            HOME=self.home,
            GIGALIXIR_CLI__HOST=sim.base,
            PYTHONPATH=os.path.join(HERE, "sitecustomize"),
            GX_LOOPBACK_ONLY="1",
            GX_BLOCKED_LOG=self.blocked_log,
            GX_STRIPE_API_BASE=stripe_base,
            PYTHONUTF8="1",
            LC_ALL="C.UTF-8",
            NO_PROXY="127.0.0.1,localhost",
        )
        self.env = env

    def run(self, *args):
        result = subprocess.run(
            [CLI_BIN, *args],
            env=self.env,
            cwd=self.home,
            stdin=subprocess.DEVNULL,
            capture_output=True,
            text=True,
            timeout=120,
        )
        blocked = ""
        if os.path.exists(self.blocked_log):
            with open(self.blocked_log, encoding="utf-8") as f:
                blocked = f.read()
        assert blocked == "", "the CLI tried to leave loopback: %s" % blocked
        return result

    def signup(self, sim, email, answers):
        """Runs the interactive `gigalixir signup`: types `email`, waits for the code email,
        then types the code followed by `answers` (password, promo, tier, ...). The CLI
        has no flags for any of this. A new session means no controlling terminal, so the
        hidden password prompt reads stdin instead of /dev/tty."""
        proc = subprocess.Popen(
            [CLI_BIN, "signup"],
            env=self.env,
            cwd=self.home,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            start_new_session=True,
        )
        try:
            proc.stdin.write(email + "\n")
            proc.stdin.flush()
            code = None
            deadline = time.monotonic() + 60
            while code is None and time.monotonic() < deadline and proc.poll() is None:
                for mail in sim.outbox(email):
                    if mail["subject"] == "Your Gigalixir sign-up code":
                        code = signup_code(mail["body"])
                        break
                else:
                    time.sleep(0.1)
            assert code is not None, "no sign-up code arrived"
            out, _ = proc.communicate("".join(a + "\n" for a in [code, *answers]), timeout=120)
        except BaseException:
            proc.kill()
            proc.wait()
            raise
        blocked = ""
        if os.path.exists(self.blocked_log):
            with open(self.blocked_log, encoding="utf-8") as f:
                blocked = f.read()
        assert blocked == "", "the CLI tried to leave loopback: %s" % blocked
        return proc.returncode, out

    def run_tty(self, args, answers, timeout=60):
        """Runs the CLI on a pseudo-terminal, as a person at a terminal would (the QR code of
        `account:mfa:activate` refuses anything but a TTY). For each (prompt, answer) in
        `answers`, in order, waits for `prompt` to appear in the output and types
        `answer(output so far)` plus Enter. Returns (returncode, output) with the terminal's
        CRLF line ends turned back into LF; the output includes the echo of what was typed."""
        master, slave = pty.openpty()
        proc = subprocess.Popen(
            [CLI_BIN, *args],
            env=self.env,
            cwd=self.home,
            stdin=slave,
            stdout=slave,
            stderr=slave,
            # No controlling terminal of ours for the CLI to grab.
            start_new_session=True,
        )
        os.close(slave)
        out = b""
        deadline = time.monotonic() + timeout

        def read_more():
            """Reads what is there; False once the CLI has closed the terminal."""
            nonlocal out
            ready, _, _ = select.select([master], [], [], max(0.0, deadline - time.monotonic()))
            assert ready, "the CLI went quiet; output so far: %r" % out.decode("utf-8", "replace")
            try:
                chunk = os.read(master, 65536)
            except OSError:  # EIO: every writer has gone
                return False
            out += chunk
            return bool(chunk)

        try:
            pos = 0
            for prompt, answer in answers:
                while prompt.encode() not in out[pos:]:
                    assert read_more(), "the CLI ended before %r: %r" % (prompt, out.decode("utf-8", "replace"))
                pos = out.index(prompt.encode(), pos) + len(prompt)
                text = out.decode("utf-8", "replace").replace("\r\n", "\n")
                os.write(master, (answer(text) + "\n").encode())
            while read_more():
                pass
            returncode = proc.wait(timeout=max(1.0, deadline - time.monotonic()))
        except BaseException:
            proc.kill()
            proc.wait()
            raise
        finally:
            os.close(master)
        blocked = ""
        if os.path.exists(self.blocked_log):
            with open(self.blocked_log, encoding="utf-8") as f:
                blocked = f.read()
        assert blocked == "", "the CLI tried to leave loopback: %s" % blocked
        return returncode, out.decode("utf-8", "replace").replace("\r\n", "\n")


    def assert_stayed_on_loopback(self):
        blocked = ""
        if os.path.exists(self.blocked_log):
            with open(self.blocked_log, encoding="utf-8") as f:
                blocked = f.read()
        assert blocked == "", "the CLI tried to leave loopback: %s" % blocked

    def start_oauth(self, command):
        """Starts `gigalixir <command>` (login:google or signup:google) and reads its output up
        to the "To <action> browse to <url>" line; returns (process, url, output so far). The
        process then polls every ~4 s; finish it with `finish`."""
        proc = subprocess.Popen(
            [CLI_BIN, command],
            env=dict(self.env, PYTHONUNBUFFERED="1"),
            cwd=self.home,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            start_new_session=True,
        )
        lines = []
        try:
            for line in proc.stdout:
                lines.append(line)
                if " browse to " in line:
                    return proc, line.split(" browse to ", 1)[1].strip(), "".join(lines)
        except BaseException:
            proc.kill()
            proc.wait()
            raise
        proc.wait()
        raise AssertionError("no consent URL in %r" % "".join(lines))

    def finish(self, proc, answers=()):
        """Types `answers` (one per line) and waits for the process; returns the rest of its
        output."""
        try:
            out, _ = proc.communicate("".join(a + "\n" for a in answers), timeout=120)
        except BaseException:
            proc.kill()
            proc.wait()
            raise
        self.assert_stayed_on_loopback()
        return out

    def trust_loopback_netrc(self):
        """`login` writes netrc for api.gigalixir.com only; requests looks entries up by the
        request's host name, so copy the credentials to a `machine 127.0.0.1` entry."""
        path = os.path.join(self.home, ".netrc")
        login, _, password = netrc.netrc(path).authenticators("api.gigalixir.com")
        with open(path, "a", encoding="utf-8") as f:
            f.write("machine 127.0.0.1\n\tlogin %s\n\tpassword %s\n" % (login, password))
        return login, password


def signup_code(body):
    """The 6-digit code on a line of its own in a sign-up email."""
    for line in body.splitlines():
        line = line.strip()
        if len(line) == 6 and line.isdigit():
            return line
    raise AssertionError("no code in %r" % body)


@pytest.fixture
def cli(sim, tmp_path):
    return Cli(sim, tmp_path)


def output(result):
    return result.stdout + result.stderr


def test_login_with_awkward_password_then_account(sim, cli):
    email = "cli.awkward+1@example.com"
    password = "p:ss w%rd 20% ünï€ 🔑/"
    account = sim.create_account(email=email, password=password, tier="STANDARD", credit_cents=1250)

    result = cli.run("login", "-e", email, "-p", password, "-y")
    assert result.returncode == 0, output(result)
    assert "Logged in as %s" % email in output(result)

    login, key = cli.trust_loopback_netrc()
    assert (login, key) == (email, account["api_key"])

    result = cli.run("account")
    assert result.returncode == 0, output(result)
    assert email in result.stdout
    assert "STANDARD" in result.stdout


def test_wrong_password_is_refused(sim, cli):
    sim.create_account(email="cli.wrong@example.com", password="right-password")
    result = cli.run("login", "-e", "cli.wrong@example.com", "-p", "wrong-password", "-y")
    assert result.returncode != 0
    assert "could not authenticate" in output(result)
    assert not os.path.exists(os.path.join(cli.home, ".netrc"))


def test_account_without_credentials_is_refused(sim, cli):
    result = cli.run("account")
    assert result.returncode != 0
    assert "Sorry, you do not have access" in output(result)


def test_mfa_login_with_totp_code(sim, cli):
    email = "cli.totp@example.com"
    account = sim.create_account(email=email, password="pw-totp", mfa=True)
    code = totp(account["totp_secret"])
    result = cli.run("login", "-e", email, "-p", "pw-totp", "-t", code, "-y")
    assert result.returncode == 0, output(result)
    assert "Logged in as %s" % email in output(result)
    cli.trust_loopback_netrc()
    result = cli.run("account")
    assert result.returncode == 0, output(result)
    assert email in result.stdout


def test_mfa_login_without_code_asks_for_one(sim, cli):
    email = "cli.prompt@example.com"
    sim.create_account(email=email, password="pw-prompt", mfa=True)
    # The 303 makes the CLI prompt; stdin is empty, so it aborts instead of logging in.
    result = cli.run("login", "-e", email, "-p", "pw-prompt", "-y")
    assert result.returncode != 0
    assert "Multi-factor Authentication Token" in output(result)
    assert "Logged in" not in output(result)


def test_mfa_login_with_recovery_code_works_once(sim, cli, tmp_path):
    email = "cli.recovery@example.com"
    account = sim.create_account(email=email, password="pw-recovery", mfa=True)
    code = account["recovery_codes"][0]

    result = cli.run("login", "-e", email, "-p", "pw-recovery", "-t", code, "-y")
    assert result.returncode == 0, output(result)
    assert "Logged in as %s" % email in output(result)

    second_home = tmp_path / "second"
    second_home.mkdir()
    again = Cli(sim, second_home)
    result = again.run("login", "-e", email, "-p", "pw-recovery", "-t", code, "-y")
    assert result.returncode != 0
    assert "Multi-factor Authentication Token" in output(result)
    assert "Logged in" not in output(result)
    assert not os.path.exists(os.path.join(again.home, ".netrc"))


RESET_SENT = "Reset password link has been sent to your email."
CONFIRMATION_SENT = "Confirmation email sent."


def test_password_reset_emails_a_link_and_set_password_uses_it(sim, cli, tmp_path):
    email = "cli.reset@example.com"
    sim.create_account(email=email, password="old-password")
    result = cli.run("account:password:reset", "--email=%s" % email)
    assert result.returncode == 0, output(result)
    assert RESET_SENT in output(result)

    emails = sim.outbox(email)
    assert len(emails) == 1
    assert emails[0]["subject"] == "Reset your Gigalixir password"
    link = emails[0]["links"][0]
    prefix = sim.base + "/#/password/set?token="
    assert link.startswith(prefix), link
    token = link[len(prefix):]
    assert len(token) >= 32

    # The deprecated CLI way of spending the token works too (A8).
    result = cli.run("account:password:set", "-t", token, "-p", "new-password")
    assert result.returncode == 0, output(result)
    result = cli.run("login", "-e", email, "-p", "new-password", "-y")
    assert result.returncode == 0, output(result)
    assert "Logged in as %s" % email in output(result)

    second_home = tmp_path / "old-password"
    second_home.mkdir()
    result = Cli(sim, second_home).run("login", "-e", email, "-p", "old-password", "-y")
    assert result.returncode != 0
    assert "could not authenticate" in output(result)

    # Spent: a second use fails with the API's message.
    result = cli.run("account:password:set", "-t", token, "-p", "third-password")
    assert result.returncode != 0
    assert "has already been used" in output(result)


def test_password_reset_for_an_unknown_email_looks_the_same(sim, cli):
    email = "cli.nobody-reset@example.com"
    result = cli.run("account:password:reset", "--email=%s" % email)
    assert result.returncode == 0, output(result)
    assert RESET_SENT in output(result)
    assert sim.outbox(email) == []


def test_confirmation_resend_emails_a_working_link(sim, cli):
    email = "cli.pending@example.com"
    sim.create_account(email=email, password="pw-pending", confirmed=False)
    result = cli.run("account:confirmation:resend", "--email=%s" % email)
    assert result.returncode == 0, output(result)
    assert CONFIRMATION_SENT in output(result)

    emails = sim.outbox(email)
    assert len(emails) == 1
    assert emails[0]["subject"] == "Confirm your Gigalixir email"
    link = emails[0]["links"][0]
    assert link.startswith(sim.base + "/api/confirm?token="), link

    with pytest.raises(urllib.error.HTTPError) as redirect:
        _NO_REDIRECT_OPENER.open(link, timeout=10)
    assert redirect.value.code == 302
    assert redirect.value.headers["Location"] == (
        sim.base + "/#/notify?msg=email_confirmed&to=%2Flogin"
    )

    # Confirmed now: the CLI still reports success, and no second email is sent.
    result = cli.run("account:confirmation:resend", "--email=%s" % email)
    assert result.returncode == 0, output(result)
    assert CONFIRMATION_SENT in output(result)
    assert len(sim.outbox(email)) == 1


def test_confirmation_resend_for_an_unknown_email_looks_the_same(sim, cli):
    email = "cli.nobody-confirm@example.com"
    result = cli.run("account:confirmation:resend", "--email=%s" % email)
    assert result.returncode == 0, output(result)
    assert CONFIRMATION_SENT in output(result)
    assert sim.outbox(email) == []


if __name__ == "__main__":
    sys.exit(pytest.main([__file__, "-v"]))


def test_signup_free_tier_then_login(sim, cli, tmp_path):
    email = "cli.signup@example.com"
    password = "signup pass:w%rd"
    # code (added by the helper), password, no promo, tier 1 = FREE, proceed.
    returncode, out = cli.signup(sim, email, [password, "", "1", "y"])
    assert returncode == 0, out
    assert "You are about to signup for the FREE tier." in out
    assert "Welcome to Gigalixir!" in out
    link = sim.outbox(email)[0]["links"][0]
    assert link.startswith(sim.base + "/#/signup?uuid="), link

    # The CLI saved the new key; a fresh login with the chosen password works.
    login, key = cli.trust_loopback_netrc()
    assert login == email
    other = tmp_path / "login-after-signup"
    other.mkdir()
    again = Cli(sim, other)
    result = again.run("login", "-e", email, "-p", password, "-y")
    assert result.returncode == 0, output(result)
    assert "Logged in as %s" % email in output(result)
    assert again.trust_loopback_netrc() == (email, key)
    result = cli.run("account")
    assert result.returncode == 0, output(result)
    assert "FREE" in result.stdout


def test_signup_with_an_existing_email_cannot_get_a_code(sim, cli):
    email = "cli.signup-taken@example.com"
    sim.create_account(email=email, password="already-here")
    status, text = sim.request("POST", "/api/signup", {"email": email})
    assert status == 200, text
    assert sim.outbox(email)[0]["subject"] == "Someone tried to sign up with your Gigalixir email"


def card_answers(number):
    """Answers to the CLI's card prompts: number, CVV, month, year (three years ahead)."""
    return [number, "123", "12", str(time.gmtime().tm_year + 3)]


def test_signup_standard_tier_with_a_card(sim, cli):
    email = "cli.signup-standard@example.com"
    # password, no promo, tier 2 = STANDARD, the card (tokenised by the simulator's Stripe
    # stand-in), proceed.
    answers = ["standard-password", "", "2", *card_answers("4242 4242 4242 4242"), "y"]
    returncode, out = cli.signup(sim, email, answers)
    assert returncode == 0, out
    assert "You are about to signup for the STANDARD tier." in out
    assert "Welcome to Gigalixir!" in out
    login, _ = cli.trust_loopback_netrc()
    assert login == email
    result = cli.run("account")
    assert result.returncode == 0, output(result)
    assert "STANDARD" in result.stdout
    # The card typed at sign-up is the one on file.
    card = json.loads(cli.run("account:payment_method").stdout)
    assert (card["brand"], card["last4"], card["exp_month"]) == ("Visa", 4242, 12)


def test_signup_with_the_declined_test_card_is_refused(sim, cli):
    email = "cli.signup-declined@example.com"
    answers = ["declined-password", "", "2", *card_answers("4000000000000002")]
    # The card tokenises, the API declines the token, and the CLI asks for another card;
    # stdin then runs out, so the sign-up ends without an account.
    returncode, out = cli.signup(sim, email, answers)
    assert returncode != 0, out
    assert "Your card was declined." in out
    assert out.count("Enter credit card number") == 2, out
    assert "Welcome to Gigalixir!" not in out
    assert not os.path.exists(os.path.join(cli.home, ".netrc"))
    status, _ = sim.request("POST", "/__sim/accounts", {"email": email, "password": "x"})
    assert status == 201


def oauth_session_of(url):
    query = urllib.parse.urlsplit(url).query
    return urllib.parse.parse_qs(query)["session"][0]


def test_login_google_through_the_consent_page(sim, cli):
    proc, url, _ = cli.start_oauth("login:google")
    assert url.startswith(sim.base + "/__sim/google/consent?session="), url

    # What a person does in the browser: the page offers the demo address; press Continue.
    with _OPENER.open(url, timeout=10) as resp:
        page = resp.read().decode()
    assert "Gigalixir wants to access your Google account" in page
    assert 'value="demo@example.com"' in page
    form = urllib.parse.urlencode(
        {"session": oauth_session_of(url), "email": "demo@example.com", "action": "continue"}
    ).encode()
    with _OPENER.open(sim.base + "/__sim/google/consent", data=form, timeout=10) as resp:
        assert resp.status == 200
        assert "<h1>Done</h1>" in resp.read().decode()

    out = cli.finish(proc)
    assert proc.returncode == 0, out
    assert "Logged in as demo@example.com" in out
    login, key = cli.trust_loopback_netrc()
    assert login == "demo@example.com"
    result = cli.run("account")
    assert result.returncode == 0, output(result)
    assert "demo@example.com" in result.stdout


def test_login_google_cancelled_is_access_denied(sim, cli):
    proc, url, _ = cli.start_oauth("login:google")
    status, text = sim.request(
        "POST", "/__sim/oauth/complete", {"session": oauth_session_of(url), "cancel": True}
    )
    assert status == 200, text
    out = cli.finish(proc)
    assert proc.returncode != 0, out
    assert "access denied" in out
    assert "Logged in" not in out
    assert not os.path.exists(os.path.join(cli.home, ".netrc"))


def test_signup_google_free_tier(sim, cli):
    email = "cli.google-signup@example.com"
    proc, url, before = cli.start_oauth("signup:google")
    assert "Welcome, let's get you started!" in before
    assert url.startswith(sim.base + "/__sim/google/consent?session="), url
    status, text = sim.request(
        "POST", "/__sim/oauth/complete", {"session": oauth_session_of(url), "email": email}
    )
    assert status == 200, text
    # No code and no password: promo (skip), tier 1 = FREE, proceed.
    out = cli.finish(proc, ["", "1", "y"])
    assert proc.returncode == 0, out
    assert "Thank you for your trust in us." in out
    assert "You are about to signup for the FREE tier." in out
    assert "Email: %s" % email in out
    assert "Welcome to Gigalixir!" in out
    assert "Password" not in out and "Confirmation code" not in out
    login, _ = cli.trust_loopback_netrc()
    assert login == email
    result = cli.run("account")
    assert result.returncode == 0, output(result)
    assert email in result.stdout
    assert "FREE" in result.stdout
    assert sim.outbox(email) == []


def test_signup_google_with_an_existing_account_is_refused(sim, cli):
    proc, url, _ = cli.start_oauth("signup:google")
    status, text = sim.request(
        "POST",
        "/__sim/oauth/complete",
        {"session": oauth_session_of(url), "email": "demo@example.com"},
    )
    assert status == 200, text
    out = cli.finish(proc)
    assert proc.returncode != 0, out
    assert "This Google address already has a Gigalixir account. Sign in instead." in out
    assert "Welcome to Gigalixir!" not in out


# MFA management (A13-A16). The CLI prints the server's message and a QR code of the
# provisioning URL, never the URL itself; the simulator's message spells out the key.
MFA_TOKEN_PROMPT = "Multi-factor Authentication Token"
RECOVERY_CODE = re.compile(r'"([a-z0-9]{5}-[a-z0-9]{5})"')


def key_from_start_message(out):
    """The base32 key that A13's message spells out in groups of four."""
    found = re.search(r"type in this key: ([A-Z2-7 ]+)\.", out)
    assert found, "no key in %r" % out
    return found.group(1).replace(" ", "")


def qr_as_printed(data):
    """What the CLI's `qr.print_tty()` writes for `data`, with the CLI's QR settings."""
    import qrcode

    class Tty(io.StringIO):
        def isatty(self):
            return True

    qr = qrcode.QRCode(
        version=1, error_correction=qrcode.constants.ERROR_CORRECT_L, box_size=10, border=4
    )
    qr.add_data(data)
    qr.make(fit=True)
    out = Tty()
    qr.print_tty(out=out)
    return out.getvalue()


def signed_in_account(sim, cli, email, password, **fields):
    """Creates an account and logs the CLI in to it (with a TOTP code when MFA is on)."""
    account = sim.create_account(email=email, password=password, **fields)
    args = ["login", "-e", email, "-p", password, "-y"]
    if account["totp_secret"]:
        args += ["-t", totp(account["totp_secret"])]
    result = cli.run(*args)
    assert result.returncode == 0, output(result)
    cli.trust_loopback_netrc()
    return account


def test_mfa_activate_shows_a_qr_code_then_signs_the_cli_out(sim, cli):
    email = "cli.mfa+activate@example.com"
    password = "pw-activate"
    account = signed_in_account(sim, cli, email, password)
    typed = {}

    def type_code(out):
        typed["secret"] = key_from_start_message(out)
        typed["code"] = totp(typed["secret"])
        return typed["code"]

    returncode, out = cli.run_tty(
        ["account:mfa:activate"],
        [(MFA_TOKEN_PROMPT, type_code), ("Are you ready to save your recovery codes?", lambda _: "y")],
    )
    assert returncode == 0, out
    secret = typed["secret"]
    assert len(secret) == 32
    assert out.startswith("Scan the QR code"), out
    # The QR code on the terminal is exactly the standard Key URI for this key.
    url = (
        "otpauth://totp/Gigalixir:%s?secret=%s&issuer=Gigalixir&algorithm=SHA1&digits=6&period=30"
        % (urllib.parse.quote(email, safe=""), secret)
    )
    assert qr_as_printed(url).replace("\r\n", "\n") in out
    assert "Two-factor authentication is on." in out
    codes = RECOVERY_CODE.findall(out)
    assert len(codes) == 10 and len(set(codes)) == 10, out

    # Activation revoked the key the CLI keeps in netrc; the CLI does not know that.
    result = cli.run("account")
    assert result.returncode != 0
    assert "Sorry, you do not have access" in output(result)

    # Logging in again now asks for a code. The activation code cannot be replayed: the CLI
    # asks again, and the next step's code gets in.
    returncode, out = cli.run_tty(
        ["login", "-e", email, "-p", password, "-y"],
        [
            (MFA_TOKEN_PROMPT, lambda _: typed["code"]),
            (MFA_TOKEN_PROMPT, lambda _: totp(secret, at=time.time() + 30)),
        ],
    )
    assert returncode == 0, out
    assert out.count(MFA_TOKEN_PROMPT) == 2, out
    assert "Logged in as %s" % email in out
    _, key = cli.trust_loopback_netrc()
    assert key != account["api_key"]
    result = cli.run("account")
    assert result.returncode == 0, output(result)
    assert '"mfa_enabled": true' in result.stdout

    # A recovery code from activation works as a login code.
    result = cli.run("login", "-e", email, "-p", password, "-t", codes[0], "-y")
    assert result.returncode == 0, output(result)
    assert "Logged in as %s" % email in output(result)

    # Already on: a second activation is refused with the API's message.
    returncode, out = cli.run_tty(["account:mfa:activate"], [])
    assert returncode != 0
    assert "Two-factor authentication is already on." in out
    assert MFA_TOKEN_PROMPT not in out


def test_mfa_activate_with_a_wrong_code_keeps_mfa_off(sim, cli):
    email = "cli.mfa-wrong@example.com"
    signed_in(sim, cli, email, "pw-wrong-code")

    def wrong_code(out):
        secret = key_from_start_message(out)
        valid = {totp(secret, at=time.time() + d) for d in (-60, -30, 0, 30, 60)}
        return next(c for c in ("123456", "654321", "111111") if c not in valid)

    returncode, out = cli.run_tty(["account:mfa:activate", "-y"], [(MFA_TOKEN_PROMPT, wrong_code)])
    assert returncode != 0
    assert '{"errors":{"mfa_token":["is incorrect"]}}' in out
    assert "Two-factor authentication is on." not in out

    # The key still works and MFA is still off.
    result = cli.run("account")
    assert result.returncode == 0, output(result)
    assert '"mfa_enabled": false' in result.stdout


def test_mfa_recovery_codes_regenerate_replaces_the_set(sim, cli, tmp_path):
    email = "cli.mfa-regen@example.com"
    password = "pw-regen"
    account = signed_in_account(sim, cli, email, password, mfa=True)
    old = account["recovery_codes"]

    result = cli.run("account:mfa:recovery_codes:regenerate", "-y")
    assert result.returncode == 0, output(result)
    new = RECOVERY_CODE.findall(result.stdout)
    assert len(new) == 10 and not set(new) & set(old), result.stdout

    other = tmp_path / "regen-login"
    other.mkdir()
    again = Cli(sim, other)
    result = again.run("login", "-e", email, "-p", password, "-t", old[0], "-y")
    assert result.returncode != 0
    assert MFA_TOKEN_PROMPT in output(result)
    assert "Logged in" not in output(result)
    result = again.run("login", "-e", email, "-p", password, "-t", new[0], "-y")
    assert result.returncode == 0, output(result)
    assert "Logged in as %s" % email in output(result)


def test_mfa_deactivate_asks_first_then_turns_mfa_off(sim, cli, tmp_path):
    email = "cli.mfa-off@example.com"
    password = "pw-deactivate"
    account = signed_in_account(sim, cli, email, password, mfa=True)

    # Without -y the CLI asks; with no answer it stops, and MFA stays on.
    result = cli.run("account:mfa:deactivate")
    assert result.returncode != 0
    assert "Are you sure you want to deactivate multi-factor authentication?" in output(result)
    assert "Two-factor authentication is off." not in output(result)
    result = cli.run("account")
    assert '"mfa_enabled": true' in result.stdout

    result = cli.run("account:mfa:deactivate", "-y")
    assert result.returncode == 0, output(result)
    assert "Two-factor authentication is off." in result.stdout

    # The key survives, and logging in no longer asks for a code.
    result = cli.run("account")
    assert result.returncode == 0, output(result)
    assert '"mfa_enabled": false' in result.stdout
    other = tmp_path / "login-without-mfa"
    other.mkdir()
    result = Cli(sim, other).run("login", "-e", email, "-p", password, "-y")
    assert result.returncode == 0, output(result)
    assert "Logged in as %s" % email in output(result)
    assert MFA_TOKEN_PROMPT not in output(result)

    # Off already: deactivating again answers the same; recovery codes are gone.
    result = cli.run("account:mfa:deactivate", "-y")
    assert result.returncode == 0, output(result)
    assert "Two-factor authentication is off." in result.stdout
    result = cli.run("account:mfa:recovery_codes:regenerate", "-y")
    assert result.returncode != 0
    assert '{"errors":{"":["Two-factor authentication is off."]}}' in output(result)
    assert account["recovery_codes"][0] not in output(result)


# Account settings, billing, apps and SSH keys (A6, A10-A12, A17-A24, SSH keys).

NO_ACCESS = "Sorry, you do not have access"


def set_loopback_netrc(cli, login, key):
    """Points the `machine 127.0.0.1` entry (the one requests uses here) at `login`/`key`,
    written the way the CLI writes netrc."""
    path = os.path.join(cli.home, ".netrc")
    parsed = netrc.netrc(path)
    parsed.hosts["127.0.0.1"] = (login, None, key)
    with open(path, "w", encoding="utf-8") as f:
        for host in sorted(parsed.hosts):
            entry_login, _, password = parsed.hosts[host]
            f.write("machine %s\n\tlogin %s\n\tpassword %s\n" % (host, entry_login, password))


def netrc_entry(cli, host):
    login, _, password = netrc.netrc(os.path.join(cli.home, ".netrc")).authenticators(host)
    return login, password


def signed_in(sim, cli, email, password="cli-password", create=True, **fields):
    """Creates an account (unless `create` is false: a seeded one) and logs the CLI in."""
    if create:
        sim.create_account(email=email, password=password, **fields)
    result = cli.run("login", "-e", email, "-p", password, "-y")
    assert result.returncode == 0, output(result)
    return cli.trust_loopback_netrc()


def cli_json(result):
    """The JSON the CLI pretty-printed (it colours it only on a terminal)."""
    assert result.returncode == 0, output(result)
    return json.loads(result.stdout)


def test_password_change(sim, cli, tmp_path):
    email = "cli.passwd@example.com"
    signed_in(sim, cli, email, "old-password", tier="STANDARD")
    result = cli.run("account:password:change", "-p", "wrong-password", "-n", "next-password")
    assert result.returncode != 0
    assert "is incorrect" in output(result)
    assert NO_ACCESS not in output(result)

    result = cli.run("account:password:change", "-p", "old-password", "-n", "next-password")
    assert cli_json(result) == {"message": "Password changed."}
    # The key is kept: the same CLI carries on.
    assert email in cli.run("account").stdout
    other = tmp_path / "after-change"
    other.mkdir()
    again = Cli(sim, other)
    assert again.run("login", "-e", email, "-p", "next-password", "-y").returncode == 0
    result = again.run("login", "-e", email, "-p", "old-password", "-y")
    assert "could not authenticate" in output(result)

    result = cli.run("account:password:change", "-p", "next-password", "-n", "short")
    assert result.returncode != 0
    assert "should be at least 8 characters" in output(result)


def test_email_change_then_confirm_link(sim, cli):
    email = "cli.email-old@example.com"
    next_email = "cli.email-new@example.com"
    _, key = signed_in(sim, cli, email)
    result = cli.run("account:email:set", "-p", "cli-password", "-e", next_email)
    assert result.returncode == 0, output(result)
    assert "Confirmation email sent. Please check your email to continue." in output(result)
    assert cli_json(cli.run("account"))["next_email"] == next_email

    [confirm] = sim.outbox(next_email)[0]["links"]
    assert confirm.startswith(sim.base + "/api/users/email/confirm?token="), confirm
    [revoke] = sim.outbox(email)[0]["links"]
    assert revoke.startswith(sim.base + "/api/users/email/revoke?token="), revoke
    with pytest.raises(urllib.error.HTTPError) as redirect:
        _NO_REDIRECT_OPENER.open(confirm, timeout=10)
    assert redirect.value.code == 302
    assert redirect.value.headers["Location"] == (
        sim.base + "/#/notify?msg=email_changed&to=%2Faccount"
    )

    # The old address with the key no longer signs in; the new one with the same key does.
    result = cli.run("account")
    assert result.returncode != 0
    assert NO_ACCESS in output(result)
    set_loopback_netrc(cli, next_email, key)
    data = cli_json(cli.run("account"))
    assert data["email"] == next_email
    assert "next_email" not in data


def test_email_change_refusals(sim, cli):
    email = "cli.email-refused@example.com"
    signed_in(sim, cli, email)
    sim.create_account(email="cli.email-taken@example.com", password="taken-password")
    for args, message in [
        (["-p", "cli-password", "-e", "cli.email-taken@example.com"], "has already been taken"),
        (["-p", "wrong-password", "-e", "cli.email-free@example.com"], "is incorrect"),
        (["-p", "cli-password", "-e", "not-an-address"], "is not a valid email address"),
    ]:
        result = cli.run("account:email:set", *args)
        assert result.returncode != 0, args
        assert message in output(result), output(result)
        assert NO_ACCESS not in output(result)
    assert sim.outbox(email) == []


def test_api_key_reset(sim, cli):
    email = "cli.keyreset@example.com"
    _, old_key = signed_in(sim, cli, email)
    result = cli.run("account:api_key:reset", "-p", "wrong-password", "-y")
    assert result.returncode != 0
    assert "is incorrect" in output(result)
    assert NO_ACCESS not in output(result)
    assert netrc_entry(cli, "api.gigalixir.com") == (email, old_key)

    result = cli.run("account:api_key:reset", "-p", "cli-password", "-y")
    assert result.returncode == 0, output(result)
    login, new_key = netrc_entry(cli, "api.gigalixir.com")
    assert login == email
    assert new_key != old_key
    assert netrc_entry(cli, "git.gigalixir.com") == (email, new_key)
    # The old key died at once.
    result = cli.run("account")
    assert result.returncode != 0
    assert NO_ACCESS in output(result)
    set_loopback_netrc(cli, email, new_key)
    assert cli_json(cli.run("account"))["email"] == email


def test_payment_method_shown_or_absent(sim, cli, tmp_path):
    signed_in(sim, cli, "cli.card@example.com", tier="STANDARD", card=True)
    data = cli_json(cli.run("account:payment_method"))
    assert data["brand"] == "Visa"
    assert data["last4"] == 4242
    assert data["exp_month"] == 12

    other = tmp_path / "no-card"
    other.mkdir()
    no_card = Cli(sim, other)
    signed_in(sim, no_card, "nocard@example.com", "nocard-password", create=False)
    result = no_card.run("account:payment_method")
    assert result.returncode == 0, output(result)
    assert "No payment method found." in output(result)


def test_invoices_and_usage_of_the_demo_account(sim, cli):
    signed_in(sim, cli, "demo@example.com", "demo-password", create=False)
    invoices = cli_json(cli.run("account:invoices"))
    assert [(i["period_start"], i["amount_cents"], i["paid"]) for i in invoices] == [
        ("2026-10-01T00:00:00Z", 1234, False),
        ("2026-09-01T00:00:00Z", 2650, True),
        ("2026-08-01T00:00:00Z", 2400, True),
    ]
    assert invoices[0]["pdf"] is None
    assert invoices[1]["pdf"].startswith(sim.base + "/__sim/invoices/")
    usage = cli_json(cli.run("account:usage"))
    assert usage == [
        {"app": "demo-app", "amount_cents": 523},
        {"app": "demo-worker", "amount_cents": 118},
    ]


def test_apps_list_and_destroy(sim, cli):
    signed_in(sim, cli, "cli.apps@example.com", tier="STANDARD",
              apps=["cli-app-one", "cli-app-two"])
    apps = cli_json(cli.run("apps"))
    assert [a["unique_name"] for a in apps] == ["cli-app-one", "cli-app-two"]
    assert apps[0]["size"] == 0.5
    assert apps[0]["replicas"] == 1

    # Without -y the CLI asks first; with nothing typed it deletes nothing.
    result = cli.run("apps:destroy", "-a", "cli-app-one")
    assert result.returncode != 0
    assert "Do you want to delete your app (cli-app-one)?" in output(result)
    assert len(cli_json(cli.run("apps"))) == 2

    result = cli.run("apps:destroy", "-a", "cli-app-one", "-y")
    assert cli_json(result) == "deleted"
    assert [a["unique_name"] for a in cli_json(cli.run("apps"))] == ["cli-app-two"]
    result = cli.run("apps:destroy", "-a", "cli-app-one", "-y")
    assert result.returncode != 0
    assert "does not exist" in output(result)
    # Another account's app is out of reach.
    result = cli.run("apps:destroy", "-a", "demo-app", "-y")
    assert result.returncode != 0
    assert "does not exist" in output(result)


LAPTOP_KEY = ("ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAINitJF5zecPIDJZDKGAyA6lZ52HCp/Uu1z4VXNnmyeQS "
              "me@laptop")


def test_ssh_keys_list_add_remove(sim, cli):
    signed_in(sim, cli, "cli.keys@example.com")
    assert cli_json(cli.run("account:ssh_keys")) == []

    result = cli.run("account:ssh_keys:add", LAPTOP_KEY)
    assert result.returncode == 0, output(result)
    assert "Please allow a few minutes for the SSH key to propagate" in output(result)
    [key] = cli_json(cli.run("account:ssh_keys"))
    assert key["key"] == LAPTOP_KEY
    assert key["fingerprint"] == "SHA256:PhIwNh++rrtf98IliOpctT1oDDMiLGPkAokHKZlVm4I"

    for bad, message in [
        (LAPTOP_KEY, "has already been added"),
        ("~/.ssh/id_ed25519.pub", "is not a supported public key"),
        ("ssh-ed25519 AAAAC3NzaC1yc2E", "is not a valid SSH public key"),
    ]:
        result = cli.run("account:ssh_keys:add", bad)
        assert result.returncode != 0, bad
        assert message in output(result), output(result)

    result = cli.run("account:ssh_keys:remove", str(key["id"]))
    assert result.returncode == 0, output(result)
    assert cli_json(cli.run("account:ssh_keys")) == []
    result = cli.run("account:ssh_keys:remove", str(key["id"]))
    assert result.returncode != 0
    assert "does not exist" in output(result)


def test_demo_has_a_seeded_ssh_key(sim, cli):
    signed_in(sim, cli, "demo@example.com", "demo-password", create=False)
    [key] = cli_json(cli.run("account:ssh_keys"))
    assert key["key"].startswith("ssh-ed25519 AAAAC3NzaC1lZDI1NTE5")
    assert key["key"].endswith(" demo@example.com")


APPS_REMAIN = ("You must first destroy all apps and databases. Scale each app to 0, remove its "
               "domains, delete its databases, then destroy it.")


def test_stopping_all_charges_step_by_step(sim, cli):
    """The documented procedure: scale each app to 0, remove its domains, delete its
    databases, destroy it; the run rate follows each step."""
    signed_in(sim, cli, "cli.charges@example.com", tier="STANDARD", apps=["cli-paid-app"],
              addons=True)
    # 0.5 x 1 at $50 a size-period, and a Standard 0.6 database at $40.
    assert cli_json(cli.run("account:usage:running")) == {"amount_cents": 2500 + 2400}
    info = cli_json(cli.run("apps:info", "-a", "cli-paid-app"))
    assert (info["unique_name"], info["replicas"], info["size"]) == ("cli-paid-app", 1, 0.5)

    scaled = cli_json(cli.run("ps:scale", "-a", "cli-paid-app", "--replicas", "0"))
    assert scaled["replicas"] == 0
    assert cli_json(cli.run("account:usage:running")) == {"amount_cents": 2400}
    result = cli.run("ps:scale", "-a", "cli-paid-app", "--replicas", "17")
    assert result.returncode != 0
    assert "must be between 0 and 16" in output(result)

    assert cli_json(cli.run("domains", "-a", "cli-paid-app")) == ["www.cli-paid-app.example.com"]
    result = cli.run("domains:remove", "-a", "cli-paid-app", "www.cli-paid-app.example.com")
    assert result.returncode == 0, output(result)
    assert cli_json(cli.run("domains", "-a", "cli-paid-app")) == []

    [database] = cli_json(cli.run("pg", "-a", "cli-paid-app"))
    assert database["state"] == "AVAILABLE"
    assert database["url"].startswith("postgresql://")
    result = cli.run("pg:destroy", "-a", "cli-paid-app", "-d", database["id"], "-y")
    assert result.returncode == 0, output(result)
    assert "This can not be undone." in output(result)
    assert cli_json(cli.run("pg", "-a", "cli-paid-app")) == []
    assert cli_json(cli.run("account:usage:running")) == {"amount_cents": 0}
    result = cli.run("pg:destroy", "-a", "cli-paid-app", "-d", database["id"], "-y")
    assert result.returncode != 0
    assert "does not exist" in output(result)

    # While the app remains, the account cannot be deleted; the CLI prints the API's words.
    result = cli.run("account:destroy", "-y", "-e", "cli.charges@example.com", "-p", "cli-password")
    assert result.returncode != 0
    assert APPS_REMAIN in output(result)
    assert cli_json(cli.run("apps:destroy", "-a", "cli-paid-app", "-y")) == "deleted"
    result = cli.run("account:destroy", "-y", "-e", "cli.charges@example.com", "-p", "cli-password")
    assert result.returncode == 0, output(result)
    assert "Account destroyed." in output(result)


def test_account_destroy(sim, cli):
    email = "cli.destroy@example.com"
    signed_in(sim, cli, email)
    # Without -y the CLI asks first; with nothing typed it deletes nothing.
    result = cli.run("account:destroy", "-e", email, "-p", "cli-password")
    assert result.returncode != 0
    assert "Are you sure you want to delete your account (%s)?" % email in output(result)
    for args, message in [
        (["-e", email, "-p", "wrong-password"], "is incorrect"),
        (["-e", "someone.else@example.com", "-p", "cli-password"], "does not match your account"),
    ]:
        result = cli.run("account:destroy", "-y", *args)
        assert result.returncode != 0, args
        assert message in output(result), output(result)
    assert cli_json(cli.run("account"))["email"] == email

    result = cli.run("account:destroy", "-y", "-e", email, "-p", "cli-password")
    assert result.returncode == 0, output(result)
    assert "Account destroyed." in output(result)
    result = cli.run("account")
    assert result.returncode != 0
    assert NO_ACCESS in output(result)


def card_flags(number, month="7", year=None):
    year = str(time.gmtime().tm_year + 3) if year is None else year
    return ["--card_number", number, "--card_exp_month", month, "--card_exp_year", year,
            "--card_cvc", "123"]


def test_payment_method_set_through_the_stripe_stand_in(sim, cli):
    signed_in(sim, cli, "cli.card-set@example.com", tier="STANDARD", card=True)
    result = cli.run("account:payment_method:set", *card_flags("5555555555554444"))
    assert result.returncode == 0, output(result)
    assert cli_json(cli.run("account:payment_method")) == {
        "brand": "MasterCard", "last4": 4444, "exp_month": 7,
        "exp_year": time.gmtime().tm_year + 3,
    }

    # Declined by the API (Stripe's decline test card), refused by Stripe (bad number).
    for number, message in [
        ("4000000000000002", "Your card was declined."),
        ("4242424242424241", "Your card number is incorrect."),
    ]:
        result = cli.run("account:payment_method:set", *card_flags(number))
        assert result.returncode != 0, number
        assert message in output(result), output(result)
    assert cli_json(cli.run("account:payment_method"))["last4"] == 4444


def test_upgrade_through_the_stripe_stand_in(sim, cli):
    email = "cli.upgrade@example.com"
    signed_in(sim, cli, email)
    assert cli_json(cli.run("account"))["tier"] == "FREE"
    for extra, message in [
        (["--promo_code", "nope"], "is not a valid promo code"),
        ([], "Your card was declined."),
    ]:
        number = "4000000000000002" if not extra else "4242424242424242"
        result = cli.run("account:upgrade", *card_flags(number), *extra)
        assert result.returncode != 0, extra
        assert message in output(result), output(result)
    assert cli_json(cli.run("account"))["tier"] == "FREE"

    # The CLI upper-cases the promo code.
    result = cli.run("account:upgrade", *card_flags("4242424242424242", "12"),
                     "--promo_code", "welcome10")
    assert result.returncode == 0, output(result)
    assert "Account upgraded." in output(result)
    data = cli_json(cli.run("account"))
    assert (data["tier"], data["credit_cents"]) == ("STANDARD", 1000)
    card = cli_json(cli.run("account:payment_method"))
    assert (card["brand"], card["last4"], card["exp_month"]) == ("Visa", 4242, 12)

    result = cli.run("account:upgrade", *card_flags("4242424242424242"))
    assert result.returncode != 0
    assert "already on the Standard tier" in output(result)

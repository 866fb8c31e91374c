"""Test-only start-up hook for the official gigalixir CLI (put this directory on PYTHONPATH).

It keeps every request on loopback:
- wraps ``rollbar.init`` so error reports are never enabled (the CLI enables them in env prod);
- points ``stripe.api_base`` at ``$GX_STRIPE_API_BASE`` when set (card commands call Stripe);
- with ``GX_LOOPBACK_ONLY=1``, refuses any name lookup or connection that is not loopback and
  appends the refused target to ``$GX_BLOCKED_LOG`` so the test can fail on it.
"""

import os
import socket

_LOOPBACK_NAMES = {"localhost", "127.0.0.1", "::1", "ip6-localhost"}


def _is_loopback(host):
    if isinstance(host, bytes):
        host = host.decode("ascii", "replace")
    host = str(host).strip("[]").lower()
    return host in _LOOPBACK_NAMES or host.startswith("127.") or host == "0:0:0:0:0:0:0:1"


def _refuse(host):
    log = os.environ.get("GX_BLOCKED_LOG")
    if log:
        with open(log, "a", encoding="utf-8") as f:
            f.write("%s\n" % (host,))
    raise OSError("CLI test harness: blocked a non-loopback connection to %r" % (host,))


if os.environ.get("GX_LOOPBACK_ONLY") == "1":
    _getaddrinfo = socket.getaddrinfo
    _connect = socket.socket.connect
    _connect_ex = socket.socket.connect_ex

    def getaddrinfo(host, *args, **kwargs):
        if host is not None and not _is_loopback(host):
            _refuse(host)
        return _getaddrinfo(host, *args, **kwargs)

    def _check_address(sock, address):
        if sock.family in (socket.AF_INET, socket.AF_INET6) and not _is_loopback(address[0]):
            _refuse(address[0])

    def connect(self, address):
        _check_address(self, address)
        return _connect(self, address)

    def connect_ex(self, address):
        _check_address(self, address)
        return _connect_ex(self, address)

    socket.getaddrinfo = getaddrinfo
    socket.socket.connect = connect
    socket.socket.connect_ex = connect_ex

try:
    import rollbar

    _rollbar_init = rollbar.init

    def _init_disabled(*args, **kwargs):
        kwargs["enabled"] = False
        return _rollbar_init(*args, **kwargs)

    rollbar.init = _init_disabled
except ImportError:
    pass

_stripe_base = os.environ.get("GX_STRIPE_API_BASE")
if _stripe_base:
    try:
        import stripe

        stripe.api_base = _stripe_base
    except ImportError:
        pass

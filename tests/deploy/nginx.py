#!/usr/bin/env python3
"""Serves a console build through the README's nginx recipe (docs/nginx.conf) with Debian's
nginx and checks what a browser gets against dist/_headers, the rules the build writes for
Netlify and Cloudflare Pages:

- `/`, `/index.html` and typed routes (`/login`) get the document with every security header,
  `frame-ancestors 'none'` in the CSP header and `Cache-Control: no-store`;
- content-hashed files are immutable, `config.json` and `es.txt` revalidated, each with its
  right content type; a missing file is a 404, not the document.

Usage: tests/deploy/nginx.py [DIST]   (default dist/, after a build)
"""
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
DIST = os.path.abspath(sys.argv[1] if len(sys.argv) > 1 else os.path.join(ROOT, "dist"))
NGINX = shutil.which("nginx") or "/usr/sbin/nginx"


def read_rules():
    """dist/_headers as {path: {header name (lower case): value}}."""
    rules, current = {}, None
    for line in open(os.path.join(DIST, "_headers"), encoding="utf-8"):
        if not line.strip():
            continue
        if not line.startswith(" "):
            current = rules.setdefault(line.strip(), {})
        else:
            name, value = line.strip().split(":", 1)
            current[name.strip().lower()] = value.strip()
    return rules


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start(tmp, port):
    conf = os.path.join(tmp, "nginx.conf")
    user = "user root;\n" if os.geteuid() == 0 else ""
    temp_paths = "".join(
        "  %s_temp_path %s;\n" % (kind, os.path.join(tmp, kind))
        for kind in ["client_body", "proxy", "fastcgi", "uwsgi", "scgi"]
    )
    open(conf, "w").write(
        "%sworker_processes 1;\npid %s/nginx.pid;\nerror_log %s/error.log;\ndaemon off;\n"
        "events {}\nhttp {\n  include /etc/nginx/mime.types;\n  access_log off;\n%s"
        "  server {\n    listen 127.0.0.1:%d;\n    root %s;\n    include %s;\n  }\n}\n"
        % (user, tmp, tmp, temp_paths, port, DIST, os.path.join(ROOT, "docs", "nginx.conf"))
    )
    check = subprocess.run([NGINX, "-t", "-p", tmp, "-c", conf], capture_output=True, text=True)
    if check.returncode != 0:
        sys.exit("nginx.py: the recipe does not load:\n" + check.stderr)
    proc = subprocess.Popen([NGINX, "-p", tmp, "-c", conf])
    for _ in range(100):
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.1).close()
            return proc
        except OSError:
            time.sleep(0.05)
    proc.kill()
    sys.exit("nginx.py: nginx did not start; see %s/error.log" % tmp)


def get(port, path):
    try:
        with urllib.request.urlopen("http://127.0.0.1:%d%s" % (port, path)) as r:
            return r.status, {k.lower(): v for k, v in r.headers.items()}, r.read()
    except urllib.error.HTTPError as e:
        return e.code, {k.lower(): v for k, v in e.headers.items()}, e.read()


def main():
    if not os.path.exists(os.path.join(DIST, "_headers")):
        sys.exit("nginx.py: %s has no _headers: build the console first" % DIST)
    rules = read_rules()
    index = open(os.path.join(DIST, "index.html"), "rb").read()
    failures = []

    def expect(path, status, rule, content_type, body=None):
        got_status, headers, got_body = get(port, path)
        problems = []
        if got_status != status:
            problems.append("status %d, not %d" % (got_status, status))
        for name, value in rules.get(rule, {}).items():
            have = headers.get(name)
            if name == "content-security-policy":
                # The meta tag carries the policy; the header adds what only a header can.
                if not have or "frame-ancestors 'none'" not in have:
                    problems.append("CSP header %r lacks frame-ancestors 'none'" % have)
            elif have != value:
                problems.append("%s: %r, not %r" % (name, have, value))
        if content_type and not headers.get("content-type", "").startswith(content_type):
            problems.append("content-type %r, not %s" % (headers.get("content-type"), content_type))
        if body is not None and got_body != body:
            problems.append("not the expected body")
        print("%-4s %-52s %s" % ("ok" if not problems else "FAIL", path, "; ".join(problems)))
        failures.extend("%s: %s" % (path, p) for p in problems)

    tmp = tempfile.mkdtemp(prefix="gx-nginx-")
    port = free_port()
    proc = start(tmp, port)
    try:
        for path in ["/", "/index.html", "/login", "/account/billing", "/password/set?token=x"]:
            expect(path, 200, "/", "text/html", index)
        hashed = sorted(n for n in os.listdir(DIST) if re.search(r"-[0-9a-f]{12,16}(_bg)?\.(wasm|js|css)$", n))
        if not hashed:
            failures.append("no content-hashed files in %s" % DIST)
        types = {".wasm": "application/wasm", ".js": "application/javascript", ".css": "text/css"}
        for name in hashed:
            expect("/" + name, 200, "/" + name, types[os.path.splitext(name)[1]])
        expect("/config.json", 200, "/config.json", "application/json")
        expect("/es.txt", 200, "/es.txt", "text/plain")
        expect("/missing-0123456789abcdef.js", 404, None, None)
        expect("/missing.svg", 404, None, None)
    finally:
        proc.terminate()
        proc.wait()
        shutil.rmtree(tmp, ignore_errors=True)
    if failures:
        sys.exit("nginx.py: %d problem(s) with docs/nginx.conf" % len(failures))
    print("nginx.py: docs/nginx.conf serves %s as dist/_headers says" % DIST)


main()

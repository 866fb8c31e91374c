#!/usr/bin/env python3
"""Trunk post-build hook: minifies the JS glue, then writes the Content-Security-Policy.

Trunk's own JS minifier cannot parse wasm-bindgen's `export { … as default }` and ships the
glue as is; terser (from tests/node_modules) halves it, with its own options only. The SRI
hashes of the preload links are recomputed to match the minified files.

The policy names the sha256 of every inline script (Trunk's loader), so no inline script
can run that we did not ship. It also adds the API's origin from public/config.json when
the API is not same-origin, and Stripe's hosts: one document serves every route, and
Stripe.js is injected only on the pages that take a card.
"""
import base64
import hashlib
import json
import os
import re
import subprocess
import sys
from urllib.parse import urlsplit


staging = os.environ.get("TRUNK_STAGING_DIR") or (sys.argv[1] if len(sys.argv) > 1 else "dist")
path = os.path.join(staging, "index.html")
html = open(path, encoding="utf-8").read()

root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
terser = os.path.join(root, "tests", "node_modules", ".bin", "terser")

# Trunk tells hooks which profile it builds; `trunk serve` builds debug, and the dev loop
# needs no minified glue (nor terser installed).
release = os.environ.get("TRUNK_PROFILE", "release") == "release"


def minify_glue():
    """Minifies each glue file; returns the files rewritten."""
    rewritten = []
    for name in sorted(os.listdir(staging)):
        if not name.endswith(".js") or not os.path.exists(os.path.join(staging, name[:-3] + "_bg.wasm")):
            continue
        if not os.path.exists(terser):
            sys.exit("post_build.py: terser is not installed (run .ci/test or .ci/dev once)")
        js_path = os.path.join(staging, name)
        subprocess.run([terser, js_path, "--module", "--compress", "--mangle", "-o", js_path], check=True)
        print("post_build.py: minified %s" % name)
        rewritten.append(name)
    if not rewritten:
        sys.exit("post_build.py: no wasm and glue pair in %s" % staging)
    return rewritten


def with_new_sri(html, rewritten):
    """Trunk wrote SRI hashes for the files as it built them; the browser would refuse the
    rewritten ones."""
    for name in sorted(set(rewritten)):
        digest = base64.b64encode(hashlib.sha384(open(os.path.join(staging, name), "rb").read()).digest()).decode()
        href = r"""href=["']?/?%s["']?""" % re.escape(name)
        sri = r"""sha384-[A-Za-z0-9+/=]+"""
        html, n = re.subn(r"(%s integrity=[\"']?)%s" % (href, sri), r"\g<1>sha384-" + digest, html)
        html, m = re.subn(r"(integrity=[\"']?)%s([\"']? [^>]*%s)" % (sri, href), r"\g<1>sha384-" + digest + r"\g<2>", html)
        if n + m != 1 and (n + m or "integrity=" in html):
            sys.exit("post_build.py: expected one integrity attribute for %s, found %d" % (name, n + m))
    return html


if release:
    html = with_new_sri(html, minify_glue())

hashes = []
for m in re.finditer(r"<script(?![^>]*\bsrc=)[^>]*>(.*?)</script>", html, re.S):
    digest = hashlib.sha256(m.group(1).encode("utf-8")).digest()
    hashes.append("'sha256-%s'" % base64.b64encode(digest).decode())
if not release:
    # `trunk serve` fills its live-reload script's address in as it serves the page, after
    # this hook, so no hash can match it: debug builds allow inline scripts instead. Release
    # builds, which every test and deployment uses, keep the hashes.
    hashes = ["'unsafe-inline'"]

connect = ["'self'", "https://api.stripe.com"]
try:
    api_base = json.load(open(os.path.join(staging, "config.json"))).get("api_base", "")
except (OSError, ValueError):
    api_base = ""
if api_base:
    parts = urlsplit(api_base)
    connect.append("%s://%s" % (parts.scheme, parts.netloc))

policy = "; ".join([
    "default-src 'none'",
    "script-src 'self' 'wasm-unsafe-eval' %s https://js.stripe.com" % " ".join(hashes),
    "style-src 'self'",
    "img-src 'self' data:",
    "connect-src %s" % " ".join(connect),
    "frame-src https://js.stripe.com https://hooks.stripe.com",
    "manifest-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    # Forms are submitted by the app; a native submit would put a password in the URL.
    "form-action 'none'",
])

# The minifier may have dropped the quotes around the placeholder; write them back.
html, count = re.subn(r'content=(?:"CSP_PLACEHOLDER"|CSP_PLACEHOLDER)', 'content="%s"' % policy, html)
if count != 1:
    sys.exit("post_build.py: expected one CSP placeholder in %s, found %d" % (path, count))
open(path, "w", encoding="utf-8").write(html)
print("post_build.py: CSP written with %d inline script hash(es)" % len(hashes))

# Spanish ships as its strings alone, one per line in field order (messages.rs reads them so):
# the keys and comments of public/es.txt are for translators and the order test.
es_path = os.path.join(staging, "es.txt")
es_lines = []
for line in open(es_path, encoding="utf-8").read().splitlines():
    if line and not line.startswith("#"):
        if " = " not in line:
            sys.exit("post_build.py: es.txt line without ' = ': %r" % line)
        es_lines.append(line.split(" = ", 1)[1])
open(es_path, "w", encoding="utf-8").write("\n".join(es_lines) + "\n")
print("post_build.py: es.txt reduced to its %d strings" % len(es_lines))

# Deployment headers in the `_headers` format that Netlify and Cloudflare Pages read (and
# never serve). The policy is the meta tag's plus what only a header can say; the loader's
# hash changes with every build, so the file is written here rather than kept by hand.
# README.md has the same rules for nginx.
security = [
    "Content-Security-Policy: %s; frame-ancestors 'none'" % policy,
    "Referrer-Policy: no-referrer",
    "X-Content-Type-Options: nosniff",
    "Strict-Transport-Security: max-age=63072000; includeSubDomains",
    "Permissions-Policy: camera=(), microphone=(), geolocation=(), usb=()",
]
rules = []
for route in ["/", "/index.html"]:
    rules.append([route] + security + ["Cache-Control: no-store"])
for name in sorted(os.listdir(staging)):
    # Trunk writes the hash in hex without leading zeros: 16 digits, fewer now and then.
    if re.search(r"-[0-9a-f]{12,16}(_bg)?\.(wasm|js|css)$", name):
        rules.append(["/" + name, "X-Content-Type-Options: nosniff",
                      "Cache-Control: public, max-age=31536000, immutable"])
# Not hashed, so revalidated: a deploy that changes them is seen at once.
for name in ["/config.json", "/es.txt"]:
    rules.append([name, "X-Content-Type-Options: nosniff", "Cache-Control: no-cache"])
with open(os.path.join(staging, "_headers"), "w", encoding="utf-8") as out:
    for rule in rules:
        out.write(rule[0] + "\n" + "".join("  %s\n" % h for h in rule[1:]))
print("post_build.py: _headers written (%d rules)" % len(rules))

"""Points the function table's dead entries at one trap, so their code can go.

wasm-opt keeps every function the table names: wasm-bindgen exports the table (the glue
calls closure destructors through it), so any entry might be called. index.html has wasm-opt
remove the exports of wasm-streams' JS-facing classes, which Leptos brings for server
functions and the console never uses; the only code that made closures of their futures went
with those exports, but the closures' shims stay in the table, and with them everything they
call (9 KB of wasm, 2.1 KB after brotli).

`stub` replaces each table entry whose function name matches a pattern with a new function
whose body is `unreachable`, and keeps the name section so that the caller's next wasm-opt
run can check that no function of that name is left (one still there is called from live
code, and the build must fail rather than trap at run time).
"""
import re

from wasm_imports import _enc_uleb, _uleb, imports, sections


def function_names(wasm):
    """{function index: name} from the name section's function names (empty without one)."""
    for sid, body, end in sections(wasm):
        if sid != 0:
            continue
        length, p = _uleb(wasm, body)
        if wasm[p:p + length] != b"name":
            continue
        p += length
        while p < end:
            sub = wasm[p]
            size, q = _uleb(wasm, p + 1)
            if sub == 1:
                count, q = _uleb(wasm, q)
                names = {}
                for _ in range(count):
                    index, q = _uleb(wasm, q)
                    length, q = _uleb(wasm, q)
                    names[index] = wasm[q:q + length].decode("utf-8", "replace")
                    q += length
                return names
            p = q + size
    return {}


def stub(wasm, pattern):
    """Returns (wasm, entries replaced): table entries naming a function that matches
    `pattern` now name a new function that traps."""
    names = function_names(wasm)
    if not names:
        raise ValueError("the wasm has no function names (wasm-opt needs -g)")
    match = re.compile(pattern)
    parts = sections(wasm)
    counts = {sid: _uleb(wasm, body)[0] for sid, body, _ in parts if sid in (1, 3)}
    if 1 not in counts or 3 not in counts:
        raise ValueError("no type or function section")
    trap = sum(kind == 0x00 for _, _, kind in imports(wasm)) + counts[3]
    replaced = 0
    out = bytearray(wasm[:8])
    for sid, body, end in parts:
        count, p = _uleb(wasm, body) if sid in (1, 3, 9, 10) else (0, body)
        if sid == 1:  # a new type: () -> ()
            new = _enc_uleb(count + 1) + wasm[p:end] + b"\x60\x00\x00"
        elif sid == 3:  # the trap's type
            new = _enc_uleb(count + 1) + wasm[p:end] + _enc_uleb(counts[1])
        elif sid == 10:  # its body: no locals, unreachable, end
            new = _enc_uleb(count + 1) + wasm[p:end] + b"\x03\x00\x00\x0b"
        elif sid == 9:
            new = bytearray(_enc_uleb(count))
            for _ in range(count):
                flags, q = _uleb(wasm, p)
                if flags != 0:
                    raise ValueError("unsupported element segment kind %d" % flags)
                # The offset: one i32.const and end.
                if wasm[q] != 0x41:
                    raise ValueError("unsupported element segment offset")
                _, q = _uleb(wasm, q + 1)
                if wasm[q] != 0x0B:
                    raise ValueError("unsupported element segment offset")
                q += 1
                new += wasm[p:q]
                n, q = _uleb(wasm, q)
                new += _enc_uleb(n)
                for _ in range(n):
                    index, q = _uleb(wasm, q)
                    if match.search(names.get(index, "")):
                        index = trap
                        replaced += 1
                    new += _enc_uleb(index)
                p = q
            if p != end:
                raise ValueError("the element section did not parse to its end")
        else:
            new = wasm[body:end]
        out += bytes([sid]) + _enc_uleb(len(new)) + new
    return bytes(out), replaced

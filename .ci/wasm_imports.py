"""Shortens the names the wasm module imports from its JS glue, in both files.

wasm-bindgen names every import `__wbg_<method>_<16 hex digits>` and puts the glue's own file
name, "./<crate>_bg.js", before each one. The hex digits do not compress, and each name is
shipped twice (the wasm's import section and the glue's imports object): renaming them to
`a`, `b`, ... and the module to `a` makes the console smaller (docs/size-log.md). wasm-opt cannot do it alone: its minifier also renames exports and does
not tell the glue.

The closure-invoke exports (`wasm_bindgen_<hash>___convert__closures_____invoke___<types>`,
up to 330 characters each, also shipped twice) are renamed the same way, to `$a`, `$b`, ...
(the `$` keeps them apart from every other export).

The rewrite is all-or-nothing: every renamed import must appear exactly once in the glue,
as a key of the imports object, and every renamed export exactly once, as the property the
glue reads; otherwise nothing is written and the build fails.
"""
import re
import string

_ALPHABET = string.ascii_letters


def _short_names():
    """a, b, ..., Z, aa, ab, ...: valid JS identifiers, none of them `__proto__`."""
    width = 1
    while True:
        total = len(_ALPHABET) ** width
        for n in range(total):
            name = ""
            for _ in range(width):
                n, r = divmod(n, len(_ALPHABET))
                name = _ALPHABET[r] + name
            yield name
        width += 1


def _uleb(data, pos):
    """Decodes an unsigned LEB128 at pos; returns (value, position after it)."""
    value = shift = 0
    while True:
        byte = data[pos]
        pos += 1
        value |= (byte & 0x7F) << shift
        shift += 7
        if not byte & 0x80:
            return value, pos


def _enc_uleb(value):
    out = bytearray()
    while True:
        byte = value & 0x7F
        value >>= 7
        if value:
            out.append(byte | 0x80)
        else:
            out.append(byte)
            return bytes(out)


def _name(data, pos):
    length, pos = _uleb(data, pos)
    return data[pos:pos + length].decode("utf-8"), pos + length


def _enc_name(name):
    raw = name.encode("utf-8")
    return _enc_uleb(len(raw)) + raw


def _limits_end(data, pos):
    flags = data[pos]
    _, pos = _uleb(data, pos + 1)
    if flags & 1:
        _, pos = _uleb(data, pos)
    return pos


def _import_desc_end(data, pos):
    """Where an import's description (after its two names) ends."""
    kind = data[pos]
    pos += 1
    if kind == 0x00:  # function: type index
        return _uleb(data, pos)[1]
    if kind == 0x01:  # table: reference type + limits
        if data[pos] not in (0x70, 0x6F):
            raise ValueError("unsupported table element type 0x%02x" % data[pos])
        return _limits_end(data, pos + 1)
    if kind == 0x02:  # memory: limits
        return _limits_end(data, pos)
    if kind == 0x03:  # global: value type + mutability
        if data[pos] in (0x63, 0x64):
            raise ValueError("unsupported typed-reference global import")
        return pos + 2
    if kind == 0x04:  # tag: attribute + type index
        return _uleb(data, pos + 1)[1]
    raise ValueError("unknown import kind 0x%02x" % kind)


def _rewrite_section(wasm, section_id, rewrite_entry):
    """Returns the wasm with the vector section `section_id` rebuilt entry by entry:
    rewrite_entry(wasm, pos) -> (the entry's new bytes, the position after the old entry)."""
    if wasm[:4] != b"\0asm":
        raise ValueError("not a wasm module")
    out = bytearray(wasm[:8])
    pos = 8
    while pos < len(wasm):
        this_id = wasm[pos]
        size, body = _uleb(wasm, pos + 1)
        end = body + size
        if this_id != section_id:
            out += wasm[pos:end]
            pos = end
            continue
        count, p = _uleb(wasm, body)
        new_body = bytearray(_enc_uleb(count))
        for _ in range(count):
            entry, p = rewrite_entry(wasm, p)
            new_body += entry
        if p != end:
            raise ValueError("section %d did not parse to its end" % section_id)
        out += bytes([section_id]) + _enc_uleb(len(new_body)) + new_body
        pos = end
    return bytes(out)


def _rewrite_imports(wasm, module, rename):
    """Returns the wasm with every import from `module` renamed by rename(field) -> (module, field)."""

    def entry(data, p):
        mod, p = _name(data, p)
        field, p = _name(data, p)
        desc_end = _import_desc_end(data, p)
        if mod == module:
            mod, field = rename(field)
        return _enc_name(mod) + _enc_name(field) + data[p:desc_end], desc_end

    return _rewrite_section(wasm, 2, entry)


def _rewrite_exports(wasm, rename):
    """Returns the wasm with each export renamed by rename(name), which may return it unchanged."""

    def entry(data, p):
        name, p = _name(data, p)
        _, index_end = _uleb(data, p + 1)  # the kind byte, then the index
        return _enc_name(rename(name)) + data[p:index_end], index_end

    return _rewrite_section(wasm, 7, entry)


_CLOSURE_EXPORT = re.compile(r"^wasm_bindgen_[0-9a-f]+___convert__closures_")


def _glue_module(wasm):
    """The one import module named like wasm-bindgen's glue ("./<crate>_bg.js")."""
    modules = set(re.findall(rb"\./[\w.-]+_bg\.js", wasm))
    if len(modules) != 1:
        raise ValueError("expected one './*_bg.js' import module, found %r" % sorted(modules))
    return modules.pop().decode()


def shorten(wasm, js):
    """Returns (wasm, js, count) with the glue's import names shortened in both."""
    module = _glue_module(wasm)
    names = {}
    short = _short_names()

    def rename(field):
        if field not in names:
            names[field] = next(short)
        return "a", names[field]

    new_wasm = _rewrite_imports(wasm, module, rename)

    module_literal = re.compile(r"""(["'])%s\1""" % re.escape(module))
    js, n = module_literal.subn('"a"', js)
    if n != 1:
        raise ValueError("the glue names the import module %r %d times, expected once" % (module, n))
    for old, new in names.items():
        js, n = re.subn(r"(?<![\w$])%s(?![\w$])" % re.escape(old), new, js)
        if n != 1:
            raise ValueError("the glue names the import %r %d times, expected once" % (old, n))

    exports = {}
    short_exports = ("$" + n for n in _short_names())

    def rename_export(name):
        if not _CLOSURE_EXPORT.match(name):
            return name
        exports[name] = next(short_exports)
        return exports[name]

    new_wasm = _rewrite_exports(new_wasm, rename_export)
    for old, new in exports.items():
        # Read as a property (`x.old`); `$` is a valid identifier character there.
        js, n = re.subn(r"(?<=\.)%s(?![\w$])" % re.escape(old), new, js)
        if n != 1:
            raise ValueError("the glue reads the export %r %d times, expected once" % (old, n))
    return new_wasm, js, len(names) + len(exports)

#!/usr/bin/env python3
"""What takes the space in a wasm module: code bytes per function and per crate, from the
code and name sections (run it on wasm-bindgen's output before wasm-opt, which has names).

    python3 scripts/wasm-sizes.py target/wasm32-unknown-unknown/release/kefu_widget.wasm [N]

What each part costs gzipped (`gzip -9` of the module with the names dropped): the function
bodies of one part after another are replaced by an empty body and the module compressed
again; each row is what that step saved, so the rows add up to the whole:

    python3 scripts/wasm-sizes.py --gzip target/widget/kefu-widget_bg.unopt.wasm
"""
import gzip
import re
import sys
from collections import Counter

# The parts for --gzip, in the order they are taken out (a function goes to the first part
# whose pattern its name matches).
PARTS = [
    ("JSON (serde_json, serde's buffering of internally tagged enums)",
     r"serde_json|serde::private::de::content|TaggedContent|TagOrContent|ContentDeserializer|ContentRefDeserializer"),
    ("float formatting and parsing", r"flt2dec|zmij|fmt::float|dec2flt"),
    ("(de)serialisers of kefu-protocol types",
     r"kefu_protocol.*(Deserialize|Serialize|Visitor)|(Deserialize|Serialize|Visitor).*kefu_protocol"),
    ("(de)serialisers of kefu-core types (kb.bin, conversation state)",
     r"kefu_core.*(Deserialize|Serialize|Visitor)|(Deserialize|Serialize|Visitor).*kefu_core"),
    ("other serde and postcard (widget session, Vec/Option/String visitors)", r"serde|postcard"),
    ("kefu-core conversation engine (dialogue)", r"kefu_core::dialogue"),
    ("kefu-core matcher, index, normalisation, format", r"kefu_core"),
    ("kefu-protocol (its hand-written JSON codec, json.rs, and conversions)", r"kefu_protocol"),
    ("leptos (tachys renderer, reactive_graph signals and helpers)",
     r"tachys|reactive_graph|leptos|any_spawner|send_wrapper|guardian|slotmap|or_poisoned|oco_ref|throw_error|next_tuple|wasm_streams"),
    ("kefu-widget (components, chat, session, api)", r"kefu_widget"),
    ("wasm-bindgen, js-sys, web-sys, futures", r"wasm_bindgen|js_sys|web_sys|futures|console_error_panic_hook"),
    ("Rust std (collect/Vec/iterator generics, hashbrown, dlmalloc, fmt, unicode)", r"."),
]


def enc(n):
    out = bytearray()
    while True:
        b = n & 0x7F
        n >>= 7
        if n:
            out.append(b | 0x80)
        else:
            out.append(b)
            return bytes(out)


def gzip_parts(data, names, imports):
    """Prints the --gzip table: what each part of PARTS costs gzip -9."""
    secs = list(sections(data))

    def build(kill):
        out = bytearray(data[:8])
        for sid, body in secs:
            if sid == 0:
                continue
            if sid == 10:
                n, i = leb(body, 0)
                nb = bytearray(enc(n))
                for f in range(n):
                    size, j = leb(body, i)
                    fb = body[j : j + size]
                    i = j + size
                    if kill(names.get(imports + f, "")):
                        fb = b"\x00\x00\x0b"  # no locals, unreachable, end
                    nb += enc(len(fb)) + fb
                body = bytes(nb)
            out.append(sid)
            out += enc(len(body)) + body
        return bytes(out)

    def gz(b):
        return len(gzip.compress(b, 9))

    full = prev = gz(build(lambda n: False))
    taken = []
    print(f"gzip -9 of the module without its names: {full} bytes\n")
    print("| part | gzip -9 | share |\n|---|---|---|")
    for label, pattern in PARTS:
        taken.append(re.compile(pattern))
        now = gz(build(lambda n: any(p.search(n) for p in taken)))
        print(f"| {label} | {(prev - now) / 1000:.1f} KB | {(prev - now) * 100 / full:.0f} % |")
        prev = now
    print(f"| data (texts, tables), imports, exports, types | {prev / 1000:.1f} KB | {prev * 100 / full:.0f} % |")


def leb(data, i):
    result = shift = 0
    while True:
        b = data[i]
        i += 1
        result |= (b & 0x7F) << shift
        shift += 7
        if b < 0x80:
            return result, i


def sections(data):
    i = 8
    while i < len(data):
        sid = data[i]
        size, j = leb(data, i + 1)
        yield sid, data[j : j + size]
        i = j + size


CRATES = ["kefu_widget", "kefu_protocol", "kefu_core", "serde_wasm_bindgen", "postcard", "serde_core",
          "serde", "tachys", "reactive_graph", "leptos", "any_spawner", "or_poisoned", "wasm_bindgen",
          "web_sys", "js_sys", "dlmalloc", "hashbrown", "crc32fast", "alloc", "core", "std"]


def crate_of(name):
    """The first known crate named in a (mangled or demangled) symbol."""
    best = None
    for crate in CRATES:
        for pattern in (f"{len(crate)}{crate}", f"{crate}::", f"{crate}.."):
            i = name.find(pattern)
            if i >= 0 and (best is None or i < best[0]):
                best = (i, crate)
    return best[1] if best else "?"


def main():
    args = [a for a in sys.argv[1:] if a != "--gzip"]
    path = args[0]
    top = int(args[1]) if len(args) > 1 else 25
    data = open(path, "rb").read()
    imports = 0
    bodies = []
    names = {}
    sizes = Counter()
    for sid, body in sections(data):
        sizes[sid] += len(body)
        if sid == 2:  # imports: count functions, they take indices first
            n, i = leb(body, 0)
            for _ in range(n):
                for _ in range(2):
                    ln, i = leb(body, i)
                    i += ln
                kind = body[i]
                i += 1
                if kind == 0:
                    imports += 1
                    _, i = leb(body, i)
                elif kind == 1:
                    i += 1
                    flags, i = leb(body, i)
                    _, i = leb(body, i)
                    if flags & 1:
                        _, i = leb(body, i)
                elif kind == 2:
                    flags, i = leb(body, i)
                    _, i = leb(body, i)
                    if flags & 1:
                        _, i = leb(body, i)
                else:
                    i += 2
        elif sid == 10:
            n, i = leb(body, 0)
            for _ in range(n):
                size, i = leb(body, i)
                bodies.append(size)
                i += size
        elif sid == 0:
            ln, i = leb(body, 0)
            if body[i : i + ln] != b"name":
                continue
            i += ln
            while i < len(body):
                sub = body[i]
                size, j = leb(body, i + 1)
                if sub == 1:
                    n, k = leb(body, j)
                    for _ in range(n):
                        idx, k = leb(body, k)
                        ln, k = leb(body, k)
                        names[idx] = body[k : k + ln].decode("utf-8", "replace")
                        k += ln
                i = j + size
    if "--gzip" in sys.argv:
        gzip_parts(data, names, imports)
        return
    total = sum(bodies)
    print(f"{path}: {len(data)} bytes, code {total} bytes in {len(bodies)} functions, data {sizes[11]} bytes")
    crates = Counter()
    funcs = []
    for n, size in enumerate(bodies):
        name = names.get(imports + n, f"func[{imports + n}]")
        funcs.append((size, name))
        crates[crate_of(name)] += size
    print(f"\nby crate (first path segment of the demangled name):")
    for crate, size in crates.most_common(top):
        print(f"{size:>9}  {size * 100 / total:5.1f}%  {crate}")
    print(f"\nlargest functions:")
    for size, name in sorted(funcs, reverse=True)[:top]:
        print(f"{size:>9}  {name[:150]}")


main()

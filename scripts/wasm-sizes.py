#!/usr/bin/env python3
"""What takes the space in a wasm module: code bytes per function and per crate, from the
code and name sections (run it on wasm-bindgen's output before wasm-opt, which has names).

    python3 scripts/wasm-sizes.py target/wasm32-unknown-unknown/release/kefu_widget.wasm [N]
"""
import re
import sys
from collections import Counter


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
    path = sys.argv[1]
    top = int(sys.argv[2]) if len(sys.argv) > 2 else 25
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

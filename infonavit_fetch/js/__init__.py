"""The scripts the tool runs in pages, kept as .js files in this package (shipped as package data).

`script(name)` is what to hand to Playwright (`evaluate`, `wait_for_function`, a locator's `evaluate`, or
`add_init_script(f"({...})()")`): one expression whose value is the function `name.js` holds. A script whose
first line is `// needs: prelude` gets the helpers of prelude.js (fold, visible, ...) in front of it:

    (() => {
    <prelude.js>
    return (
    <name.js>
    );
    })()

so that what several scripts share is written once, in prelude.js. Each file is read once.
"""

from __future__ import annotations

import functools
from importlib import resources

PRELUDE = "prelude"
NEEDS_PRELUDE = "// needs: prelude"


@functools.cache
def source(name: str) -> str:
    """The text of `name`.js as written (without the white space at its ends)."""
    return resources.files(__name__).joinpath(f"{name}.js").read_text(encoding="utf-8").strip()


@functools.cache
def script(name: str) -> str:
    """The expression to evaluate for `name`.js: its function, with the prelude when its first line asks."""
    if name == PRELUDE:
        raise ValueError("prelude.js holds declarations for other scripts, not a script of its own")
    text = source(name)
    if text.endswith(";") or text.splitlines()[-1].lstrip().startswith("//"):
        # (it is also written inside parentheses: "(" + script + ")(...)")
        raise ValueError(f"{name}.js must end with its expression (no semicolon nor comment after it)")
    return with_prelude(text) if text.startswith(NEEDS_PRELUDE) else text


def with_prelude(expression: str) -> str:
    """`expression` (a function, in JavaScript) with the prelude's helpers in scope: still one expression,
    whose value is that function."""
    return f"(() => {{\n{source(PRELUDE)}\nreturn (\n{expression}\n);\n}})()"


def names() -> list[str]:
    """Every script of the package (prelude.js aside), by name."""
    files = resources.files(__name__).iterdir()
    return sorted(f.name.removesuffix(".js") for f in files if f.name.endswith(".js") and f.name != f"{PRELUDE}.js")

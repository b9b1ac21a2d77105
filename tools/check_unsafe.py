"""Refuse unsafe code in the addon (the parts pylint-odoo does not check).

- every ``sudo()`` needs a comment saying why: a ``#`` comment mentioning
  "sudo" on its line or on one of the 4 lines above;
- no ``eval``/``exec``/``safe_eval`` at all (user-editable text is parsed with
  ``ast.literal_eval``);
- ``cr.execute`` takes an ``odoo.tools.SQL`` object, never a string built with
  an f-string, ``%`` or ``.format``.

Usage: python tools/check_unsafe.py ADDON_DIR   (exit status 1 on findings)
"""

import ast
import pathlib
import sys

LOOK_BACK = 4
FORBIDDEN_CALLS = {"eval", "exec", "safe_eval"}


def _is_built_string(node):
    if isinstance(node, ast.JoinedStr):
        return True
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Mod | ast.Add):
        return isinstance(node.left, ast.Constant | ast.JoinedStr | ast.BinOp)
    return (
        isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and node.func.attr == "format"
    )


def check_file(path):
    source = path.read_text(encoding="utf-8")
    lines = source.splitlines()
    findings = []
    for node in ast.walk(ast.parse(source, str(path))):
        if not isinstance(node, ast.Call):
            continue
        func = node.func
        name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
        if name == "sudo":
            window = lines[max(0, node.lineno - 1 - LOOK_BACK) : node.lineno]
            if not any(
                "#" in line and "sudo" in line.split("#", 1)[1] for line in window
            ):
                findings.append((node.lineno, "sudo() without a comment saying why"))
        elif name in FORBIDDEN_CALLS:
            findings.append((node.lineno, f"{name}() of text"))
        elif name == "execute" and node.args and _is_built_string(node.args[0]):
            findings.append(
                (node.lineno, "SQL built from a string: use odoo.tools.SQL")
            )
    return [(path, line, message) for line, message in findings]


def main(addon):
    findings = []
    for path in sorted(pathlib.Path(addon).rglob("*.py")):
        if "tests" not in path.parts:
            findings += check_file(path)
    for path, line, message in findings:
        print(f"{path}:{line}: {message}")
    return 1 if findings else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))

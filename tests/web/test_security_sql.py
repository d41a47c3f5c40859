"""All SQL is parameterized: no ``text(...)``, ``exec_driver_sql(...)`` or
``execute(...)`` in src/ is given a string built with an f-string, ``%``, ``+`` or
``.format`` unless every interpolated piece is on the allowlist below, with the reason
it cannot carry user input (a table or column name from our metadata, a number, a
placeholder list). A name assigned only constants counts as a constant. User values
always travel as bound parameters."""

from __future__ import annotations

import ast
from pathlib import Path

SRC = Path(__file__).resolve().parents[2] / "src"
SQL_CALLS = frozenset({"text", "exec_driver_sql", "execute", "executemany", "executescript"})

# (file under src/talentbridge, interpolated expression) -> why it is safe
ALLOWED: dict[tuple[str, str], str] = {
    ("analytics/cube.py", "name"): "table name of a cube Table object (our metadata)",
    ("analytics/cube.py", "', '.join([*keys, *measures])"): "column names of that table",
    ("analytics/cube.py", "marks"): "a list of ? / %s placeholders",
    ("analytics/cube.py", "', '.join(keys)"): "key column names of that table",
    (
        "analytics/cube.py",
        "', '.join((f'{m} = {name}.{m} + excluded.{m}' for m in measures))",
    ): "measure column names of that table",
    ("library/search_sqlite.py", "marks"): "resource ids passed through int()",
    ("library/search_sqlite.py", "_bm25()"): "bm25() with constant column weights",
    ("store/backup.py", "_quote(name)"): "a table name from the store's own metadata, quoted",
    ("store/engine.py", "name"): "a PRAGMA name from the constant BULK_LOAD_PRAGMAS",
    ("store/engine.py", "int(value)"): "an integer",
    ("store/engine.py", "before"): "an integer read back from the same PRAGMA",
    ("store/migrations/versions/0012_trust.py", "table"): "a table name listed in the migration",
    ("store/migrations/versions/0012_trust.py", "column"): "a column name listed in the migration",
}


def _name(func: ast.expr) -> str | None:
    if isinstance(func, ast.Name):
        return func.id
    if isinstance(func, ast.Attribute):
        return func.attr
    return None


def _dynamic(node: ast.expr) -> bool:
    if isinstance(node, ast.JoinedStr):
        return True
    if isinstance(node, ast.BinOp) and isinstance(node.op, (ast.Add, ast.Mod)):
        return True
    return isinstance(node, ast.Call) and _name(node.func) == "format"


class _Module:
    def __init__(self, tree: ast.Module) -> None:
        self.assigned: dict[str, list[ast.expr]] = {}
        for node in ast.walk(tree):
            if isinstance(node, ast.Assign) and len(node.targets) == 1:
                target = node.targets[0]
                if isinstance(target, ast.Name):
                    self.assigned.setdefault(target.id, []).append(node.value)

    def pieces(self, node: ast.expr, depth: int = 0) -> list[str]:
        """The interpolated (non-literal) pieces of a string expression."""
        if depth > 5:
            return [ast.unparse(node)]
        if isinstance(node, ast.Constant):
            return []
        if isinstance(node, ast.JoinedStr):
            out: list[str] = []
            for value in node.values:
                if isinstance(value, ast.FormattedValue):
                    out += self.pieces(value.value, depth + 1)
            return out
        if isinstance(node, ast.BinOp) and isinstance(node.op, (ast.Add, ast.Mod)):
            return self.pieces(node.left, depth + 1) + self.pieces(node.right, depth + 1)
        if isinstance(node, ast.Call) and _name(node.func) == "format":
            return [ast.unparse(arg) for arg in [*node.args, *(k.value for k in node.keywords)]]
        if isinstance(node, ast.IfExp):
            return self.pieces(node.body, depth + 1) + self.pieces(node.orelse, depth + 1)
        if isinstance(node, ast.Name) and node.id in self.assigned:
            values = self.assigned[node.id]
            if all(
                isinstance(v, (ast.Constant, ast.JoinedStr, ast.BinOp, ast.IfExp)) for v in values
            ):
                return [p for v in values for p in self.pieces(v, depth + 1)]
        return [ast.unparse(node)]

    def dynamic(self, node: ast.expr) -> bool:
        if _dynamic(node):
            return True
        if isinstance(node, ast.Name):
            return any(_dynamic(v) for v in self.assigned.get(node.id, []))
        return False


def interpolations(source: str) -> list[tuple[int, str]]:
    """(line, piece) for every interpolated piece of SQL built as a string."""
    tree = ast.parse(source)
    module = _Module(tree)
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and _name(node.func) in SQL_CALLS and node.args:
            first = node.args[0]
            if module.dynamic(first):
                found += [(node.lineno, piece) for piece in module.pieces(first)]
    return found


def test_the_checker_sees_interpolation() -> None:
    code = (
        "def f(session, name, table):\n"
        "    session.execute(text(f'SELECT * FROM t WHERE name = {name}'))\n"
        "    session.execute(text('SELECT * FROM ' + table))\n"
        "    sql = 'DELETE FROM t WHERE id = %s' % name\n"
        "    conn.exec_driver_sql(sql)\n"
        "    session.execute(text('SELECT * FROM t WHERE name = :n'), {'n': name})\n"
        "    session.execute(text('SELECT {}'.format(name)))\n"
    )
    assert sorted(piece for _, piece in interpolations(code)) == ["name", "name", "name", "table"]


def test_all_sql_in_src_is_parameterized() -> None:
    files = sorted(SRC.rglob("*.py"))
    assert len(files) > 200
    unexplained = []
    used = set()
    for path in files:
        relative = path.relative_to(SRC / "talentbridge").as_posix()
        for line, piece in interpolations(path.read_text(encoding="utf-8")):
            if (relative, piece) in ALLOWED:
                used.add((relative, piece))
            else:
                unexplained.append(f"{relative}:{line}: {piece}")
    assert unexplained == [], "SQL built from a string: bind a parameter or allowlist it"
    assert used, "the allowlist matched nothing: did the checker break?"

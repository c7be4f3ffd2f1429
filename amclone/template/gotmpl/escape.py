"""placeholder"""
from typing import Any
ESCAPERS: dict[str, Any] = {}
def escape_set(ts: Any, name: str) -> Any:
    tree = ts.get(name)
    return ts.compiler.stmt(tree.root)

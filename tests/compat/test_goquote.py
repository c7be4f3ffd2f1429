"""Label values are quoted as Go's %q does, since group keys embed them."""

import pytest

from amclone.compat.goquote import quote


@pytest.mark.parametrize(
    "raw, quoted",
    [
        ("plain", '"plain"'),
        ('say "hi"', '"say \\"hi\\""'),
        ("back\\slash", '"back\\\\slash"'),
        ("tab\tnl\n", '"tab\\tnl\\n"'),
        ("\x01\x7f", '"\\x01\\x7f"'),
        ("héllo 日本", '"héllo 日本"'),
        ("\u200b", '"\\u200b"'),
    ],
)
def test_quote(raw: str, quoted: str) -> None:
    assert quote(raw) == quoted

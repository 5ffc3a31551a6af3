"""The README's settings table is generated from the code; it must list every setting as the code has it."""

from __future__ import annotations

from koers.cmd_settings import readme_table, settings_table


def test_the_readme_lists_every_setting_with_its_default_and_meaning() -> None:
    table = settings_table()
    assert "`KOERS_RETRIEVAL__KIND_PENALTY`" in table and "`KOERS_SESSIONS__TTL_MINUTES`" in table
    assert readme_table() == table, (
        "The README's settings table is out of date: run `koers settings --write`."
    )

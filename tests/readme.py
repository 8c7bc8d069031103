"""Read the README's demo-login table, a contract the acceptance tests also read."""

from __future__ import annotations

import re
from pathlib import Path

README = Path(__file__).resolve().parent.parent / "README.md"
COLUMNS = ["Agency", "Scheme", "Role", "Name", "Login"]

# The label of each role of the table among the roles the home page lists.
HOME_ROLE_LABELS = {
    "pegawai": "Pegawai",
    "peer": "Pegawai",
    "atasan": "Atasan",
    "atasan_pejabat_penilai": "Atasan Pejabat Penilai",
    "admin_hr": "Admin HR",
    "tim_penilai": "Tim Penilai",
    "verifikator": "Verifikator",
    "admin_daerah": "Admin Daerah",
}


def demo_logins() -> tuple[list[dict[str, str]], str]:
    text = README.read_text(encoding="utf-8")
    section = text.split("## Demo logins", 1)[1].split("\n## ", 1)[0]
    lines = [line.strip() for line in section.splitlines() if line.strip().startswith("|")]
    header = [c.strip() for c in lines[0].strip("|").split("|")]
    assert header == COLUMNS, header
    rows = [
        dict(zip(COLUMNS, (c.strip() for c in line.strip("|").split("|")), strict=True))
        for line in lines[2:]
    ]
    password = re.search(r"^Password for all demo accounts: (\S+)$", section, re.M).group(1)
    return rows, password

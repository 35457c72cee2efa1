"""Writing helper shared by the survey simulators (``simulate_barometre.py``, ``simulate_bien_etre.py``).

Every simulated table is written the same way: French CSV (``;`` separator, decimal comma,
UTF-8 with BOM) next to one metadata JSON that flags the data as simulated and lists the files
it describes.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Mapping

import pandas as pd


def write_simulated(out_dir: Path, name: str, tables: Mapping[str, tuple[pd.DataFrame, str]],
                    meta: dict) -> list[Path]:
    """Write simulated tables as French CSV plus ``<name>.json``; return the paths written.

    Parameters
    ----------
    out_dir : Path
        Output folder (created if needed).
    name : str
        Stem of the metadata file; must contain ``_simule``.
    tables : mapping
        ``{file name: (DataFrame, float format)}``; each file name must contain ``_simule``.
    meta : dict
        Metadata; ``"simulated"``, ``"simule"`` and ``"files"`` (the CSV names) are set here.
    """
    names = [name, *tables]
    if not all("_simule" in n for n in names):
        raise ValueError(f"simulated files must say so in their name (_simule): {names}")
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for file_name, (frame, float_format) in tables.items():
        path = out_dir / file_name
        frame.to_csv(path, sep=";", decimal=",", index=False, encoding="utf-8-sig",
                     float_format=float_format)
        written.append(path)
    meta = {**meta, "simulated": True, "simule": True, "files": list(tables)}
    path = out_dir / f"{name}.json"
    path.write_text(json.dumps(meta, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    written.append(path)
    return written

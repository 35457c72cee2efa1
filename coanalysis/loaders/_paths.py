"""The one check of a file path that a data file names (a Data Package resource's ``path``).

A descriptor is data: whoever wrote it chooses the paths the loader opens. Before anything is
opened, :func:`resolve_inside` accepts only a relative path that stays inside the package
folder, so that a descriptor cannot make the package read (and quote in an error message) a
file elsewhere on the machine: ``../../etc/passwd``, ``/etc/passwd``, ``C:\\Windows\\win.ini``,
``\\\\host\\share\\x.csv``, ``https://…`` or a symbolic link inside the folder that points out
of it are all refused with a :class:`~coanalysis.errors.DataError` naming the resource and the
path, never the content of the outside file.
"""

from __future__ import annotations

import json
import re
from pathlib import Path, PurePosixPath, PureWindowsPath
from typing import Any

from ..errors import DataError, Problem

__all__ = ["resolve_inside", "unsafe_path_reason"]

_URL = re.compile(r"^[A-Za-z][A-Za-z0-9+.\-]*://")
_JSON_TYPES = {bool: "true or false", int: "a number", float: "a number", dict: "a JSON object",
               type(None): "null"}


def unsafe_path_reason(path: Any) -> str | None:
    """Why ``path`` cannot name a file of a data package, or None when its form is acceptable.

    Only the written form is judged here (no file system access): a non-empty string, relative
    in POSIX and in Windows terms, with ``/`` separators, no ``..`` component and no URL scheme.
    :func:`resolve_inside` adds the check that needs the folder (symbolic links).

    Parameters
    ----------
    path : Any
        The value of the descriptor's ``path`` property.

    Returns
    -------
    str or None
        A short reason ("an absolute path", "a '..' component"...), or None.

    References
    ----------
    Frictionless Data, *Data Package* specification, "Data Location": a path is a POSIX path
    relative to the descriptor's folder; it must not be absolute nor contain ``..``
    (https://specs.frictionlessdata.io/data-resource/#data-location).

    Examples
    --------
    >>> [unsafe_path_reason(p) for p in ("cases.csv", "codings/coder_a/outcomes.csv")]
    [None, None]
    >>> unsafe_path_reason("../../etc/passwd")
    "a path with a '..' component"
    >>> unsafe_path_reason("C:\\\\data\\\\cases.csv")
    'an absolute path or a Windows drive'
    """
    if isinstance(path, list):
        return "a list of paths (a multi-part resource is not supported)"
    if not isinstance(path, str):
        return _JSON_TYPES.get(type(path), "a value that is not a string")
    if not path.strip():
        return "an empty path"
    if "\x00" in path:
        return "a path holding a NUL character"
    if _URL.match(path):
        return "a URL (only local files of the package are read)"
    windows = PureWindowsPath(path)
    if PurePosixPath(path).is_absolute() or windows.drive or windows.root:
        return "an absolute path or a Windows drive"
    if "\\" in path:
        return "a path with a backslash (write '/' between folders)"
    if ".." in path.split("/"):
        return "a path with a '..' component"
    return None


def resolve_inside(folder: str | Path, path: Any, *, file: str, column: str | None = None,
                   resource: str | None = None) -> Path:
    """The file ``path`` names inside ``folder``, after checking that it stays inside.

    Parameters
    ----------
    folder : str or Path
        The folder of the data package (the descriptor's folder).
    path : Any
        The ``path`` written in the data file (not trusted: any JSON value).
    file : str
        The data file that names the path, for the problem (e.g. ``"datapackage.json"``).
    column : str, optional
        Where in that file the path is written (e.g. ``"resources[0] (cases).path"``).
    resource : str, optional
        The resource the path belongs to, named in the message.

    Returns
    -------
    Path
        The resolved path (symbolic links followed), inside the resolved ``folder``. Open this
        one, not ``folder / path``, so that what is opened is what was checked.

    Raises
    ------
    DataError
        With one :class:`~coanalysis.errors.Problem` naming the file, the resource and the path,
        when the path is not a string, is absolute (POSIX ``/x``, Windows ``C:\\x``, ``C:x``,
        ``\\x`` or UNC ``\\\\host\\share``), is a URL, contains a backslash or a ``..``
        component, or resolves out of the folder through a symbolic link. Nothing is opened
        before the check, and the message never quotes an outside file.

    Examples
    --------
    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     inside = resolve_inside(tmp, "cases.csv", file="datapackage.json")
    ...     inside == Path(tmp).resolve() / "cases.csv"
    True
    >>> try:
    ...     resolve_inside(".", "/etc/passwd", file="datapackage.json", resource="cases")
    ... except DataError as err:
    ...     print(err.summary)
    ...     print(err.problems[0].expected)
    the resource 'cases' of datapackage.json names a file outside its folder
    a path relative to the package folder, not an absolute path or a Windows drive
    """
    base = Path(folder).resolve()
    reason = unsafe_path_reason(path)
    if reason is None:
        target = (base / path).resolve()
        if not target.is_relative_to(base):
            reason = "a symbolic link leading out of the folder"
    if reason is None:
        return target
    what = f"the resource {resource!r}" if resource else "a path"
    hint = (f"{what} must name a file of {base.name}/ by its path relative to that folder, "
            "with '/' between folders (e.g. codings/coder_a/outcomes.csv): move or copy the "
            "file into the folder")
    found = json.dumps(path)[:60] if isinstance(path, (list, dict)) else path
    problem = Problem(file, None, column, found,
                      f"a path relative to the package folder, not {reason}", hint)
    raise DataError(problem, summary=f"{what} of {file} names a file outside its folder")

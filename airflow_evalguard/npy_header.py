"""Check a .npy header against the file before numpy allocates what the header claims."""

from __future__ import annotations

import math
import os
from typing import BinaryIO

from numpy.lib import format as npy_format

from airflow_evalguard.exceptions import EvalGuardInputError


def check_npy_header(source: str | os.PathLike[str] | BinaryIO, label: str, input_name: str | None = None) -> None:
    """Refuse a header whose shape needs more bytes than the file holds, or object (pickled)
    dtypes. `source` is a path or a seekable binary buffer; a buffer is rewound afterwards."""

    def refuse(message: str) -> EvalGuardInputError:
        return EvalGuardInputError(f"{label}: {message}", input_name=input_name)

    # not a `with`: a caller's buffer must stay open; the finally below closes only what it opened here
    handle = open(source, "rb") if isinstance(source, (str, os.PathLike)) else source  # noqa: SIM115
    start = handle.tell()
    try:
        handle.seek(0, os.SEEK_END)
        size = handle.tell()
        handle.seek(start)
        version = npy_format.read_magic(handle)
        if version == (1, 0):
            shape, _fortran, dtype = npy_format.read_array_header_1_0(handle)
        elif version == (2, 0):
            shape, _fortran, dtype = npy_format.read_array_header_2_0(handle)
        else:  # 3.0 only adds utf-8 field names, which float vectors never need
            raise refuse(f"unsupported .npy format version {version[0]}.{version[1]}; save with numpy.save")
        data_offset = handle.tell()
    finally:
        if handle is source:
            handle.seek(start)
        else:
            handle.close()
    if dtype.hasobject:
        raise refuse("holds Python objects (a pickle), which are never loaded; save a numeric array")
    needed = math.prod(shape) * dtype.itemsize
    held = size - data_offset
    if needed > held:
        raise refuse(
            f"header claims shape {tuple(shape)} of {dtype} ({needed:,} bytes) but the file "
            f"holds {held:,} bytes after the header"
        )

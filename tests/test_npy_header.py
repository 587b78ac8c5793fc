"""A .npy header is checked against the file before loading: a shape the bytes cannot hold, or
pickled objects, are refused as input errors; a buffer is rewound for the reader after it."""

import io

import numpy as np
import pytest

from airflow_evalguard.exceptions import EvalGuardInputError
from airflow_evalguard.npy_header import check_npy_header


def _npy(array):
    buffer = io.BytesIO()
    np.save(buffer, array, allow_pickle=True)
    return buffer.getvalue()


def test_a_sound_file_passes_and_a_buffer_is_rewound(tmp_path):
    data = _npy(np.ones((4, 3), dtype=np.float32))
    path = tmp_path / "ok.npy"
    path.write_bytes(data)
    check_npy_header(str(path), "input 'vectors'")
    buffer = io.BytesIO(data)
    check_npy_header(buffer, "input 'vectors'")
    assert buffer.tell() == 0
    assert np.load(buffer).shape == (4, 3)


def test_a_header_claiming_more_than_the_file_holds():
    data = _npy(np.ones((1000, 8)))[:-100]
    with pytest.raises(EvalGuardInputError, match=r"^input 'v': header claims shape \(1000, 8\) of float64") as info:
        check_npy_header(io.BytesIO(data), "input 'v'", input_name="v")
    assert info.value.input_name == "v"


def test_pickled_objects_are_refused():
    with pytest.raises(EvalGuardInputError, match="holds Python objects"):
        check_npy_header(io.BytesIO(_npy(np.array([{"a": 1}], dtype=object))), "input 'v'")


def test_an_unsupported_version_is_refused():
    data = bytearray(_npy(np.ones(3)))
    data[6] = 3  # major version byte after the magic string
    with pytest.raises(EvalGuardInputError, match=r"unsupported .npy format version 3\.0"):
        check_npy_header(io.BytesIO(bytes(data)), "input 'v'")

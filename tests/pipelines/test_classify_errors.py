"""``gestcore classify`` on bad input files: every error is one line that names the file,
and a damaged Parquet page is an error (page checksums are written and verified)."""

from __future__ import annotations

import pytest

from gestcore.cli import main

pq = pytest.importorskip("pyarrow.parquet")


@pytest.fixture(scope="module")
def good(tmp_path_factory):
    path = tmp_path_factory.mktemp("in") / "good.parquet"
    assert main(["demo-data", str(path), "--samples", "20000", "--seed", "1"]) == 0
    return path


def _classify_error(capsys, path, tmp_path) -> str:
    out = tmp_path / "out.parquet"
    assert main(["classify", str(path), "-o", str(out), "--no-progress"]) == 2
    captured = capsys.readouterr()
    assert not out.exists()
    lines = captured.err.splitlines()
    assert len(lines) == 1, captured.err
    assert lines[0].startswith(f"gestcore classify: error: {path}: ")
    return lines[0]


def _damaged(good, tmp_path, name: str, change) -> object:
    data = bytearray(good.read_bytes())
    change(data, pq.ParquetFile(good).metadata.row_group(0).column(0))
    path = tmp_path / name
    path.write_bytes(bytes(data))
    return path


def test_damaged_page_data_is_an_error(good, tmp_path, capsys):
    def flip_data(data, column):
        # A byte well inside the first column's pages, past its page header.
        data[column.data_page_offset + column.total_compressed_size // 2] ^= 0xFF

    path = _damaged(good, tmp_path, "data.parquet", flip_data)
    assert "CRC checksum verification failed" in _classify_error(capsys, path, tmp_path)


def test_damaged_page_header_is_one_line(good, tmp_path, capsys):
    def flip_header(data, column):
        data[column.data_page_offset + 2] ^= 0xFF

    path = _damaged(good, tmp_path, "header.parquet", flip_header)
    _classify_error(capsys, path, tmp_path)


def test_files_we_write_carry_page_checksums(good, tmp_path):
    # demo-data and classify write them: damage in the records is caught too.
    out = tmp_path / "records.parquet"
    assert main(["classify", str(good), "-o", str(out), "--no-progress"]) == 0
    for path in (good, out):
        data = bytearray(path.read_bytes())
        column = pq.ParquetFile(path).metadata.row_group(0).column(0)
        data[column.data_page_offset + column.total_compressed_size // 2] ^= 0xFF
        bad = tmp_path / f"bad-{path.name}"
        bad.write_bytes(bytes(data))
        with pytest.raises(OSError, match="CRC"):
            pq.read_table(bad, page_checksum_verification=True)


@pytest.mark.parametrize(
    "name, content, words",
    [
        ("truncated.parquet", None, "magic bytes"),
        ("empty.parquet", b"", "0 bytes"),
        ("text.parquet", b"hello world\n", "magic bytes"),
        ("short.csv", b"t,x,y,action\n1,2,3\n", "Expected 4 columns"),
    ],
)
def test_unreadable_files_name_the_file(good, tmp_path, capsys, name, content, words):
    path = tmp_path / name
    path.write_bytes(good.read_bytes()[:5000] if content is None else content)
    assert words in _classify_error(capsys, path, tmp_path)


def test_a_directory_is_a_directory(tmp_path, capsys):
    folder = tmp_path / "touches.parquet"
    folder.mkdir()
    assert _classify_error(capsys, folder, tmp_path).endswith(": is a directory")


def test_a_missing_file_is_no_such_file(tmp_path, capsys):
    assert _classify_error(capsys, tmp_path / "none.parquet", tmp_path).endswith(": no such file")


def test_classify_files_api_names_the_file(good, tmp_path):
    from gestcore.pipelines.files import classify_files

    folder = tmp_path / "dir.parquet"
    folder.mkdir()
    with pytest.raises(OSError, match=f"^{folder}: is a directory$"):
        classify_files([good, folder], tmp_path / "o.parquet")
    assert not (tmp_path / "o.parquet").exists()

"""CSV truth tables: reading in any row order, writing, and errors that name the line."""

import numpy as np
import pytest

from nnsim.core.logic.truthtable import TruthTable
from nnsim.io.tables import TableError, format_table, parse_table, read_table, write_table

XOR = "a,b,y\n0,0,0\n0,1,1\n1,0,1\n1,1,0\n"


def test_read_rows_in_any_order_with_comments_and_blank_lines():
    text = "# xor and and\na, b, xor, and\n\n1,1,0,1\n0,0,0,0\n# middle\n1,0,1,0\n0,1,1,0\n"
    t = parse_table(text, 2)
    assert t.inputs == ["a", "b"] and t.outputs == ["xor", "and"]
    assert t.rows.tolist() == [[0, 0], [1, 0], [1, 0], [0, 1]]


def test_inputs_are_inferred_from_the_row_count():
    assert parse_table(XOR).inputs == ["a", "b"]
    with pytest.raises(TableError, match="say it with --inputs"):
        parse_table("a,b,y\n0,0,1\n0,1,0\n1,0,0\n")


def test_round_trip_through_a_file(tmp_path):
    t = TruthTable(["a", "b", "c"], ["m", "p"],
                   np.stack([(np.arange(8) >= 3), np.arange(8) % 2], axis=1).astype(int))
    write_table(t, tmp_path / "t.csv")
    assert read_table(tmp_path / "t.csv", 3) == t
    assert format_table(t).splitlines()[0] == "a,b,c,m,p"


def test_decimal_outputs_are_written_as_decimals():
    t = TruthTable(["a"], ["y"], np.array([[0.25], [1.0]]))
    assert format_table(t).splitlines()[1:] == ["0,0.25", "1,1"]


@pytest.mark.parametrize("text, k, message", [
    ("", 2, "t.csv: the table is empty"),
    ("a,b,y\n0,0,1\n0,1,1\n1,0,1\n1,1,2\n", 2, "t.csv, line 5: column 'y' holds '2'; cells must be 0 or 1"),
    ("a,b,y\n0,0,1\n0,1,1\n1,0\n1,1,0\n", 2, "t.csv, line 4: 2 cells, but the header has 3 columns"),
    ("a,b,y\n0,0,1\n0,1,1\n0,0,0\n1,1,0\n", 2, "t.csv, line 4: the inputs 0 0 were already given on line 2"),
    ("a,b,y\n0,0,1\n0,1,1\n1,1,0\n", 2, "t.csv, line 5: end of table: 1 of 4 input rows are missing, for example a=1, b=0"),
    ("a,a,y\n", 2, "t.csv, line 1: the name 'a' appears twice"),
    ("a,,y\n", 2, "t.csv, line 1: column 2 of the header has no name"),
    ("0,0,1\n0,1,1\n", 2, "t.csv, line 1: the first line must be a header"),
    ("a,b\n0,0\n", 2, "line 1: 2 columns, but 2 inputs leave no output column"),
    (",".join(f"x{i}" for i in range(13)) + ",y\n", 13, "line 1: 13 inputs is too many (at most 12)"),
    ("a,b,y\n0,0,x\n", 2, "line 2: column 'y' holds 'x'"),
])
def test_bad_tables_name_the_line_and_problem(tmp_path, text, k, message):
    path = tmp_path / "t.csv"
    path.write_text(text)
    with pytest.raises(TableError) as err:
        read_table(path, k)
    assert message in str(err.value)


def test_missing_and_binary_files(tmp_path):
    with pytest.raises(TableError, match="no such file"):
        read_table(tmp_path / "nope.csv", 2)
    (tmp_path / "b.csv").write_bytes(b"\xff\xfe\x00")
    with pytest.raises(TableError, match="not a text file"):
        read_table(tmp_path / "b.csv", 2)

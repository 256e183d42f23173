"""Pipelines: gestcore where data teams work (Arrow, Parquet, pandas, Dask).

- ``Classifier``: chunked classification (row groups, file after file) with
  memory bounded by the open records, not the input size.
- ``to_arrow`` / ``to_pandas``: a ``GestureTable`` as a pyarrow Table or a
  pandas DataFrame (also ``GestureTable.to_arrow()`` / ``.to_pandas()``).
- ``table_columns``: the touch columns of a pyarrow Table or pandas
  DataFrame, with a column mapping (what ``classify(table, columns=...)`` uses).
- ``concat_tables``: GestureTables of consecutive chunks as one table.

pyarrow and pandas are the optional extra ``arrow``; Dask is in
``gestcore.dask`` (extra ``dask``).
"""

from gestcore.pipelines.classifier import Classifier, concat_tables
from gestcore.pipelines.frames import table_columns, to_arrow, to_pandas

__all__ = ["Classifier", "concat_tables", "table_columns", "to_arrow", "to_pandas"]

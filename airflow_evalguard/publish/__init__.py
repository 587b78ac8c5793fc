"""The publish layer: a check's result, rendered (report/) and written (store/) through one RunLayout.

Above both: `report/` turns result dicts into HTML and SVG and knows nothing of stores; `store/`
moves bytes and knows nothing of reports. This layer decides what a stored run is made of:

- `artifacts`: write one result (tables, report.html, then result.json, the commit marker) and
  return a new result that lists their URIs;
- `read`: read a committed result back, refusing what it cannot read;
- `summary`: the run summary page of a DAG run's gates, and `evalguard report`.
"""

"""feedback_provenance (problem 10): the staging thumbs-down button feeds training.

Feedback rows proposed as training data are only as good as where they came from. Each row must
come from an allowed environment and surface, carry consent, and hold no PII or secrets in any
column that can hold text (the text, author ids, notes, JSON objects; `scan_columns` narrows
that); the accepted set must not be dominated by one author or by employees testing the product.
Every input row lands in exactly one of `accepted.parquet` or `quarantine.parquet` (with its
reasons), so the gate doubles as the filter the next task reads from. Nothing is dropped.

Each output keeps the input's columns and dtypes and holds nothing of the other's rows: strings
are read as strings (a categorical cut from the input would carry the input's whole category
list, rejected rows' text included, into the file as its dictionary), categoricals of the input
are rebuilt from each table's own values. With pii_action="redact" every match is redacted in
every scanned column of both tables (undecodable text bytes included); evidence, report and
messages show data only after redaction by every detector, whatever `pii` and `scan_columns` say.

Shares here are facts about this set, not estimates of a population: the set is what will be
trained on, so the limits apply to the observed shares directly, without intervals.

Modules: `spec` (inputs, parameters), `read` (the candidate rows; which columns can hold text),
`scan` (PII per column, each hit cell redacted in its own type), `rules` (a mask per rule),
`outputs` (the accepted and quarantine tables), `evidence` (quarantined rows, redacted),
`rejection` and `concentration` (the two parts), `words` (sentences), `decide` (puts them together).
"""

"""Inputs read from the logs eval harnesses write: Inspect AI, lm-evaluation-harness, promptfoo.

An input such as ``{"inspect_log": "s3://evals/run-42/xstest.eval"}`` names a harness log; it is
read into one pandas DataFrame when the gate runs (`harnesses.resolve.read_harness_input`), never
when a DAG file is parsed. `harnesses.forms` checks the shape of such an input without pandas or
any file access, so operators can refuse a malformed one at parse time. Imports nothing.
"""

"""A check written only in its own package, registered by one line: tests/checks/test_new_check.py."""

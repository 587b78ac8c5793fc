"""Errors EvalGuard raises on purpose; no Airflow import so checks stay usable anywhere."""


class EvalGuardInputError(ValueError):
    """Bad input or bad parameters: retrying cannot help.

    The CLI turns it into exit code 2 with the message only; the operators turn it into a failure
    without retry. The message names the input, the column and a few offending rows.
    """

    MAX_CHARS = 1_000  # one readable line: an echoed 10 KB cell must not flood a log or a terminal

    def __init__(self, message: str, *, input_name: str | None = None, column: str | None = None):
        message = str(message)
        if len(message) > self.MAX_CHARS:
            message = f"{message[: self.MAX_CHARS]}... ({len(message) - self.MAX_CHARS} more characters)"
        super().__init__(message)
        self.input_name = input_name
        self.column = column

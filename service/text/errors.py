"""Input errors raised by the text layer. All are `InputError`s with a stable `code`.

They live here (not in `service/errors.py`) so the text package owns its own failures;
`service.text` re-exports them.
"""

from service.errors import InputError


class EmptyInputError(InputError):
    """The article is empty, or nothing is left once boilerplate is removed."""

    code = "empty_input"


class EncodingError(InputError):
    """Bytes that are not valid UTF-8."""

    code = "not_utf8"


class InputTooLargeError(InputError):
    """The article is longer than the configured limit."""

    code = "input_too_large"


class NotItalianError(InputError):
    """The text is clearly in another language."""

    code = "not_italian"


class SegmentTooLongError(InputError):
    """A piece of text cannot be split small enough to fit the model's chunk budget."""

    code = "segment_too_long"

"""The exceptions entigraph raises. Everything derives from EntigraphError, so a caller
(the CLI, a notebook) can catch one class; messages name the bad value."""


class EntigraphError(Exception):
    """Base class for every error entigraph raises on purpose."""


class InputError(EntigraphError):
    """An input path, file or row cannot be used."""


class ModelError(EntigraphError):
    """The spaCy pipeline cannot be found or loaded."""


class OutputError(EntigraphError):
    """An output file cannot be written."""


class NothingUsableError(InputError):
    """The inputs held no document with text: there is nothing to build."""

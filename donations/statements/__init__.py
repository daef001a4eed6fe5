"""Reading uploaded spreadsheets: bank statements and collection-round lists.

Files are recognised by their content, never their name: an XLSX is a zip holding
``[Content_Types].xml``; a CSV is text that decodes as UTF-8 (with or without BOM) or
Windows-1258/1252. Every refusal is a ``FileRefused`` with a Vietnamese message.
"""

from donations.statements.files import (
    MAX_FILE_BYTES,
    FileRefused,
    read_rows,
    sniff,
)
from donations.statements.parse import ParsedLine, fingerprints, parse_statement

__all__ = [
    "MAX_FILE_BYTES",
    "FileRefused",
    "ParsedLine",
    "fingerprints",
    "parse_statement",
    "read_rows",
    "sniff",
]

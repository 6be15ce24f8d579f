"""The record reader: text, PDF (text layer and OCR), images and FHIR R4, without Django.

`read_file` dispatches on the file's content and extension; every failure becomes a document
with an `error`, never an exception, so one bad file never stops a case.
"""

from medreview.core.reading.files import read_file
from medreview.core.reading.model import Fact, Hints, Page, ReadFile, SourceDocument

__all__ = ["Fact", "Hints", "Page", "ReadFile", "SourceDocument", "read_file"]

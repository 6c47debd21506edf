"""``mirco import``: start a module from an existing document (DOCX, ODT, Markdown,
HTML), read with pandoc. See docs/import.md."""

from mirco_lms.importer.module import TODO, Attention, ImportResult, import_document
from mirco_lms.importer.pandoc import DocumentImportError

__all__ = ["TODO", "Attention", "DocumentImportError", "ImportResult", "import_document"]

"""Certificates: who earned one (``eligibility``), the records in the collector's database
(``records``), the printed PDF (``pdf``), the signed Open Badges 3.0 credential
(``badge``, ``keys``) and issuing them all at once (``issue``). See
``docs/certificates.md``."""

"""Reports over the collector's statements: completions, knowledge gain, item analysis,
progress.

``ReportSpec`` (:mod:`.spec`) → SQL over the flattened view ``mirco_statements_flat``
(:mod:`.data`) → :class:`~.model.Report` (:mod:`.run`) → terminal table, CSV, JSON or one
self-contained HTML page (:mod:`.render`, :mod:`.html`). The xAPI vocabulary the reports
read is in :mod:`.profile` (documented in ``docs/xapi-profile.md``).
"""

"""Reports over the collector's statements: completions, knowledge gain, item analysis,
progress — each a kind registered in :mod:`.kinds`.

``ReportSpec`` (:mod:`.spec`, checked by :func:`.kinds.parse_spec`) → SQL over the
flattened view ``mirco_statements_flat`` through a
:class:`~mirco_lms.lrs.store.reads.ReportSource` (:mod:`.data`) → the kind's tables,
charts and notes → :class:`~.model.Report` (:mod:`.run`) → terminal table, CSV, JSON or
one self-contained HTML page (:mod:`.render`, :mod:`.html`). The xAPI vocabulary the
reports read is in :mod:`mirco_lms.xapi.profile` (documented in ``docs/xapi-profile.md``).
"""

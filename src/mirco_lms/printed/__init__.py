"""Printed documents for classroom delivery: the trainer's guide, the participant
handbook and the paper tests, one set per module and language.

Each document is an HTML page rendered from the theme's ``print/`` templates and laid
out as a PDF by :func:`mirco_lms.render.pdf.html_to_pdf`:

- :mod:`.views` turns a localized module into what the templates show (lessons with or
  without trainer notes, questions on paper with their answer keys);
- :mod:`.papers` draws the versions of a test (A, B…) from its pools, seeded;
- :mod:`.documents` renders each document;
- :mod:`.format` is the ``print`` output format of the formats registry.
"""

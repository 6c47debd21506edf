"""The mirco xAPI profile, shared by the build, the collector and the reports.

:mod:`.profile` holds the vocabulary (verbs, activity types, extensions, categories) and
the activity ids; the build writes the IRIs the runtime sends into each package's course
data, the collector's flattened view and the reports read statements with the same names.
It imports nothing else of mirco, so every part can depend on it.
"""

"""The classroom in the collector: sessions, attendance sheets and paper test results.

A classroom session (:mod:`.sessions`) is a record of its own; attendance and paper
results are read from CSV (:mod:`.sheets`), scored against the module's sources
(:mod:`.scoring`) and stored as xAPI statements of the mirco profile (:mod:`.statements`,
:mod:`.imports`), so that every report reads eLearning and classroom alike.
"""

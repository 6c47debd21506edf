"""Branching scenarios: a case told as situation → choices → consequences → debrief.

Written in a lesson as a ``::: scenario {#id outcome=LO1}`` container (see
``docs/source-format.md``): :mod:`.parse` reads it into the :mod:`.model` and
:mod:`.validate` reports what is wrong at ``file:line``; :mod:`.render` turns it into
HTML the runtime (``runtime/src/scenario.js``) plays one node at a time. Scenarios are
tracked (a SCORM ``choice`` interaction, an xAPI ``answered`` statement with the path),
never scored, and reported by ``mirco report scenarios`` (:mod:`.report`).
"""

from mirco_lms.scenarios.model import Scenario, ScenarioChoice, ScenarioNode

__all__ = ["Scenario", "ScenarioChoice", "ScenarioNode"]

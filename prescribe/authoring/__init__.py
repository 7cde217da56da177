"""Rule-set authoring for exercise prescribers: edit, test, compare and publish safely.

* ``editing`` — pure edits on a rule set's files (``{filename: text}``): set a threshold,
  add / duplicate / disable / delete a rule, add / edit / delete golden cases; every
  result is checked by the engine's loader and comments in the files survive.
* ``casegen`` — "make this a test case" from a past assessment, de-identified.
* ``gate`` — the publish gate: load, lint and every golden case.
* ``impact`` — replay a draft against the published rules over recent assessments.
* ``versions`` — numbering, hashes, changelog, roll-back and the table-shaped diff.

Nothing here imports the web stack; the web app stores the files and calls these.
"""

"""The safety words breathpace shows: once on first run, and wherever help is asked for.

They live in one module as plain text so the first-run notice, `--help`, the README and
the home screen all say exactly the same thing, and so a clinician reviewing the wording
has one place to read it.
"""

from __future__ import annotations

#: One line, for help footers and the home screen.
SAFETY_SHORT = (
    "Not a diagnosis or a substitute for a clinician. Stop before pain, and get prompt care "
    "for red flags: saddle numbness, new bladder or bowel trouble, worsening leg weakness, "
    "fever or unexplained weight loss, or pain after a fall or injury."
)

#: The full notice, shown once on first run and findable in help. Short and calm.
#: Wrapped at 72 columns, so the first-run notice (74 columns wide in an 80-column
#: terminal) and plain mode show it without breaking a line in the middle.
SAFETY_NOTICE = """\
Before you start

breathpace guides gentle, breath-paced movement. It is not a diagnosis
and not a substitute for a physiotherapist or doctor who knows your
back.

- Move slowly and stop before pain. Mild effort or stretch is fine;
  sharp, spreading or worsening pain is a signal to stop and rest.
- Change one thing at a time and notice how your back feels over the
  next day or two.
- If your back pain comes with any of these, do not exercise: get
  medical care promptly.
    * numbness or tingling in the saddle area (between the legs,
      buttocks, inner thighs)
    * new trouble with your bladder or bowels (leaking, or difficulty
      passing urine)
    * weakness in a leg that is getting worse
    * fever, or weight loss you cannot explain
    * pain that started after a fall or an injury
"""

__all__ = ["SAFETY_NOTICE", "SAFETY_SHORT"]

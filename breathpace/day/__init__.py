"""The day plan: capsules at the edges of the day and before long sitting."""

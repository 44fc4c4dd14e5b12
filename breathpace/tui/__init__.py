"""The Textual interface: home, the guided player, breathing practice and help.

Everything here only reads the Player: timing lives in the timeline and the player,
so a slow frame can never delay or drop a cue. Textual is imported only when one of
these modules is, which keeps `check` and `preview` light.
"""

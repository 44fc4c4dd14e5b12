"""One session, assembled in one place: options, preparation, playing, ending.

No Textual and no click here: the commands, the plain mode and the interface call in.
"""

"""The pure timing engine: routine + pace -> Timeline of exact, contiguous segments."""

from breathpace.timeline.compile import TimelineTooLong, compile, pace_for
from breathpace.timeline.segment import Breath, Kind, Mark, Segment
from breathpace.timeline.timeline import Timeline

__all__ = [
    "Breath",
    "Kind",
    "Mark",
    "Segment",
    "Timeline",
    "TimelineTooLong",
    "compile",
    "pace_for",
]

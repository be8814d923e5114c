"""Compare (C6-C10): what the articles of one story share, add and dispute.

`compare_story` (in `story.py`) is the stage function; it returns a `StoryAnalysis`.
"""

from newsprism.compare.story import compare_story

__all__ = ["compare_story"]

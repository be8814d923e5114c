"""Word lists for deciding that two figures count the same thing in the same event.

Each group is one meaning; a word maps to its group's first member. The embedder catches the rest
("troops" ~ "soldiers"), with the thresholds below, measured on all-MiniLM-L6-v2 (int8):
troops/soldiers 0.89, detained/arrested 0.73, killed/died 0.79, but killed/injured 0.40,
journalists/people 0.36, countries/republics 0.51.
"""

from __future__ import annotations

UNIT_GROUPS: tuple[tuple[str, ...], ...] = (
    ("troop", "soldier", "peacekeeper", "serviceman", "servicemen", "paratrooper", "personnel"),
    ("person", "people", "persons", "individual", "resident"),
    ("protester", "demonstrator", "protestor"),
    ("death", "fatality", "life", "dead", "victim"),
    ("dollar", "usd", "$", "us$"),
    ("euro", "eur", "€"),
    ("pound", "gbp", "£", "sterling"),
    ("percent", "per cent", "%", "percentage point"),
)

# Events: lemmas (and nominalisations) that describe one happening.
EVENT_GROUPS: tuple[tuple[str, ...], ...] = (
    ("detain", "arrest", "jail", "imprison", "detention", "arrested", "custody"),
    ("kill", "die", "death", "dead", "claim", "slay", "perish", "fatality"),
    ("injure", "wound", "hurt", "injury"),
    ("evacuate", "evacuation", "flee", "displace"),
    # A contingent's size is one figure whether the report is about sending it or pulling it
    # out: "about 2,500 sent in" and "over 2,000 have begun withdrawing" count the same force.
    (
        "deploy",
        "deployment",
        "send",
        "dispatch",
        "despatch",
        "station",
        "withdraw",
        "withdrawal",
        "pullout",
        "pull",
        "leave",
        "return",
    ),
    ("cost", "total", "damage", "loss"),
    ("vote", "ballot"),
    # Onlookers: "two dozen people watched", "as many as 24 may have witnessed". (Not "attend":
    # the crowd at an event is another count than those who saw what happened there.)
    ("witness", "watch", "see", "view", "observe"),
    # A sum or rise handed over, told from either side: "gave him a 20% rise", "received".
    ("give", "hand", "receive", "award", "grant"),
    ("rise", "increase", "grow", "climb", "jump"),
    ("fall", "decrease", "drop", "decline", "plunge"),
)

# Nouns of events -> their verb, for durations, which compare events narrowly ("a week-long
# deployment" and "10 days to withdraw" are different lengths of different things).
NOMINALISATIONS: dict[str, str] = {
    "withdrawal": "withdraw",
    "pullout": "withdraw",
    "deployment": "deploy",
    "detention": "detain",
    "evacuation": "evacuate",
    "injury": "injure",
    "death": "die",
    "killing": "kill",
    "arrest": "arrest",
    "investigation": "investigate",
    "operation": "operate",
    "trial": "try",
    "visit": "visit",
    "strike": "strike",
    "ceasefire": "ceasefire",
    "sentence": "sentence",
}

# Verbs that carry no event of their own: look through them to a complement or their subject
# ("have begun withdrawing" -> withdraw; "the withdrawal would take 10 days" -> withdrawal).
LIGHT_VERBS: frozenset[str] = frozenset(
    {
        "be",
        "have",
        "begin",
        "start",
        "continue",
        "take",
        "say",
        "tell",
        "report",
        "add",
        "make",
        "get",
        "become",
        "remain",
        "seem",
        "appear",
        "include",
        "reach",
        "put",
        "expect",
        "estimate",
        "believe",
        "number",
        "stand",
        "see",
        "show",
        "hit",
        "mark",
    }
)

# "claiming dozens of lives" counts deaths: (event, unit) pairs that re-read as another pair.
UNIT_EVENT_REWRITES: dict[tuple[str, str], tuple[str, str]] = {
    ("claim", "life"): ("kill", "person"),
    ("take", "life"): ("kill", "person"),
    ("lose", "life"): ("kill", "person"),
}

# Irregular plurals -> singular (regular "-s"/"-es"/"-ies" are handled in code).
IRREGULAR_PLURALS: dict[str, str] = {
    "people": "person",
    "lives": "life",
    "children": "child",
    "men": "man",
    "women": "woman",
    "police": "police",
    "personnel": "personnel",
    "servicemen": "serviceman",
    "news": "news",
    "series": "series",
    "species": "species",
}

# Duration units in days, so "2 weeks" and "14 days" compare.
DURATION_DAYS: dict[str, float] = {
    "second": 1 / 86_400,
    "minute": 1 / 1_440,
    "hour": 1 / 24,
    "day": 1,
    "night": 1,
    "week": 7,
    "fortnight": 14,
    "month": 30.44,
    "year": 365.25,
    "decade": 3_652.5,
    "century": 36_525,
}

# Modifiers that split one count into different counts ("Russian troops" vs "Belarusian troops",
# "wounded" vs "dead"). Capitalised modifiers (nationalities, places) are compared too.
CONTRAST_MODIFIERS: frozenset[str] = frozenset(
    {
        "foreign",
        "local",
        "wounded",
        "injured",
        "dead",
        "missing",
        "new",
        "total",
        "additional",
        "more",
        "other",
        "remaining",
        "civilian",
        "military",
        "female",
        "male",
        "daily",
        "annual",
        "monthly",
        "weekly",
    }
)

# Embedding thresholds (cosine) for unit words and event words not in the groups above.
UNIT_SIMILARITY = 0.80
EVENT_SIMILARITY = 0.70
# Money and percentages share units too easily ("$"): their sentences must be this similar too.
CONTEXT_SIMILARITY = 0.55

# Events whose counts only grow (tolls, arrests): a higher figure in a later report is an update.
CUMULATIVE_EVENTS: frozenset[str] = frozenset(
    {"detain", "kill", "injure", "evacuate", "infect", "die", "arrest"}
)
# Counts: the two sentences must share at least this much meaning (embedding cosine), so "5 people
# killed in Monday's blast" is not weighed against "50 people killed since the war began".
COUNT_CONTEXT_SIMILARITY = 0.30

# Measurements (not counts of things): two distances or temperatures in one story are often of
# different things ("hiking 30 miles a day", "hiked 1,100 miles"), so their sentences must be as
# similar as money's (CONTEXT_SIMILARITY) before they are weighed.
MEASURE_UNITS: frozenset[str] = frozenset(
    {
        "mile", "kilometer", "kilometre", "km", "meter", "metre", "foot", "feet", "inch", "yard",
        "degree", "acre", "hectare", "ton", "tonne", "kilogram", "kg", "gram", "gallon", "liter",
        "litre", "barrel", "mph", "square", "fahrenheit", "celsius",
    }
)  # fmt: skip

# Words that make a figure part of a larger count: "two more soldiers", "another 300 people"
# (increments), "two died at the scene", "including three children" (subsets). A subject with
# such a figure is left alone: its figures do not add up to one number per outlet.
INCREMENT_AFTER = r"^\s+(?:more|other|others|additional|further|extra|new)\b"
INCREMENT_BEFORE = r"\b(?:another|an additional|a further|including|among them|of whom)\s+$"
# A subset cue marks the figure it governs: the one after "including", "among them", "of whom"
# ("of whom 5 died"), the one before "at the scene" or "of them" ("five of them"). The figure
# *before* "including" is the total ("more than a dozen men, including five who ..."), as is
# the one before "of whom".
SUBSET_BEFORE = r"\b(?:including|among them|of whom)\b[^.;:]*$"
SUBSET_AFTER = r"^\s*(?:\S+\s+){0,6}?(?:at the scene|on the scene|on the spot|of them)\b"

# Sentences this similar (embedding cosine) in two articles are one statement: a figure alone of
# its unit in each is one quantity even when the event verbs differ or the parse found none.
ALIGNED_SIMILARITY = 0.65
# ... when their values are within this relative gap (0.5: at most a factor of two apart); counts
# of a named thing pair at any ratio (compare/disagreements.py `_same_subject`).
ALIGNED_MAX_GAP = 0.5
# Two precise figures (at least PRECISE_DIGITS significant digits) within NEAR_VALUE_RATIO of
# each other in related sentences (cosine >= NEAR_VALUE_CONTEXT) are one quantity stated twice.
NEAR_VALUE_RATIO = 0.05
PRECISE_DIGITS = 3
NEAR_VALUE_CONTEXT = 0.45
# Values this close (relative gap) are matched first when a figure has several candidates.
SAME_VALUE_RATIO = 0.01

# Words that make an unresolved year a period of its own ("last year", "this year", "the past
# year"); without one ("the year", "a year's work") the year is too vague to split figures.
YEAR_DIRECTIONS: frozenset[str] = frozenset(
    ["last", "this", "next", "past", "previous", "coming", "current", "prior", "following"]
)

# Light verbs that are events when the counted people are their subject: "the year saw 2
# million visitors" (light) against "2 million people saw the shroud" (they saw it).
PERCEPTION_VERBS: frozenset[str] = frozenset(["see"])
# Verbs of going somewhere whose event is what the counted went for ("came to see").
MOTION_VERBS: frozenset[str] = frozenset(["come", "go", "flock", "travel", "gather"])

# Names two aligned sentences must share for their measures (miles, degrees) to be one measure
# at any ratio: one shared name is a topic, two pin the places and people measured between.
MEASURE_SHARED_NAMES = 2

"""Word lists and patterns for the plain-text line rules of `newsprism.clean.lines`.

Each rule names one kind of web debris that survives HTML extraction or comes with plain-text
copies of web pages. Patterns match a *whole line* (after stripping), so a sentence in the body
that merely mentions "subscribe" or "Reuters" is never touched. Thresholds live here too, so the
rules can be tuned in one place and measured with `newsprism eval extraction`.
"""

from __future__ import annotations

import re

# Removal reasons (stable strings: they are shown to users and stored with each article).
REASON_TEASER = "link teaser"
REASON_LOADER = "player or loader text"
REASON_CREDIT = "photo credit"
REASON_CAPTION = "caption repeated in the text"
REASON_REPEAT = "repeated paragraph"
REASON_PROMPT = "share or newsletter prompt"
REASON_NOTICE = "copyright or contributor notice"
REASON_LINK = "bare link or timestamp"
REASON_TRAILING = "trailing fragment"
REASON_TITLE = "title repeated in body"

_I = re.IGNORECASE

# Lines longer than this are body text, whatever they start with.
MAX_DEBRIS_WORDS = 60
# A repeated line shorter than this may legitimately recur ("* * *", a subheading, a recipe
# step); repeated questions (interviews) and list items or table rows (specs) recur on purpose.
MIN_REPEAT_WORDS = 10
REPEAT_EXEMPT = re.compile(r"^(?:[-*•|]\s|\d+[.)]\s)|\?[\"”’']?$")
# A last line at most this long, without sentence punctuation, is a stray fragment.
MAX_TRAILING_WORDS = 5
MAX_TRAILING_CHARS = 40
# A plain-text first line at most this long (and not a sentence) reads as a headline.
MAX_HEADLINE_WORDS = 25
MAX_HEADLINE_CHARS = 200

# "READ MORE: ...", "Related: ...", "See also - ...", "[Related: ...]", "(Read more: ...)".
_TEASER_LEADS = (
    r"read more|read also|also read|read next|more reading|further reading|see also|see more"
    r"|related|related (?:articles?|stories|story|posts?|content|coverage|links?|reading|news)"
    r"|recommended(?: for you| reading)?|more on this(?: story)?|more from [\w .'’-]{1,30}"
    r"|also on [\w.-]+\.\w{2,}|also|watch|watch more|listen|you may also like|you might also like"
    r"|don['’]t miss|most read|most popular|trending(?: now)?|top stories|editor['’]s picks?"
)
TEASER_PATTERNS: tuple[re.Pattern[str], ...] = (
    re.compile(rf"^[\[(]?(?:{_TEASER_LEADS})\s*[:|»>–—-]\s*\S.*$", _I),
    # "Also on rt.com Journalists threatened with ..." (no separator after the domain)
    re.compile(r"^also on [\w-]+\.\w{2,}\s+\S.*$", _I),
    # Alone on a line: "Read more", "Related", "You may also like...", "DON'T MISS".
    re.compile(
        rf"^[\[(]?(?:{_TEASER_LEADS}|more|show more|continue reading|read the full story"
        r"|read full article|click to tweet|explore further)\s*(?::|\.\.\.|…)?[\])]?$",
        _I,
    ),
    # Tabloid teaser headlines tagged at the end: "Plague fears grow [VIDEO]", "... [INSIGHT]|".
    re.compile(
        r"^.{3,200}\s\[(?:video|videos|insight|watch|pictures|pics|photos|gallery|poll|latest"
        r"|analysis|warning|reveal|reaction|news|live|comment|explained|quiz|update)\]\s*\|?$",
        _I,
    ),
    # "Filed under: Politics |", "Tags: a, b, c"
    re.compile(r"^(?:filed under|tags|tagged|topics|categories)\s*:.*$", _I),
)

# Player, loader and ad-slot text that stands alone on a line.
LOADER_PATTERNS: tuple[re.Pattern[str], ...] = (
    re.compile(
        r"^(?:loading|advertisement|advertisements|advert|ad|sponsored(?: content)?|skip ad"
        r"|(?:story|article) continues (?:below|after)(?: (?:the )?advertisement)?"
        r"|continue reading (?:below|the main story)|scroll (?:down )?to continue(?: reading)?"
        r"|please wait|play video|watch video|replay video|click to play|video player"
        r"|this video (?:is unavailable|has been removed)|video unavailable"
        r"|(?:an|sorry,? an?) error (?:has )?occurred(?:,? please try again(?: later)?)?"
        r"|there was an error processing your (?:request|subscription)"
        r"|your browser does not support .{1,60}|(?:please )?enable javascript.{0,60}"
        r"|javascript (?:is )?(?:disabled|required).{0,60}|thanks? (?:you )?for signing up"
        r"|image|photo|view gallery|view comments|comments|(?:\d+ )?comments?"
        r"|share|share this|share this article|tweet|email|print|print article|order reprints"
        r"|sorry|thank you)\s*[.!…]*$",
        _I,
    ),
)

# News agencies and picture libraries, as they appear in credit lines.
AGENCIES: frozenset[str] = frozenset(
    {
        "aa",
        "afp",
        "afp via getty images",
        "alamy",
        "anadolu",
        "anadolu agency",
        "ap",
        "ap photo",
        "associated press",
        "bloomberg",
        "dpa",
        "efe",
        "epa",
        "epa-efe",
        "getty",
        "getty images",
        "istock",
        "istockphoto",
        "pa",
        "pa images",
        "pa wire",
        "reuters",
        "rex",
        "rex features",
        "shutterstock",
        "sputnik",
        "tass",
        "xinhua",
    }
)
# "Photo: Reuters", "Image credit: NASA", "Photograph by Jane Doe/AFP", "(Photo: AP)".
CREDIT_PATTERNS: tuple[re.Pattern[str], ...] = (
    re.compile(
        r"^[\[(]?(?:photo|photos|photograph|image|images|picture|pic|video|illustration|file photo"
        r"|credit|photo credit|image credit|source|photo source)(?:\s+by\s+|\s*[:/|©]\s*)©?\s*"
        r"[\w .,'’&/-]{1,60}[\])]?$",
        _I,
    ),
)
# Separators inside a credit line: "Jane Doe/AFP via Getty Images", "Reuters | File".
CREDIT_SPLIT = re.compile(r"\s*(?:/|\||,|;|\bvia\b)\s*", _I)
MAX_CREDIT_WORDS = 8

# Share, follow and newsletter prompts.
PROMPT_PATTERNS: tuple[re.Pattern[str], ...] = (
    re.compile(
        r"^(?:sign up|signup|subscribe|follow (?:us|him|her|them|me) (?:on|at)|follow @"
        r"|follow .{1,60}\b(?:on|at) (?:twitter|facebook|instagram|youtube|linkedin|tiktok)"
        r"|like us on|share (?:this|it|on|via)|click here|tap here|get (?:the|our)"
        r" .{0,60}\b(?:app|newsletters?|alerts?|updates)\b|download (?:the|our) .{0,40}\bapp\b"
        r"|join (?:us|our|the conversation)|keep an eye on your inbox|never miss|want more"
        r"|don['’]t miss out|like this (?:story|article)\?|tell us what you think|have a tip\?"
        r"|enjoyed this (?:story|article)|if you enjoyed this|we['’]d like to hear|listen to .{0,40}"
        r" (?:live|podcast)|subscribe to)(?!\w).*$",
        _I,
    ),
    # Any short line that pushes a newsletter: "The Morning Review newsletter, in your inbox".
    re.compile(
        r"^(?=.*\bnewsletters?\b)(?=.*\b(?:sign(?:ing)? up|subscrib\w*|inbox|delivered)\b).*$",
        _I,
    ),
    # "Email Jane Doe at jane@example.com", "Reach the reporter at ..."
    re.compile(
        r"^(?:email|e-mail|contact|reach|write to) .{0,80}(?:\S+@\S+\.\w+|\bon twitter\b|@\w+).*$",
        _I,
    ),
)

# Copyright lines and wire-service contributor notes.
NOTICE_PATTERNS: tuple[re.Pattern[str], ...] = (
    re.compile(r"^(?:copyright|©|\(c\)|ⓒ)\s.*$", _I),
    re.compile(r"^.{0,80}\ball rights reserved\b.{0,40}$", _I),
    re.compile(r"^this (?:copy|article|material) is for your personal.*$", _I),
    re.compile(
        r"^\(?(?:reporting|writing|editing|additional reporting|compiled|edited) by\b.*$", _I
    ),
    re.compile(
        r"^.{0,200}\bcontributed (?:to )?(?:this )?report(?:ing)?(?: (?:from|in) [\w ,.'’-]{0,60})?"
        r"[.)]*$",
        _I,
    ),
)

# An e-mail address or timestamp standing alone on a line. (Bare URLs stay: articles cite
# sources that way, and the gold texts of scrapinghub_aeb keep them.)
LINK_PATTERNS: tuple[re.Pattern[str], ...] = (
    re.compile(r"^[\w.+-]+@[\w-]+\.[\w.-]+$"),
    re.compile(
        r"^\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2})?(?:\.\d+)?(?:Z|[+-]\d{2}:?\d{2})?)?$"
    ),
    # A short line holding a clock time or a numeric date and no sentence: "5:45 AM PST 11/19/2019
    # by Jane Doe", "Posted: 22 Oct 2010 | 20:13".
    re.compile(
        r"^(?![^\n]*[.!?:;]$)(?=.*(?:\b\d{1,2}:\d{2}\b|\b\d{1,2}/\d{1,2}/\d{2,4}\b)).{1,80}$"
    ),
    re.compile(
        r"^(?:updated|published|posted|last updated|first published)(?=.*\d)\s*(?:at|on)?\s*:?\s*"
        r"[\w ,:./-]{0,40}$",
        _I,
    ),
)

# Endings that make a line a sentence (or a closed quotation) rather than a fragment.
SENTENCE_END = re.compile(r"[.!?…:;\"”’'»)\]]$")
# A plain-text first line ending like this continues into the next line: not a headline.
NOT_HEADLINE_END = re.compile(r"[.,;:\-–—•]$")

# Sentence rules (`newsprism.clean.debris.is_debris`): a sentence matching any of these,
# anywhere in it, is a caption, a credit, a teaser or page furniture, not news. Unlike the line
# rules they search inside a sentence; the summary and the headline skip such sentences, and
# an article made of nothing else is no article (`clean.debris.furniture`).
SENTENCE_PATTERNS: tuple[str, ...] = (
    r"^FILE\s*[-–—]",  # AP photo captions
    r"(?i)\bfile photo\b",
    r"(?i)\b(photo|image|picture|video) (by|credit|courtesy)\b",
    r"(?i)/\s*(staff )?photographer\)",
    r"(?i)^\d+ of \d+\b",  # slideshow counters: "1 of 6."
    r"\.\.\.\s*\(",  # truncated teaser with its source: "... (Associated Press)"
    r"(?i)\b(click here|sign up|subscribe (now|today)|all rights reserved)\b",
    r"(?i)\b(this|the) (story|article) (has been|was) updated\b",
    r"https?://|www\.",
    r"(?i)\b(image|photo|picture) copyright\b",  # "Image copyright Getty Images"
    r"(?i)\bfor your personal,? non-?commercial use\b",  # reprint notices
    r"(?i)^tweet with a location\b|\blocation to your tweets\b",
    # Video-player and gallery furniture scraped into the text ("EMBED More News Videos",
    # "Media playback is unsupported on your device", "CLOSE", "View Images", "Story highlights").
    r"^(?:EMBED|CLOSE|View Images|Story highlights|Play (?:Facebook|Twitter|Video))\b",
    r"(?i)\bmedia playback is unsupported\b|\brating is available when the video\b",
    r"(?i)\binteractive transcript could not be loaded\b",
    r"^(?:Getty Images|AFP/Getty Images|AP Photo|Photo:)\s",  # photo credits opening a caption
    r"(?i)\bthis (?:story|article) appears in the\b.*\bissue of\b",
    # Page notices that make up whole scraped pages: web-archive crawl notices, social-media
    # help text, video-player errors, newsletter promotions, share buttons, encyclopedia
    # disambiguation lines, OCR notices, tip lines.
    r"(?i)\bcrawl(?:s| data)\b.*\barchive|\barchived? pages\b|\bwayback machine\b",
    r"(?i)\byour tweets?\b|\btweet with a location\b|\bwhen you tweet\b",
    r"(?i)\bthis (?:feature|video|content) is not available\b|\bplease try again later\b",
    r"(?i)\bbreaking news (?:emails|alerts)\b|\bget breaking news\b|\bdelivered weekday mornings\b",
    r"(?i)\bclick to (?:email|share|print)\b|\(opens in (?:a )?new window\)",
    r"(?i)\bredirects here\b|\bfor other uses, see\b",
    r"(?i)\bmachine-read text\b|\buncorrected (?:material|proofs?)\b",
    r"(?i)^anyone with (?:any )?information\b.*\b(?:call|contact)\b",
    r"(?i)^(?:image )?caption\s|^watch (?:the|our) (?:report|video)\b",
    r"\bimage:\d+",  # a CMS image reference scraped with its caption
    # A photo or video credit closing a caption: "(Photo: Getty Images)", "(Family photos)",
    # "(CNN/YouTube)", "REUTERS/Eric Thayer".
    r"(?i)\((?:[^()]*\b(?:photos?|images?|video|file)\b[^()]*|[^()\s]+/[^()]+)\)\s*$",
    r"\b[A-Z]{2,}/[A-Z][a-z]+(?: [A-Z][a-z]+)+\s*$",
    r"(?i)\(\s*(?:[\w.]+ )?photo\s*/",  # "(AP Photo/Evan Vucci)" anywhere in a caption
    r"(?i)/\s*getty images\b|\bgetty images\s*/",  # "Jane Doe / AFP / Getty Images"
    # Captions that say what they show ("This video from X alleges ...", "In this Feb. 16
    # photo, ...") and caption labels ("Jane Doe, 32, of Chicago").
    r"(?i)^(?:in )?this (?:\w+ )?(?:video|photo|image|picture|handout)\b",
    r"^[A-Z][\w'’.-]*(?: [A-Z][\w'’.-]*){0,3}, \d{1,3}, of [A-Z]",
    r"(?<![\w@])@ ?[A-Za-z_]\w{2,}\b",  # a social-media handle: an embedded post
)

# Verbs of what a photo shows ("A leopard sits in a tree at ...", "A woman waves the flag in
# ..."): in the present tense, with a place, a sentence built on one is a caption
# (`annotate.captions`). Verbs of news in the present ("are searching", "is facing",
# "troops leave", "thousands march") are not here.
CAPTION_VERBS: frozenset[str] = frozenset(
    [
        "pose",
        "gesture",
        "wave",
        "stand",
        "sit",
        "walk",
        "arrive",
        "speak",
        "cheer",
        "react",
        "smile",
        "shake",
        "greet",
        "pray",
        "ride",
        "carry",
        "celebrate",
        "embrace",
        "hug",
        "kneel",
        "lie",
        "applaud",
        "chant",
    ]
)
# Prepositions that place the scene of a caption.
CAPTION_PLACES: frozenset[str] = frozenset(
    {"in", "at", "outside", "inside", "near", "during", "on"}
)

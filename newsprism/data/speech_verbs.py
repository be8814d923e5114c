"""Word lists and thresholds for entities and quotes (annotate/entities, annotate/quotes,
compare/entities, compare/quotes). General English news vocabulary, nothing story-specific."""

from __future__ import annotations


def _words(text: str) -> frozenset[str]:
    """The whitespace-separated words of *text*: long lists stay readable."""
    return frozenset(text.split())


# Lemmas of verbs that introduce or attribute speech (checked against spaCy's lemma_).
SPEECH_VERBS: frozenset[str] = _words(
    """
    say tell add warn write state declare announce explain note insist argue claim contend
    assert maintain suggest hint mention remark comment observe reply respond answer retort
    ask urge plead demand call describe dub label brand term praise criticise criticize
    condemn accuse blame deny admit acknowledge concede confirm agree disagree complain
    lament predict promise pledge vow threaten boast joke quip recall recount report reveal
    disclose tweet post shout scream yell whisper mutter exclaim cry testify stress emphasise
    emphasize reiterate repeat continue conclude caution advise recommend propose charge allege
    counter concur quote characterize characterise decry deride dismiss mock slam blast hail
    welcome thank apologize apologise estimate forecast guess speculate wonder vow concede
    signal indicate inform assure affirm proclaim chant sing read lash rail muse opine
    rave gush grumble snap fire hit
    """
)
# Speech verbs that only attribute when a quote is their object or clause ("called it X").
WEAK_SPEECH_VERBS: frozenset[str] = frozenset({"call", "describe", "label", "term", "dub"})

# Words of a title before a name ("Kazakh Deputy Defence Minister Mukhamedzhan Talasov").
TITLE_WORDS: frozenset[str] = _words(
    """
    president vice prime minister deputy secretary general lieutenant lt lt. gen gen. colonel
    col col. major maj maj. captain capt capt. commander admiral sergeant sgt chief governor
    gov gov. senator sen sen. representative rep rep. congressman congresswoman mayor judge
    justice ambassador chancellor premier king queen prince princess sheikh emir pope
    bishop archbishop cardinal rev rev. reverend father sister brother dr dr. doctor professor
    prof prof. mr mr. mrs mrs. ms ms. miss sir dame lord lady chairman chairwoman chair
    director spokesman spokeswoman spokesperson speaker leader head foreign defence defense
    interior finance justice state home health trade energy economy security affairs national
    retired former acting interim first attorney counsel envoy commissioner president-elect
    candidate nominee officer inspector superintendent marshal
    """
)
# Titles that name a person's office on their own ("President Tokayev"): aliases of people.
HEAD_TITLES: frozenset[str] = _words(
    """
    president minister secretary general senator sen governor gov mayor chancellor premier
    king queen prince princess judge ambassador commander colonel captain admiral sheikh emir
    pope bishop professor prof dr rev sgt lt
    """
)
# A person's name has at most this many words (longer PERSON spans are title-case headlines).
NAME_MAX_WORDS = 4
# Honorifics kept with a name in a speaker mention ("Mr Blinken").
HONORIFICS: frozenset[str] = frozenset(
    {"mr", "mr.", "mrs", "mrs.", "ms", "ms.", "miss", "dr", "dr.", "sir", "dame", "lord", "lady"}
)
# Function words inside titles and organisation names ("Secretary of State").
NAME_CONNECTORS: frozenset[str] = frozenset({"of", "the", "and", "for", "de", "&", "on"})

# Demonyms and group adjectives: NORP, never a person ("Kazakh", "Russian").
DEMONYMS: frozenset[str] = _words(
    """
    american americans british briton britons english scottish welsh irish french german
    germans italian italians spanish portuguese dutch belgian swiss austrian polish czech
    slovak hungarian romanian bulgarian greek turkish turks russian russians ukrainian
    ukrainians belarusian belarusians kazakh kazakhs kazakhstani uzbek tajik kyrgyz turkmen
    armenian armenians azerbaijani georgian chinese japanese korean vietnamese thai indian
    indians pakistani afghan afghans iranian iranians iraqi iraqis syrian syrians lebanese
    israeli israelis palestinian palestinians jordanian saudi egyptian libyan tunisian
    algerian moroccan nigerian kenyan ethiopian somali sudanese african africans european
    europeans asian asians canadian canadians mexican mexicans brazilian argentine
    argentinian chilean colombian venezuelan cuban australian australians swedish norwegian
    danish finnish estonian latvian lithuanian serbian croatian bosnian albanian soviet
    post-soviet ex-soviet western eastern arab arabs muslim muslims christian christians
    jewish jews catholic catholics protestant islamist islamists sunni shia shiite kurdish
    kurds republican republicans democrat democrats democratic conservative conservatives
    liberal liberals labour hispanic latino latina latinos black white asian-american
    african-american
    """
)

# Pronouns that can stand for a speaker, by the entity type they may refer to.
PERSON_PRONOUNS: frozenset[str] = frozenset({"he", "she", "him", "her", "i"})
GROUP_PRONOUNS: frozenset[str] = frozenset({"they", "them", "we", "it"})

# Quote marks: openers, closers, and marks that are both (straight quotes).
OPEN_QUOTES = "\u201c\u201e\u00ab"
CLOSE_QUOTES = "\u201d\u00bb"
STRAIGHT_QUOTES = '"'
OPEN_SINGLE = "\u2018"
CLOSE_SINGLE = "\u2019"

# A quote is "partial" when it is embedded in the reporter's sentence and has at most this many
# words; longer or free-standing quotes are "direct".
PARTIAL_MAX_WORDS = 5
# A sentence after a quote that ends on "?" or "!" is read as its attribution ("... ?" Doe
# asked.) when it has at most this many words; longer ones are the reporter's next sentence.
TAIL_ATTRIBUTION_MAX_WORDS = 8
# Quotes with more words than this are never titles of works or nicknames.
TITLE_MAX_WORDS = 6
# How many paragraphs back a pronoun or description may look for its antecedent.
ANTECEDENT_WINDOW_CHARS = 1500

# Quote grouping across outlets: rapidfuzz partial_ratio on normalised words.
QUOTE_MATCH_RATIO = 90.0
# Whole-wording similarity at which two quotes are one quote with changed words (altered).
QUOTE_ALTERED_RATIO = 85.0
# A fragment shorter than this many words matches only when its words are equal.
QUOTE_MIN_FUZZY_WORDS = 4

# Entity types kept by find_entities; others (DATE, CARDINAL, ...) belong to other annotators.
KEPT_LABELS: frozenset[str] = frozenset({"PERSON", "ORG", "GPE", "NORP", "LOC", "FAC", "EVENT"})
# When mentions of one entity disagree on the label, the earlier label wins a tie.
LABEL_PRIORITY: tuple[str, ...] = ("PERSON", "ORG", "GPE", "NORP", "LOC", "FAC", "EVENT")
# Nouns that name organisations in definite descriptions ("the ministry said").
ORG_NOUNS: frozenset[str] = _words(
    """
    ministry department agency office government administration alliance bloc organisation
    organization committee commission council party campaign company firm bank court police
    army military service group union authority authorities embassy kremlin club team school
    university hospital league federation association foundation institute board church
    """
)

"""Word classes for attribution discipline (annotate/speakers): which subjects of a speech verb
are placeholders for a speaker rather than the speaker, and which frames hand quoted words to
someone other than the subject. General English news vocabulary, nothing story-specific.

A placeholder never becomes a speaker's name itself. It resolves to the person (or body) the same
clause names for it, or the quote stays unnamed:

- documents (``DOCUMENT_NOUNS``): their author, written as a possessive ("Doe's statement"),
  "from"/"by" ("a statement from Doe's lawyer, Ann Roe"), "issued by", or as the subject of
  an authoring verb ("Doe wrote an article that said").
- agents (``AGENT_NOUNS``): people who speak for someone else. Only their own name counts
  (apposition: "his lawyer, Ann Roe"); the person they speak for ("Doe's lawyer") did not say it.
- media (``MEDIA_NOUNS``, outlet names ending in ``OUTLET_TAIL_WORDS``, titles of shows): only
  a person named in apposition.
- labels at a line start ("UPDATE:", a bare word alone on its line): never a speaker.
"""

from __future__ import annotations


def _words(text: str) -> frozenset[str]:
    """The whitespace-separated words of *text*: long lists stay readable."""
    return frozenset(text.split())


# Things that carry someone's words without being someone (lemmas, lower case).
DOCUMENT_NOUNS: frozenset[str] = _words(
    """
    statement release letter memo memorandum email e-mail tweet post message note filing
    complaint lawsuit suit motion brief affidavit indictment report ad advertisement spot
    commercial video clip announcement communique communiqué transcript document petition
    notice website page op-ed column editorial essay article book speech remark remarks missive
    comment comments text readout summary footage recording
    """
)
# People who speak for someone else: the principal ("Doe's lawyer") is never the speaker.
AGENT_NOUNS: frozenset[str] = _words(
    """
    spokesman spokeswoman spokesperson spokesmen spokeswomen spokespeople lawyer lawyers
    attorney attorneys counsel aide aides adviser advisers advisor advisors publicist agent
    representative representatives staffer staffers assistant surrogate surrogates
    """
)
# Programmes and publications: they broadcast or print words, they do not say them.
MEDIA_NOUNS: frozenset[str] = _words(
    """
    show programme program newspaper paper magazine network channel station broadcast
    podcast interview newscast documentary series outlet tabloid daily weekly blog
    """
)
# Last words of outlet names ("The Daily Herald", "Channel 4 News").
OUTLET_TAIL_WORDS: frozenset[str] = _words(
    """
    news times post journal herald tribune gazette telegraph guardian chronicle globe mail
    express magazine radio television tv network show broadcasting daily weekly wire press
    review observer standard examiner inquirer bulletin courier dispatch
    """
)
# Words that head a line as a label, not as a sentence ("UPDATE: ...", "WATCH:").
LINE_LABEL_WORDS: frozenset[str] = _words(
    """
    update updated updates breaking exclusive watch related correction clarification
    developing live listen read more photo photos video advertisement opinion analysis
    editor's note
    """
)
# Verbs whose subject wrote the document they take as object ("Doe wrote an article that
# said ...", "the party issued a statement that said ..."). Not "release" or "publish": one
# releases and publishes the words of others too.
AUTHORING_VERBS: frozenset[str] = _words("write issue send sign tweet pen draft")
# Prepositions that introduce a document's author ("a statement from/by Doe").
AUTHOR_PREPOSITIONS: frozenset[str] = frozenset({"from", "by", "of"})

# Verbs whose object, not subject, owns the quoted words ("agreed with Doe that '...'",
# "echoed Doe"). Without such an object the subject owns them as usual.
CONCUR_VERBS: frozenset[str] = frozenset({"agree", "concur", "side", "echo"})
# Nouns for what someone said: "Doe's claim that '...'" gives the words to Doe.
CLAIM_NOUNS: frozenset[str] = _words(
    """
    claim claims assertion argument contention view views warning assessment suggestion
    promise pledge charge allegation accusation insistence prediction statement remark
    remarks comment comments words description characterization characterisation
    declaration boast vow threat complaint call demand
    """
)

# Possessive pronouns as the pronoun they resolve like ("his statement" -> "he").
POSSESSIVE_PRONOUNS: dict[str, str] = {
    "his": "he",
    "her": "she",
    "their": "they",
    "its": "it",
    "my": "i",
    "our": "we",
}
# How many placeholders deep an author may be looked for ("the statement from the attorney
# of the firm"): deeper chains are parse noise.
MAX_PLACEHOLDER_DEPTH = 3

"""Id schemes are fixed: stored databases and published JSON hold these exact strings.

The expected values were computed with the code before the schemes moved to `newsprism.ids`
(clean, stories/similarity.py, compare/entities.py, dedup/minhash.py); any change to a scheme
fails here.
"""

from __future__ import annotations

import inspect

from newsprism import ids
from newsprism.clean import clean_document
from newsprism.model import RawDocument


def test_article_id_and_raw_ref_of_a_cleaned_document() -> None:
    data = (
        b"Mayor backs the plan\n\nThe mayor said on Monday that the city would back the plan.\r\n"
    )
    article = clean_document(RawDocument(source="mayor.txt", data=data, media_type="text/plain"))
    assert article.id == "9e8207b35a079232"
    assert article.raw_ref == "fffa99dcc7dec372abe0d34ea0f49e904885c4e53e2d209bf9cfff47cb72247d"
    assert article.id == ids.article_id(article.text)
    assert article.raw_ref == ids.raw_ref(data)


def test_story_entity_and_content_ids() -> None:
    assert ids.story_id("19286a8da4ad0839") == "s-e27635b9a414"
    assert ids.entity_id("PERSON", "Kassym-Jomart Tokayev") == "e6c91b9ebb1"
    assert ids.content_hash("The  Mayor said: yes.") == "a2355a5d54ad6acde76e91bb3d5933b798c62d0d"
    assert ids.content_hash("Ünïcode “quoted” TEXT") == "8bf2e4ed9d2a678e061ae2423018a1ac09cb1cb3"
    # Only case, spacing and punctuation are folded: a changed word is another class.
    assert ids.content_hash("the mayor said yes") == ids.content_hash("The  Mayor said: yes.")
    assert ids.content_hash("the mayor said no") != ids.content_hash("the mayor said yes")


def test_the_table_lists_every_scheme() -> None:
    doc = ids.__doc__ or ""
    functions = [
        name
        for name, value in vars(ids).items()
        if inspect.isfunction(value) and value.__module__ == ids.__name__
    ]
    assert {"article_id", "raw_ref", "story_id", "entity_id", "content_hash"} <= set(functions)
    for name in functions:
        assert f"`{name}`" in doc, name

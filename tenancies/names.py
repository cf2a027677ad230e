import functools
import re
import unicodedata

_SEPARATORS = re.compile(r"[\s\-'’‘`´]+")


# Names repeat from one line of an import to the next (Martin, Jean…).
@functools.lru_cache(maxsize=4096)
def normalize_name(name: str) -> str:
    """Compare names the way a person would: "colin nadège" is "COLIN Nadege".

    Case, accents, hyphens, apostrophes and extra spaces are ignored.
    """
    decomposed = unicodedata.normalize("NFKD", name)
    without_accents = "".join(c for c in decomposed if not unicodedata.combining(c))
    return _SEPARATORS.sub(" ", without_accents).strip().casefold()

"""Le fichier des subventions (SCDL « subventions ») : CSV en UTF-8 sans BOM, séparateur virgule, une ligne d'en-tête
aux noms du schéma, fins de ligne CRLF (RFC 4180), comme le fichier d'exemple du schéma. La page
`/opendata/subventions.csv` et `guichet opendata subventions` écrivent ces mêmes octets."""
import csv
import io
from typing import Any, Iterable

from instruction.documents.opendata import COLONNES


def csv_subventions(lignes: Iterable[dict[str, Any]]) -> bytes:
    sortie = io.StringIO()
    ecrivain = csv.DictWriter(sortie, fieldnames=COLONNES, lineterminator="\r\n")
    ecrivain.writeheader()
    ecrivain.writerows(lignes)
    return sortie.getvalue().encode("utf-8")

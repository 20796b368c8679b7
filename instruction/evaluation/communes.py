"""Chercher une commune du territoire par le début de son nom, sans égard aux accents, à la casse ni à la
ponctuation (« bethune », « BÉTHUNE », « saint omer » trouvent « Béthune » et « Saint-Omer »).

Un modèle de lecture pur : l'annuaire est construit une fois par territoire (les noms normalisés, triés), puis
chaque recherche est une recherche dichotomique, quelques microsecondes pour les 3 800 communes des
Hauts-de-France. C'est ce que le formulaire du porteur appelle à chaque lettre tapée (`GET /api/v1/communes`).
"""
import re
import unicodedata
from bisect import bisect_left
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, Optional

from instruction.evaluation.territoire import Commune, Territoire

LIMITE_PAR_DEFAUT = 20
LIMITE_MAX = 50
# Ligatures that NFKD leaves whole: "Œuf" is typed "oeuf".
_LIGATURES = str.maketrans({"œ": "oe", "æ": "ae", "ß": "ss"})
_SEPARATEURS = re.compile(r"[^0-9a-z]+")


def normaliser(texte: str) -> str:
    """« Saint-Étienne-au-Mont » → « saint etienne au mont » : sans accents, en minuscules, la ponctuation
    (traits d'union, apostrophes, espaces répétés) réduite à une espace."""
    decompose = unicodedata.normalize("NFKD", texte.casefold().translate(_LIGATURES))
    sans_accents = "".join(c for c in decompose if not unicodedata.combining(c))
    return _SEPARATEURS.sub(" ", sans_accents).strip()


@dataclass(frozen=True)
class CommuneTrouvee:
    insee: str
    nom: str
    departement: str
    epci: Optional[str]
    departement_nom: Optional[str]
    epci_nom: Optional[str]

    def en_json(self) -> dict[str, Any]:
        return {"insee": self.insee, "nom": self.nom, "departement": self.departement, "epci": self.epci,
                "departement_nom": self.departement_nom, "epci_nom": self.epci_nom}


class AnnuaireCommunes:
    def __init__(self, territoire: Territoire):
        communes = territoire.communes_toutes()
        # Sorted by normalised name, then INSEE code: homonyms (there are some) come in a stable order.
        entrees = sorted(((normaliser(c.nom), c.insee, c) for c in communes), key=lambda e: (e[0], e[1]))
        self._cles = [cle for cle, _, _ in entrees]
        self._communes = [self._trouvee(territoire, c) for _, _, c in entrees]

    @staticmethod
    def _trouvee(territoire: Territoire, c: Commune) -> CommuneTrouvee:
        return CommuneTrouvee(c.insee, c.nom, c.departement, c.epci, territoire.departement_nom(c.departement),
                              c.epci_nom)

    def chercher(self, debut: str, limite: int = LIMITE_PAR_DEFAUT) -> list[CommuneTrouvee]:
        """Les communes dont le nom commence par `debut`, par ordre alphabétique ; aucune pour un texte vide."""
        cle = normaliser(debut)
        if not cle:
            return []
        limite = max(1, min(limite, LIMITE_MAX))
        trouvees = []
        position = bisect_left(self._cles, cle)
        while position < len(self._cles) and len(trouvees) < limite and self._cles[position].startswith(cle):
            trouvees.append(self._communes[position])
            position += 1
        return trouvees


@lru_cache(maxsize=4)
def annuaire(territoire: Territoire) -> AnnuaireCommunes:
    """L'annuaire d'un territoire, construit à la première recherche puis gardé (le territoire ne change pas)."""
    return AnnuaireCommunes(territoire)

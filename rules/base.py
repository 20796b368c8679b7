"""La base de règles : chargée et vérifiée une fois, puis évaluée autant de fois qu'il faut."""
import hashlib
from bisect import bisect_right
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import Any, Callable, Optional

from rules.chargement import DOSSIER_REGLES, charger_regles, regles_des_textes
from rules.evaluateur import DECODE, compiler_avec_tests
from rules.regle import Regle

_DECODER = DECODE.__getitem__  # mapped in C over a rule set's results


@dataclass
class JeuEnVigueur:
    """Les règles en vigueur à une date, compilées."""
    regles: tuple[Regle, ...]
    version: str
    _fonction: Callable[[dict[str, Any]], tuple[int, ...]] = field(repr=False)
    _avec_tests: Callable[[dict[str, Any]], tuple[tuple[int, ...], tuple[int, ...]]] = field(repr=False)
    feuilles: list[list[int]] = field(repr=False)  # per rule, the positions of its leaf tests

    def evaluer_avec_tests(self, faits: dict[str, Any]) -> tuple[list[Optional[bool]], tuple[int, ...]]:
        """Les résultats des règles, et le code brut (0, 1, 3) de chaque test, pour l'explication."""
        resultats, tests = self._avec_tests(faits)
        return list(map(_DECODER, resultats)), tests

    def evaluer(self, faits: dict[str, Any]) -> list[Optional[bool]]:
        return list(map(_DECODER, self._fonction(faits)))

    def evaluer_brut(self, faits: dict[str, Any]) -> tuple[int, ...]:
        return self._fonction(faits)


class BaseDeRegles:
    def __init__(self, regles: list[Regle], textes: dict[str, str]):
        self.regles = tuple(regles)
        self.textes = dict(textes)  # kept so that a stored opinion can name, and keep, its rule files
        empreinte = hashlib.sha256()
        for nom in sorted(textes):
            empreinte.update(nom.encode() + b"\0" + textes[nom].encode() + b"\0")
        self.empreinte = empreinte.hexdigest()[:12]
        self._jeux: dict[tuple[str, ...], JeuEnVigueur] = {}
        self._par_jour: dict[date, JeuEnVigueur] = {}
        # The days where some rule comes into or goes out of force: between two of them, the same rules
        # are in force, so a batch spread over a thousand filing dates sorts its rules a few times only.
        self._bornes = sorted({r.du for r in self.regles if r.du} |
                              {r.au + timedelta(days=1) for r in self.regles if r.au and r.au < date.max})
        self._par_periode: dict[int, JeuEnVigueur] = {}

    @classmethod
    def charger(cls, dossier: Path = DOSSIER_REGLES) -> "BaseDeRegles":
        return cls(*charger_regles(dossier))

    @classmethod
    def depuis_textes(cls, textes: dict[str, str]) -> "BaseDeRegles":
        """Une version conservée des fichiers de règles (même empreinte, mêmes règles)."""
        return cls(regles_des_textes(textes), textes)

    def en_vigueur(self, jour: date) -> JeuEnVigueur:
        jeu = self._par_jour.get(jour)
        if jeu is None:
            periode = bisect_right(self._bornes, jour)
            jeu = self._par_periode.get(periode)
            if jeu is None:
                jeu = self._par_periode[periode] = self._jeu(tuple(r for r in self.regles if r.en_vigueur_le(jour)))
            self._par_jour[jour] = jeu
        return jeu

    def _jeu(self, regles: tuple[Regle, ...]) -> JeuEnVigueur:
        cle = tuple(r.id for r in regles)
        jeu = self._jeux.get(cle)
        if jeu is None:
            # The version names the files' hash and the set of rules in force, so an
            # opinion can be reproduced from the same files and the same date.
            sous = hashlib.sha256("\n".join(cle).encode()).hexdigest()[:8]
            jeu = JeuEnVigueur(regles, f"sha256:{self.empreinte}/{sous}", *compiler_avec_tests(regles))
            self._jeux[cle] = jeu
        return jeu

    def regle(self, rid: str) -> Regle:
        return next(r for r in self.regles if r.id == rid)

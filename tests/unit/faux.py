"""Des dépôts en mémoire qui suivent les contrats de `instruction.ports`, pour tester l'instruction sans base.

Comme une vraie transaction, ce qui n'est pas validé est perdu : chaque unité de travail travaille
sur des copies et ne les publie qu'à `valider()`.
"""
import copy
from typing import Optional

from instruction.comite.reunion import Comite
from instruction.dossiers.dossier_instruit import DossierInstruit
from instruction.ports import ResumeDossier


class _Depot:
    def __init__(self, donnees: dict):
        self.donnees = donnees

    def ajouter(self, objet) -> None:
        self.donnees[self._cle(objet)] = objet

    def enregistrer(self, objet) -> None:
        self.donnees[self._cle(objet)] = objet


class FauxDepotDossiers(_Depot):
    @staticmethod
    def _cle(dossier: DossierInstruit) -> str:
        return dossier.reference

    def obtenir(self, reference: str, pour_modifier: bool = False) -> Optional[DossierInstruit]:
        return self.donnees.get(reference)

    def lister(self, etat: Optional[str] = None, proprietaire: Optional[str] = None,
               references: Optional[frozenset[str]] = None) -> list[ResumeDossier]:
        return [ResumeDossier(d.reference, d.etat, d.donnees.porteur.nom, d.donnees.projet.titre,
                              d.donnees.projet.commune_insee, d.donnees.date_depot, len(d.evaluations),
                              d.derniere_evaluation.resultat.avis if d.evaluations else None, d.proprietaire)
                for d in sorted(self.donnees.values(), key=lambda d: d.reference)
                if etat in (None, d.etat) and proprietaire in (None, d.proprietaire)
                and (references is None or d.reference in references)]


class FauxDepotComites(_Depot):
    @staticmethod
    def _cle(comite: Comite) -> str:
        return comite.code

    def obtenir(self, code: str, pour_modifier: bool = False) -> Optional[Comite]:
        return self.donnees.get(code)

    def lister(self) -> list[Comite]:
        return sorted(self.donnees.values(), key=lambda c: (c.date, c.code))

    def codes_pour(self, reference: str) -> frozenset[str]:
        return frozenset(c.code for c in self.donnees.values() if reference in c.ordre_du_jour)


class FauxDepotRegles(_Depot):
    def conserver(self, empreinte: str, fichiers: dict[str, str]) -> None:
        self.donnees.setdefault(empreinte, dict(fichiers))

    def obtenir(self, empreinte: str) -> Optional[dict[str, str]]:
        return self.donnees.get(empreinte)


class FausseUnite:
    def __init__(self):
        self.publie = {"dossiers": {}, "comites": {}, "regles": {}}
        self.validations = 0

    def __enter__(self) -> "FausseUnite":
        self._copie = copy.deepcopy(self.publie)
        self.dossiers = FauxDepotDossiers(self._copie["dossiers"])
        self.comites = FauxDepotComites(self._copie["comites"])
        self.regles = FauxDepotRegles(self._copie["regles"])
        return self

    def __exit__(self, *exc) -> None:
        self._copie = None

    def valider(self) -> None:
        self.publie = copy.deepcopy(self._copie)
        self.validations += 1

    def annuler(self) -> None:
        self._copie = copy.deepcopy(self.publie)

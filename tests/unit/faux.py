"""Des dépôts en mémoire qui suivent les contrats de `instruction.ports`, pour tester l'instruction sans base.

Comme une vraie transaction, ce qui n'est pas validé est perdu : chaque unité de travail travaille
sur des copies et ne les publie qu'à `valider()`.
"""
import copy
from typing import Optional

from instruction.comite.reunion import Comite
from instruction.dossiers.dossier_instruit import DossierInstruit
from instruction.ports import ResumeDossier


class _Entrepot:
    def __init__(self, donnees: dict):
        self.donnees = donnees

    def ajouter(self, objet) -> None:
        self.donnees[self._cle(objet)] = objet

    def enregistrer(self, objet) -> None:
        self.donnees[self._cle(objet)] = objet


class FauxEntrepotDossiers(_Entrepot):
    @staticmethod
    def _cle(dossier: DossierInstruit) -> str:
        return dossier.reference

    def obtenir(self, reference: str, pour_modifier: bool = False, complet: bool = True) -> Optional[DossierInstruit]:
        return self.donnees.get(reference)

    # The desk's list (instruction.dossiers.recherche), filtered and sorted in Python as the SQL does.
    def obtenir_plusieurs(self, references: list[str], pour_modifier: bool = False, complet: bool = False,
                          pour_evaluer: bool = False) -> dict[str, DossierInstruit]:
        return {r: self.donnees[r] for r in references if r in self.donnees}

    def enregistrer_plusieurs(self, dossiers: list[DossierInstruit]) -> None:
        for dossier in dossiers:
            self.enregistrer(dossier)

    def _lignes(self, criteres) -> list:
        from tests.unit.faux_recherche import lignes_du_filtre
        return lignes_du_filtre(self.donnees.values(), criteres)

    def rechercher(self, criteres, paginer: bool = True) -> tuple[list, int]:
        lignes, f = self._lignes(criteres), criteres.filtre
        debut = (f.page - 1) * f.par_page
        return (lignes[debut:debut + f.par_page] if paginer else lignes), len(lignes)

    def references(self, criteres, maximum: int) -> tuple[list[str], int]:
        lignes = self._lignes(criteres)
        return [x.reference for x in lignes[:maximum]], len(lignes)

    def lister(self, etat: Optional[str] = None, proprietaire: Optional[str] = None,
               references: Optional[frozenset[str]] = None) -> list[ResumeDossier]:
        return [ResumeDossier(d.reference, d.etat, d.donnees.porteur.nom, d.donnees.projet.titre,
                              d.donnees.projet.commune_insee, d.donnees.date_depot, len(d.evaluations),
                              d.derniere_evaluation.resultat.avis if d.evaluations else None, d.proprietaire)
                for d in sorted(self.donnees.values(), key=lambda d: d.reference)
                if etat in (None, d.etat) and proprietaire in (None, d.proprietaire)
                and (references is None or d.reference in references)]

    def page(self, etat: Optional[str], avis: Optional[str], commune: Optional[str], limite: int,
             decalage: int) -> tuple[list[ResumeDossier], int]:
        gardes = [r for r in self.lister(etat) if avis in (None, r.dernier_avis) and commune in (None, r.commune_insee)]
        return gardes[decalage:decalage + limite], len(gardes)


class FauxEntrepotComites(_Entrepot):
    @staticmethod
    def _cle(comite: Comite) -> str:
        return comite.code

    def obtenir(self, code: str, pour_modifier: bool = False) -> Optional[Comite]:
        return self.donnees.get(code)

    def lister(self) -> list[Comite]:
        return sorted(self.donnees.values(), key=lambda c: (c.date, c.code))

    def codes_pour(self, reference: str) -> frozenset[str]:
        return frozenset(c.code for c in self.donnees.values() if reference in c.ordre_du_jour)

    # The meetings' envelopes (instruction.comite.enveloppes), kept beside the meetings as the database does.
    def __init__(self, donnees: dict, enveloppes: Optional[dict] = None):
        super().__init__(donnees)
        self._enveloppes = {} if enveloppes is None else enveloppes

    def enveloppes(self, code: str) -> list:
        return list(self._enveloppes.get(code, []))

    def enregistrer_enveloppes(self, code: str, enveloppes: list) -> None:
        assert code in self.donnees, f"comité {code} absent"
        self._enveloppes[code] = list(enveloppes)


class FauxEntrepotRegles(_Entrepot):
    def conserver(self, empreinte: str, fichiers: dict[str, str]) -> None:
        self.donnees.setdefault(empreinte, dict(fichiers))

    def obtenir(self, empreinte: str) -> Optional[dict[str, str]]:
        return self.donnees.get(empreinte)


class FausseUnite:
    def __init__(self):
        self.publie = {"dossiers": {}, "comites": {}, "regles": {}, "enveloppes": {}}
        self.validations = 0

    def __enter__(self) -> "FausseUnite":
        self._copie = copy.deepcopy(self.publie)
        self.dossiers = FauxEntrepotDossiers(self._copie["dossiers"])
        self.comites = FauxEntrepotComites(self._copie["comites"], self._copie.setdefault("enveloppes", {}))
        self.regles = FauxEntrepotRegles(self._copie["regles"])
        from tests.unit.faux_travaux import FauxEntrepotTravaux  # the batch jobs (instruction.travaux)
        self.travaux = FauxEntrepotTravaux(self._copie.setdefault("travaux", {}))
        return self

    def __exit__(self, *exc) -> None:
        self._copie = None

    def valider(self) -> None:
        self.publie = copy.deepcopy(self._copie)
        self.validations += 1

    def annuler(self) -> None:
        self._copie = copy.deepcopy(self.publie)


# The accounts (instruction.comptes): the same fakes, for `instruction.ports.UniteDeTravailComptes`.
from instruction.comptes.compte import Compte  # noqa: E402
from instruction.comptes.erreurs import CompteExistant  # noqa: E402


class FauxEntrepotComptes(_Entrepot):
    @staticmethod
    def _cle(compte: Compte) -> str:
        return compte.email

    def ajouter(self, compte: Compte) -> None:
        if compte.email in self.donnees:
            raise CompteExistant(compte.email)
        self.donnees[compte.email] = compte

    def obtenir(self, email: str) -> Optional[Compte]:
        return self.donnees.get(email)

    def par_confirmation(self, empreinte: str) -> Optional[Compte]:
        return next((c for c in self.donnees.values() if c.confirmation == empreinte), None)

    def lister(self) -> list[Compte]:
        return sorted(self.donnees.values(), key=lambda c: c.email)


class FauxEntrepotJetons(_Entrepot):
    @staticmethod
    def _cle(jeton) -> str:
        return jeton.prefixe

    def obtenir(self, prefixe: str):
        return self.donnees.get(prefixe)

    def par_empreinte(self, empreinte: str):
        return next((j for j in self.donnees.values() if j.empreinte == empreinte), None)

    def lister(self) -> list:
        return sorted(self.donnees.values(), key=lambda j: j.cree_le, reverse=True)


class FauxEntrepotSessions(_Entrepot):
    @staticmethod
    def _cle(session) -> str:
        return session.empreinte

    def obtenir(self, empreinte: str):
        return self.donnees.get(empreinte)

    def supprimer(self, empreinte: str) -> None:
        self.donnees.pop(empreinte, None)

    def supprimer_du_compte(self, email: str, sauf: Optional[str] = None) -> None:
        for cle in [k for k, s in self.donnees.items() if s.compte == email and k != sauf]:
            del self.donnees[cle]

    def purger(self, maintenant) -> None:
        for cle in [k for k, s in self.donnees.items() if s.expire_le <= maintenant]:
            del self.donnees[cle]


class FauxEntrepotTentatives:
    def __init__(self, donnees: dict):
        self.donnees = donnees  # key -> list of instants

    def ajouter_echec(self, cle: str, quand) -> None:
        self.donnees.setdefault(cle, []).append(quand)

    def echecs(self, cle: str, depuis) -> list:
        return sorted(q for q in self.donnees.get(cle, []) if q >= depuis)

    def effacer(self, cle: str) -> None:
        self.donnees.pop(cle, None)

    def purger(self, avant) -> None:
        for cle in list(self.donnees):
            self.donnees[cle] = [q for q in self.donnees[cle] if q >= avant]


class FauxEntrepotAudit:
    def __init__(self, donnees: dict):
        self.donnees = donnees.setdefault("evenements", [])

    def ajouter(self, evenement) -> None:
        self.donnees.append(evenement)

    def derniers(self, nombre: int = 50) -> list:
        return list(reversed(self.donnees))[:nombre]


class FausseUniteComptes(FausseUnite):
    """`FausseUnite` et les dépôts des comptes, des jetons, des sessions, des tentatives et du journal."""

    def __init__(self):
        super().__init__()
        self.publie.update(comptes={}, jetons={}, sessions={}, tentatives={}, audit={})

    def __enter__(self) -> "FausseUniteComptes":
        super().__enter__()
        self.comptes = FauxEntrepotComptes(self._copie["comptes"])
        self.jetons = FauxEntrepotJetons(self._copie["jetons"])
        self.sessions = FauxEntrepotSessions(self._copie["sessions"])
        self.tentatives = FauxEntrepotTentatives(self._copie["tentatives"])
        self.audit = FauxEntrepotAudit(self._copie["audit"])
        return self

    def annuler(self) -> None:
        super().annuler()
        self.__enter__()  # the base class re-copies the published state: point the repositories at the copy


# The holder's journey (instruction.ports.UniteDeTravailPorteur): the same fakes, by dossier reference.
from dataclasses import replace as _remplacer  # noqa: E402


class FauxEntrepotBrouillons(_Entrepot):
    @staticmethod
    def _cle(brouillon) -> str:
        return brouillon.reference

    def obtenir(self, reference: str):
        return self.donnees.get(reference)


class _ListesParDossier:
    def __init__(self, donnees: dict):
        self.donnees = donnees  # reference -> list, in numbering order

    def lister(self, reference: str) -> list:
        return list(self.donnees.get(reference, []))

    def ajouter(self, objet, contenu: Optional[bytes] = None) -> None:
        self.donnees.setdefault(objet.reference, []).append(_remplacer(objet))
        if contenu is not None:
            self.donnees.setdefault("contenus", {})[(objet.reference, objet.numero)] = contenu

    def enregistrer(self, objet) -> None:
        liste = self.donnees[objet.reference]
        liste[[o.numero for o in liste].index(objet.numero)] = objet


class FauxEntrepotPieces(_ListesParDossier):
    def dernier_numero(self, reference: str) -> int:
        return max((p.numero for p in self.lister(reference)), default=0)

    def contenu(self, reference: str, numero: int) -> Optional[bytes]:
        return self.donnees.get("contenus", {}).get((reference, numero))


class FausseUnitePorteur(FausseUniteComptes):
    """`FausseUniteComptes` et les entrepôts du parcours du porteur."""

    def __init__(self):
        super().__init__()
        self.publie.update(brouillons={}, pieces={}, messages={}, complements={})

    def __enter__(self) -> "FausseUnitePorteur":
        super().__enter__()
        self.brouillons = FauxEntrepotBrouillons(self._copie["brouillons"])
        self.pieces = FauxEntrepotPieces(self._copie["pieces"])
        self.messages = _ListesParDossier(self._copie["messages"])
        self.complements = _ListesParDossier(self._copie["complements"])
        return self

"""La liste des dossiers des services : filtres, tri et pagination, lus dans les paramètres d'une adresse.

Le filtre est un objet du domaine (`Filtre`) que l'on sait écrire et relire en paramètres d'adresse
(`lire_filtre`, `Filtre.parametres`) : la liste se met en signet, et un export ou un travail par lot
reprend exactement le même filtre. Une valeur invalide devient une `ErreurChamp` qui nomme le paramètre,
jamais une exception.

    filtre, erreurs = lire_filtre(parametres, territoire)
    page = rechercher(uow, agent, filtre)          # page.lignes, page.total, page.pages

Le dépôt ne lit que des colonnes de résumé tenues à jour à chaque enregistrement (avis et statuts retenus,
corrections à revoir, texte de recherche) : la liste ne relit jamais l'historique des dossiers.
"""
import unicodedata
from dataclasses import dataclass, field, replace
from datetime import date
from functools import lru_cache
from typing import Mapping, Optional, Sequence

from forms.valeurs import AVIS, FINANCEURS, STATUTS
from forms.validation import ErreurChamp
from instruction import acces
from instruction.acces import Agent, CibleDossier
from instruction.dossiers.cycle import ETATS
from instruction.evaluation.territoire import Commune, Territoire
from instruction.ports import UniteDeTravail

# Sort keys of the list, as the address names them.
TRIS = ("reference", "porteur", "titre", "commune", "depot", "etat", "avis", "a_revoir")
SENS = ("croissant", "decroissant")
PAR_PAGE = (10, 25, 50, 100)
PAR_PAGE_DEFAUT = 50
TEXTE_MAX = 200
PARTIES_DATE = ("jour", "mois", "annee")


def normaliser(texte: Optional[str]) -> str:
    """Le texte tel que la recherche le compare : en minuscules, sans accents, espaces réduits."""
    decompose = unicodedata.normalize("NFKD", texte or "")
    sans_accents = "".join(c for c in decompose if not unicodedata.combining(c))
    return " ".join(sans_accents.casefold().split())


def texte_de_recherche(reference: str, porteur: Optional[str], siret: Optional[str], titre: Optional[str]) -> str:
    """Ce que cherche le texte libre d'un dossier : référence, porteur, SIRET et titre, normalisés."""
    return " | ".join(normaliser(t) for t in (reference, porteur, siret, titre) if t)


@dataclass(frozen=True)
class Filtre:
    etat: Optional[str] = None
    avis: Optional[str] = None
    statuts: tuple[tuple[str, str], ...] = ()  # (funder, status), each funder at most once
    commune: Optional[str] = None  # INSEE code
    epci: Optional[str] = None  # SIREN
    contrat: Optional[str] = None
    depose_du: Optional[date] = None
    depose_au: Optional[date] = None
    a_revoir: bool = False
    texte: str = ""
    tri: str = "depot"
    sens: str = "decroissant"
    page: int = 1
    par_page: int = PAR_PAGE_DEFAUT

    @property
    def texte_normalise(self) -> str:
        return normaliser(self.texte)

    def parametres(self, **changes) -> list[tuple[str, str]]:
        """Les paramètres d'adresse de ce filtre (ceux qui diffèrent du défaut), `changes` appliqués."""
        f = replace(self, **changes)
        sortie: list[tuple[str, str]] = [(cle, valeur) for cle, valeur in (
            ("q", f.texte), ("etat", f.etat), ("avis", f.avis), ("commune", f.commune), ("epci", f.epci),
            ("contrat", f.contrat)) if valeur]
        sortie += [(f"statut_{financeur}", statut) for financeur, statut in f.statuts]
        for nom, jour in (("depose_du", f.depose_du), ("depose_au", f.depose_au)):
            if jour:
                sortie += [(f"{nom}-jour", str(jour.day)), (f"{nom}-mois", str(jour.month)),
                           (f"{nom}-annee", str(jour.year))]
        if f.a_revoir:
            sortie.append(("a_revoir", "oui"))
        if (f.tri, f.sens) != ("depot", "decroissant"):
            sortie += [("tri", f.tri), ("sens", f.sens)]
        if f.par_page != PAR_PAGE_DEFAUT:
            sortie.append(("par_page", str(f.par_page)))
        if f.page != 1:
            sortie.append(("page", str(f.page)))
        return sortie

    @property
    def restreint(self) -> bool:
        """Au moins un critère (autre que tri et pagination) est posé."""
        return bool(self.parametres(tri="depot", sens="decroissant", page=1, par_page=PAR_PAGE_DEFAUT))


@dataclass(frozen=True)
class Criteres:
    """Ce que le dépôt applique : le filtre, les communes déjà déduites de l'EPCI ou du contrat."""
    filtre: Filtre
    communes: Optional[frozenset[str]] = None  # None: any commune


@dataclass(frozen=True)
class LigneDossier:
    reference: str
    etat: str
    porteur: Optional[str]
    siret: Optional[str]
    titre: Optional[str]
    commune_insee: Optional[str]
    date_depot: Optional[date]
    avis: Optional[str]  # the retained avis (corrections applied); None before any evaluation
    statuts: dict[str, str] = field(default_factory=dict)  # retained status of each funder
    a_revoir: int = 0  # corrections still « à revoir »
    evaluations: int = 0
    proprietaire: Optional[str] = None


@dataclass(frozen=True)
class PageDossiers:
    lignes: list[LigneDossier]
    total: int
    filtre: Filtre

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.filtre.par_page))


@dataclass(frozen=True)
class IndexTerritoire:
    """Les communes du territoire par nom normalisé et par EPCI, et les EPCI par nom : construit une fois."""
    par_nom: dict[str, tuple[Commune, ...]]
    par_epci: dict[str, frozenset[str]]
    epci: dict[str, str]  # SIREN -> name, sorted by name


@lru_cache(maxsize=4)
def index_territoire(territoire: Territoire) -> IndexTerritoire:
    par_nom: dict[str, list[Commune]] = {}
    par_epci: dict[str, set[str]] = {}
    for commune in territoire.communes_toutes():
        par_nom.setdefault(normaliser(commune.nom), []).append(commune)
        if commune.epci:
            par_epci.setdefault(commune.epci, set()).add(commune.insee)
    noms = {siren: territoire.epci_nom(siren) or siren for siren in par_epci}
    return IndexTerritoire({n: tuple(c) for n, c in par_nom.items()},
                           {s: frozenset(c) for s, c in par_epci.items()},
                           dict(sorted(noms.items(), key=lambda e: normaliser(e[1]))))


def _un(parametres: Mapping[str, Sequence[str]], cle: str) -> str:
    valeurs = parametres.get(cle) or ()
    return (valeurs[-1] if valeurs else "").strip()


def _entier(texte: str, champ: str, erreurs: list[ErreurChamp], message: str) -> Optional[int]:
    if not texte:
        return None
    if not texte.isascii() or not texte.isdigit() or len(texte) > 9:
        erreurs.append(ErreurChamp(champ, message))
        return None
    return int(texte)


def _date(parametres: Mapping[str, Sequence[str]], nom: str, libelle: str,
          erreurs: list[ErreurChamp]) -> Optional[date]:
    parties = [_un(parametres, f"{nom}-{p}") for p in PARTIES_DATE]
    if not any(parties):
        return None
    manquantes = [p for p, v in zip(("le jour", "le mois", "l’année"), parties) if not v]
    if manquantes:
        erreurs.append(ErreurChamp(nom, f"{libelle} doit comporter {' et '.join(manquantes)}"))
        return None
    if not all(v.isascii() and v.isdigit() and len(v) <= 4 for v in parties) or len(parties[2]) != 4:
        erreurs.append(ErreurChamp(nom, f"{libelle} doit être une vraie date, par exemple 10 3 2025"))
        return None
    try:
        return date(int(parties[2]), int(parties[1]), int(parties[0]))
    except ValueError:
        erreurs.append(ErreurChamp(nom, f"{libelle} doit être une vraie date, par exemple 10 3 2025"))
        return None


def _parmi(texte: str, possibles: Sequence[str], champ: str, quoi: str, erreurs: list[ErreurChamp]) -> Optional[str]:
    if not texte:
        return None
    if texte not in possibles:
        erreurs.append(ErreurChamp(champ, f"{quoi} inconnu : choisissez dans la liste"))
        return None
    return texte


def _commune(texte: str, territoire: Territoire, erreurs: list[ErreurChamp]) -> Optional[str]:
    """Un code INSEE, ou un nom de commune du territoire (sans égard aux accents ni à la casse)."""
    if not texte:
        return None
    if territoire.commune(texte) is not None:
        return texte
    cherche = normaliser(texte)
    trouvees = index_territoire(territoire).par_nom.get(cherche, ())
    if len(trouvees) == 1:
        return trouvees[0].insee
    if trouvees:
        codes = ", ".join(f"{c.insee} ({c.departement})" for c in trouvees[:5])
        erreurs.append(ErreurChamp("commune", f"Plusieurs communes s’appellent ainsi : saisissez le code INSEE "
                                              f"({codes})"))
    else:
        erreurs.append(ErreurChamp("commune", "Commune inconnue du territoire : saisissez son nom ou son code "
                                              "INSEE (5 caractères)"))
    return None


def lire_filtre(parametres: Mapping[str, Sequence[str]], territoire: Territoire) -> tuple[Filtre, list[ErreurChamp]]:
    """Le filtre des paramètres d'adresse (chaque clé, la liste de ses valeurs), et les erreurs de saisie.
    Un paramètre invalide est ignoré dans le filtre rendu et signalé par une erreur qui le nomme."""
    erreurs: list[ErreurChamp] = []
    texte = _un(parametres, "q")
    if len(texte) > TEXTE_MAX:
        erreurs.append(ErreurChamp("q", f"La recherche ne doit pas dépasser {TEXTE_MAX} caractères"))
        texte = ""
    statuts = []
    for financeur in FINANCEURS:
        statut = _parmi(_un(parametres, f"statut_{financeur}"), STATUTS, f"statut_{financeur}", "Statut", erreurs)
        if statut:
            statuts.append((financeur, statut))
    epci = _parmi(_un(parametres, "epci"), tuple(index_territoire(territoire).epci), "epci", "Intercommunalité",
                  erreurs)
    contrat = _parmi(_un(parametres, "contrat"), tuple(c.id for c in territoire.contrats_tous()), "contrat",
                     "Contrat", erreurs)
    du = _date(parametres, "depose_du", "La date « déposé à partir du »", erreurs)
    au = _date(parametres, "depose_au", "La date « déposé jusqu’au »", erreurs)
    if du and au and du > au:
        erreurs.append(ErreurChamp("depose_au", "La date « déposé jusqu’au » doit être après la date « déposé à "
                                                "partir du »"))
        au = None
    a_revoir = _un(parametres, "a_revoir")
    if a_revoir not in ("", "oui"):
        erreurs.append(ErreurChamp("a_revoir", "Corrections à revoir : cochez la case ou laissez-la vide"))
    tri = _parmi(_un(parametres, "tri"), TRIS, "tri", "Tri", erreurs) or "depot"
    sens = _parmi(_un(parametres, "sens"), SENS, "sens", "Sens du tri", erreurs) or "decroissant"
    par_page = _entier(_un(parametres, "par_page"), "par_page", erreurs,
                       "Le nombre de dossiers par page doit être un nombre entier")
    if par_page is not None and par_page not in PAR_PAGE:
        erreurs.append(ErreurChamp("par_page", "Le nombre de dossiers par page doit être "
                                               + ", ".join(map(str, PAR_PAGE[:-1])) + f" ou {PAR_PAGE[-1]}"))
        par_page = None
    page = _entier(_un(parametres, "page"), "page", erreurs, "Le numéro de page doit être un nombre entier")
    if page == 0:
        erreurs.append(ErreurChamp("page", "Le numéro de page commence à 1"))
        page = None
    filtre = Filtre(
        etat=_parmi(_un(parametres, "etat"), ETATS, "etat", "État", erreurs),
        avis=_parmi(_un(parametres, "avis"), AVIS, "avis", "Avis", erreurs), statuts=tuple(statuts),
        commune=_commune(_un(parametres, "commune"), territoire, erreurs), epci=epci, contrat=contrat,
        depose_du=du, depose_au=au, a_revoir=a_revoir == "oui", texte=texte, tri=tri, sens=sens,
        page=page or 1, par_page=par_page or PAR_PAGE_DEFAUT)
    return filtre, erreurs


def criteres(filtre: Filtre, territoire: Territoire) -> Criteres:
    """Le filtre pour le dépôt : l'EPCI et le contrat deviennent l'ensemble de leurs communes (le périmètre
    d'un contrat est celui de ses EPCI, quelle que soit la date) ; plusieurs critères de lieu se croisent."""
    par_epci = index_territoire(territoire).par_epci
    ensembles = []
    if filtre.epci:
        ensembles.append(par_epci.get(filtre.epci, frozenset()))
    if filtre.contrat:
        ensembles.append(frozenset().union(*(par_epci.get(siren, frozenset())
                                             for siren in territoire.contrat(filtre.contrat).epci)))
    if filtre.commune:
        ensembles.append(frozenset({filtre.commune}))
    return Criteres(filtre, frozenset.intersection(*ensembles) if ensembles else None)


def _cible(ligne: LigneDossier) -> CibleDossier:
    return CibleDossier(ligne.reference, ligne.proprietaire)


def rechercher(uow: UniteDeTravail, agent: Agent, filtre: Filtre, territoire: Territoire) -> PageDossiers:
    """Une page de la liste ; une page au-delà de la dernière rend la dernière."""
    acces.verifier(agent, "rechercher_dossiers")
    demande = criteres(filtre, territoire)
    with uow:
        lignes, total = uow.dossiers.rechercher(demande)
        derniere = max(1, -(-total // filtre.par_page))
        if filtre.page > derniere:
            filtre = replace(filtre, page=derniere)
            lignes, total = uow.dossiers.rechercher(Criteres(filtre, demande.communes))
    return PageDossiers(acces.visibles(agent, lignes, _cible), total, filtre)


def toutes_les_lignes(uow: UniteDeTravail, agent: Agent, filtre: Filtre, territoire: Territoire) -> list[LigneDossier]:
    """Toutes les lignes du filtre, dans son ordre, sans pagination (pour un export)."""
    acces.verifier(agent, "rechercher_dossiers")
    with uow:
        lignes, _ = uow.dossiers.rechercher(criteres(filtre, territoire), paginer=False)
    return acces.visibles(agent, lignes, _cible)


def references(uow: UniteDeTravail, agent: Agent, filtre: Filtre, territoire: Territoire,
               maximum: int) -> tuple[list[str], int]:
    """Les références de tous les dossiers du filtre (au plus `maximum`), et leur nombre total."""
    acces.verifier(agent, "rechercher_dossiers")
    demande = criteres(filtre, territoire)
    with uow:
        return uow.dossiers.references(demande, maximum)

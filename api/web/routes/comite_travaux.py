"""Les longs travaux de la salle du comité, en travaux par lots (`instruction.travaux`, lancés par `api.web.travaux`) :
l'import d'une liste et l'évaluation de toute la liste. La page d'un travail montre une barre de progression
(rafraîchie par htmx chaque seconde, ou par le lien « Actualiser » sans JavaScript), puis finit sur les lignes
écartées (ou les dossiers non évalués) et pourquoi.

Chacun est une seule transaction (le cas d'usage du comité le veut : un arrêt au milieu ne laisse pas de réunion à
moitié écrite). L'avancement s'écrit donc dans une autre transaction, par un fil à part qui ne garde que la dernière
valeur : sous PostgreSQL la barre avance pendant le travail ; sous SQLite, qui n'a qu'un écrivain à la fois,
l'écriture attend la fin de la transaction et la barre passe d'un coup à la fin. Le travail, lui, n'attend jamais.
"""
import threading
from typing import Annotated, Any, Callable
from urllib.parse import quote

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse

from api.web import travaux as lanceur
from api.web.acces import exiger
from api.web.dependances import GabaritsDep, HorlogeDep, TerritoireDep, UniteDeTravailDep
from forms.textes import visible
from instruction import travaux
from instruction.acces import Agent
from instruction.comite import salle
from instruction.erreurs import ComiteIntrouvable

routeur = APIRouter(include_in_schema=False)
AgentDep = Annotated[Agent, Depends(exiger("lister_comites"))]
ATTENTE_SECONDES = 1.0  # a job done within a second shows its outcome on the first page


class Avancement:
    """`avancer(faits, total)` sans jamais attendre : la dernière valeur est écrite par un fil à part, dès que la
    base le permet. `fermer()` attend la dernière écriture (avant que le travail note son issue finale)."""

    def __init__(self, ecrire: Callable[[int, int], None]):
        self._ecrire, self._valeur, self._fin = ecrire, None, False
        self._signal = threading.Condition()
        self._fil = threading.Thread(target=self._boucle, name="comite-avancement", daemon=True)
        self._fil.start()

    def __call__(self, faits: int, total: int) -> None:
        with self._signal:
            self._valeur = (faits, total)
            self._signal.notify()

    def _boucle(self) -> None:
        while True:
            with self._signal:
                while self._valeur is None and not self._fin:
                    self._signal.wait()
                valeur, self._valeur = self._valeur, None
                if valeur is None:
                    return
            self._ecrire(*valeur)

    def fermer(self) -> None:
        with self._signal:
            self._fin = True
            self._signal.notify()
        self._fil.join()


IMPORT = ("lecture", "évaluation", "enregistrement")
EVALUATION = ("évaluation",)


def progression_par_etapes(avancer: Callable[[int, int], None], entrees: int,
                           etapes: tuple[str, ...]) -> Callable[[str, int, int], None]:
    """La progression des cas d'usage du comité (étape, fait, total) en un seul avancement, chaque étape de
    `etapes` comptant autant : pour un import, lecture, évaluation et enregistrement."""
    unite = max(entrees, 1)

    def progression(etape: str, fait: int, total: int) -> None:
        debut = etapes.index(etape) * unite if etape in etapes else 0
        avancer(debut + (fait * unite // total if total else unite), len(etapes) * unite)
    return progression


def lancer(contexte: Any, agent: Agent, code: str, nature: str, libelle: str, total: int,
           travail: Callable[[Callable[[str, int, int], None]], list[travaux.Issue]],
           etapes: tuple[str, ...] = IMPORT) -> int:
    """Lance `travail(progression)` en travail d'un seul tenant, rattaché à la réunion ; rend son numéro."""
    def bloc(avancer: Callable[[int, int], None]) -> list[travaux.Issue]:
        differe = Avancement(avancer)
        try:
            return travail(progression_par_etapes(differe, total, etapes))
        finally:
            differe.fermer()

    numero = lanceur.lancer_bloc(contexte, agent, nature, libelle, total, bloc,
                                 {"comite": code, "retour": f"/comites/{quote(code, safe='')}"})
    lanceur.attendre(numero, ATTENTE_SECONDES)
    return numero


def _vue(travail: travaux.Travail, code: str) -> dict[str, Any]:
    adresse = f"/comites/{quote(code, safe='')}/travaux/{travail.id}"
    return {"numero": travail.id, "nature": travail.nature, "libelle": travail.libelle, "en_cours": travail.en_cours,
            "interrompu": travail.etat == travaux.INTERROMPU, "faits": travail.faits, "total": travail.total,
            "pourcentage": travail.pourcentage, "reussis": travail.elements_dans(travaux.REUSSI),
            "echoues": travail.elements_dans(travaux.ECHOUE), "cree_le": travail.cree_le,
            "fini_le": travail.fini_le, "auteur": travail.auteur, "adresse": adresse}


def _travail(uow, agent: Agent, code: str, numero: int, horloge) -> travaux.Travail:
    travail = travaux.consulter(uow, agent, numero, horloge)
    if travail.parametres.get("comite") != code:
        raise ComiteIntrouvable(code)  # another meeting's job, or not a comité job: not here
    return travail


@routeur.get("/comites/{code}/travaux/{numero}", response_class=HTMLResponse)
def page(request: Request, code: str, numero: int, agent: AgentDep, uow: UniteDeTravailDep, gabarits: GabaritsDep,
         territoire: TerritoireDep, horloge: HorlogeDep):
    entete = salle.entete(uow, territoire, code, agent)
    travail = _travail(uow, agent, code, numero, horloge)
    return gabarits.TemplateResponse(request, "comites/travail.html", {
        "t": _vue(travail, code), "entete": entete, "chemin": f"/comites/{quote(code, safe='')}",
        "page": "ordre" if travail.nature == "importer_liste" else "seance"})


@routeur.get("/comites/{code}/travaux/{numero}/etat", response_class=HTMLResponse)
def etat(request: Request, code: str, numero: int, agent: AgentDep, uow: UniteDeTravailDep, gabarits: GabaritsDep,
         horloge: HorlogeDep):
    travail = _travail(uow, agent, code, numero, horloge)
    return gabarits.TemplateResponse(request, "comites/_travail_etat.html", {
        "t": _vue(travail, code), "chemin": f"/comites/{quote(code, safe='')}"})


def issues_de_l_import(importes: list[str], erreurs: list[dict]) -> list[travaux.Issue]:
    """Une issue par ligne : le dossier inscrit, ou la ligne écartée (« ligne 3 — LA-2025-001 ») et pourquoi."""
    issues = [travaux.Issue(reference, True, "déposé, évalué et inscrit à l’ordre du jour") for reference in importes]
    for e in erreurs:
        reference = visible(e["reference"]) if e["reference"] else "sans référence"
        raisons = " ; ".join(f"{x['champ']} : {x['message']}" if x.get("champ") else x["message"]
                             for x in e["erreurs"])
        issues.append(travaux.Issue(f"ligne {e['position']} — {reference}", False, raisons))
    return issues


"""`/admin/impact` : `guichet rules impact` en page d'administration. On choisit deux versions des règles (celles
des fichiers du serveur, ou une version déjà employée par une évaluation enregistrée) et, au besoin, une date ; tous
les dossiers de la base sont jugés sous l'une puis l'autre, et la page montre ceux dont le résultat bouge.
`/admin/impact.csv` : le même résultat, dans le CSV de la ligne de commande.

Le formulaire est un GET : il ne change rien, et le résultat garde son adresse. Toute la rubrique `/admin` exige
l'action « administrer » (403 pour un autre rôle) ; le cas d'usage vérifie « mesurer_impact ».
"""
from datetime import date
from typing import Annotated, Optional

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import HTMLResponse, Response

from api.rendu.impact import en_csv
from api.web.acces import AdminDep, exiger
from api.web.dependances import GabaritsDep, GuichetDep, UniteDeTravailDep
from api.web.formulaires import erreurs_du_formulaire
from api.web.gabarits import date_fr
from forms.libelles import LIBELLES_AVIS, LIBELLES_STATUTS, NOMS_ACCOMPAGNEMENTS, NOMS_FINANCEURS, libelle, pluriel
from forms.validation import ErreurChamp
from instruction.dossiers import services_impact
from instruction.dossiers.services_impact import EN_VIGUEUR, VersionEmployee
from instruction.erreurs import SaisieRefusee

routeur = APIRouter(prefix="/admin", include_in_schema=False, dependencies=[Depends(exiger("administrer"))])
Partie = Annotated[str, Query()]


def _jour(jour: str, mois: str, annee: str) -> tuple[Optional[date], list[ErreurChamp]]:
    """La date saisie en trois cases ; aucune case remplie : pas de date (chaque dossier à sa date de dépôt)."""
    if not (jour.strip() or mois.strip() or annee.strip()):
        return None, []
    try:
        return date(int(annee), int(mois), int(jour)), []
    except ValueError:
        return None, [ErreurChamp("date", "La date doit être une vraie date, par exemple 10 3 2025 (ou laissez les "
                                          "trois cases vides)")]


def _executer(uow, agent, guichet, avant: str, apres: str, jour: Optional[date]):
    """(impact, erreurs) : une version inconnue ou mal écrite est l'erreur de son champ, montrée sur la page."""
    try:
        return services_impact.mesurer(uow, agent, guichet, avant, apres, jour), []
    except SaisieRefusee as exc:
        texte = exc.message.removeprefix(f"{exc.champ} : ")
        return None, [ErreurChamp(exc.champ, texte[:1].upper() + texte[1:])]


def _options(versions: list[VersionEmployee], courante: str, choisie: str) -> list[dict]:
    """Les choix d'une liste de versions : les règles en vigueur, puis chaque version employée."""
    options = [{"value": EN_VIGUEUR, "text": f"Règles en vigueur, fichiers du serveur ({courante})",
                "selected": choisie == EN_VIGUEUR}]
    for v in versions:
        employee = f"{pluriel(v.evaluations, 'évaluation')} du {date_fr(v.premiere)} au {date_fr(v.derniere)}"
        options.append({"value": v.code, "selected": choisie == v.code,
                        "text": f"{v.code} — {employee}" + (" (les règles en vigueur)" if v.code == courante else "")})
    return options


def _bilan(impact: dict) -> str:
    changes = impact["changes"]
    return (f"{pluriel(impact['total'], 'dossier')} : {changes} {'change' if changes <= 1 else 'changent'}, "
            f"{pluriel(impact['inchanges'], 'inchangé')}, {pluriel(len(impact['invalides']), 'invalide')}")


@routeur.get("/impact", response_class=HTMLResponse)
def page(request: Request, agent: AdminDep, uow: UniteDeTravailDep, guichet: GuichetDep, gabarits: GabaritsDep,
         avant: Partie = "", apres: Partie = EN_VIGUEUR, jour: Annotated[str, Query(alias="date-jour")] = "",
         mois: Annotated[str, Query(alias="date-mois")] = "", annee: Annotated[str, Query(alias="date-annee")] = ""):
    versions = services_impact.versions_employees(uow, agent)
    courante = f"sha256:{guichet.base.empreinte}"
    impact = None
    date_choisie, erreurs = _jour(jour, mois, annee)
    if avant and not erreurs:
        impact, erreurs = _executer(uow, agent, guichet, avant, apres, date_choisie)
    # Before a first run, offer the most recent stored version that is not the server's files.
    defaut = next((v.code for v in versions if v.code != courante), EN_VIGUEUR)
    resume = erreurs_du_formulaire(erreurs, ancres={"date": "date-jour"})
    return gabarits.TemplateResponse(request, "admin/impact.html", {
        "options_avant": _options(versions, courante, avant or defaut),
        "options_apres": _options(versions, courante, apres),
        "valeurs": {"jour": jour, "mois": mois, "annee": annee}, "impact": impact, "erreurs": resume,
        "adresse_csv": f"/admin/impact.csv?{request.url.query}" if impact is not None else None,
        "bilan": _bilan(impact) if impact is not None else None,
        "noms": {**NOMS_FINANCEURS, **NOMS_ACCOMPAGNEMENTS}, "statuts": LIBELLES_STATUTS, "avis": LIBELLES_AVIS,
        "libelle_champ": libelle,
    }, status_code=422 if resume["liste"] else 200)


@routeur.get("/impact.csv")
def telecharger(agent: AdminDep, uow: UniteDeTravailDep, guichet: GuichetDep, avant: Partie = "",
                apres: Partie = EN_VIGUEUR, jour: Annotated[str, Query(alias="date-jour")] = "",
                mois: Annotated[str, Query(alias="date-mois")] = "",
                annee: Annotated[str, Query(alias="date-annee")] = "") -> Response:
    date_choisie, erreurs = _jour(jour, mois, annee)
    if erreurs:
        return Response(erreurs[0].message, status_code=422, media_type="text/plain; charset=utf-8")
    impact = services_impact.mesurer(uow, agent, guichet, avant, apres, date_choisie)  # errors: the error page
    return Response(en_csv(impact).encode("utf-8"), media_type="text/csv; charset=utf-8",
                    headers={"Content-Disposition": 'attachment; filename="impact-regles.csv"'})

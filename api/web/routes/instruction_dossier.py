"""`/instruction/dossiers/{reference}` : la page d'un dossier pour l'instruction et le comité, et ce qu'on y fait.

Lire : toute personne connectée dont le rôle voit le dossier des services (instructeur, admin, membre du comité
pour les dossiers de ses réunions) ; un porteur, même le sien, ou un dossier hors de ses réunions : 404. Agir
(évaluer, corriger, revoir une correction, changer d'état) passe par les cas d'usage, qui appliquent la même
politique ; la page ne montre que les boutons que les capacités du modèle de vue permettent.

Chaque formulaire est un POST suivi d'un renvoi vers la page (`?fait=…`, un bandeau de réussite) ; en erreur, la
page est rendue à nouveau avec le résumé d'erreurs, le message à côté du champ et ce qui a été tapé (422 pour
une saisie, 409 pour une demande que l'état du dossier refuse).
"""
import tempfile
from pathlib import Path
from typing import Annotated, Any, Optional
from urllib.parse import quote

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import FileResponse, HTMLResponse, RedirectResponse, Response

from api.rendu import documents as rendu
from api.web.acces import exiger
from api.web.dependances import GabaritsDep, GuichetDep, HorlogeDep, UniteDeTravailDep
from api.web.formulaires import formulaire
from forms.libelles import LIBELLES_ETATS
from forms.validation import ErreurChamp
from instruction.acces import Agent
from instruction.dossiers import complements, messages, services, vues
from instruction.dossiers.corrections import AVIS_GENRE, CONSTAT_AJOUTE, CONSTAT_ECARTE, GENRES, STATUT
from instruction.erreurs import Refus, SaisieRefusee, TransitionInterdite

routeur = APIRouter(prefix="/instruction/dossiers", include_in_schema=False)
AgentDep = Annotated[Agent, Depends(exiger("gerer_son_compte"))]  # signed in; the use case decides the rest
Champ = Annotated[str, Form()]

# What the page says after a form succeeded (?fait=…): fixed sentences, nothing taken from the address.
FAITS = {"evaluation": "Le dossier a été évalué à nouveau : la nouvelle évaluation est ci-dessous.",
         "correction": "La correction est enregistrée. L’évaluation retenue en tient compte.",
         "maintenue": "La correction est maintenue : le nouveau calcul devient sa référence.",
         "retiree": "La correction est retirée : l’évaluation retenue suit de nouveau le calcul.",
         "etat": "Le dossier a changé d’état.",
         "complements": "La demande de compléments est envoyée au porteur : il peut compléter les champs demandés.",
         "message": "Le message est envoyé au porteur."}
# The field of the correction form that carries the corrected value, per kind of correction.
CHAMP_VALEUR = {STATUT: "statut", AVIS_GENRE: "avis", CONSTAT_AJOUTE: "texte", CONSTAT_ECARTE: "regle"}
LIBELLES_CHAMPS = {"genre": "Ce que vous corrigez", "financeur": "Financeur", "statut": "Statut retenu",
                   "avis": "Avis retenu", "texte": "Texte du constat", "financeur_constat": "Financeur du constat",
                   "regle": "Constat à écarter", "justification": "Justification", "motif": "Motif",
                   "decision": "Décision"}


def chemin(reference: str) -> str:
    return f"/instruction/dossiers/{quote(reference, safe='')}"


def _erreur(champ: str, message: str) -> ErreurChamp:
    """Une erreur qui nomme son champ en français, pour le résumé comme pour le champ."""
    libelle = LIBELLES_CHAMPS.get(champ.split("-")[0], champ)
    return ErreurChamp(champ, f"{libelle} : {message}")


def _message_du_domaine(exc: SaisieRefusee) -> str:
    # The domain writes « champ : message » with its technical field name; the page names the field itself.
    return exc.message.removeprefix(f"{exc.champ} : ")


def _refus(exc: Refus) -> str:
    """Le refus d'un passage, dit avec les libellés des états (le domaine les nomme par leur code)."""
    if isinstance(exc, TransitionInterdite):
        vers = LIBELLES_ETATS.get(exc.vers, exc.vers)
        return (f"un dossier « {LIBELLES_ETATS[exc.de]} » ne passe pas à « {vers} » depuis cette page ; les passages "
                "possibles sont proposés ci-dessous")
    return exc.message


def page_du_dossier(request: Request, uow, gabarits, guichet, reference: str, agent: Agent, horloge,
                    erreurs=(), valeurs: Optional[dict[str, Any]] = None, code: Optional[int] = None,
                    fait: Optional[str] = None):
    vue = vues.fiche_du_dossier(uow, guichet, reference, agent, horloge())
    return formulaire(request, uow, gabarits, "instruction/dossier.html",
                      {"d": vue, "chemin": chemin(reference), "valeurs": valeurs or {}, "fait": FAITS.get(fait or "")},
                      erreurs, code=code)


@routeur.get("/{reference}", response_class=HTMLResponse)
def dossier(request: Request, reference: str, agent: AgentDep, uow: UniteDeTravailDep, gabarits: GabaritsDep,
            guichet: GuichetDep, horloge: HorlogeDep, fait: Optional[str] = None):
    return page_du_dossier(request, uow, gabarits, guichet, reference, agent, horloge, fait=fait)


@routeur.post("/{reference}/evaluation")
def evaluer(request: Request, reference: str, agent: AgentDep, uow: UniteDeTravailDep, gabarits: GabaritsDep,
            guichet: GuichetDep, horloge: HorlogeDep):
    vues.verifier_action(uow, reference, agent, "evaluer")
    try:
        services.evaluer(uow, guichet, reference, agent, horloge=horloge)
    except Refus as exc:
        return page_du_dossier(request, uow, gabarits, guichet, reference, agent, horloge,
                               [ErreurChamp("evaluer", exc.message)], code=409)
    return RedirectResponse(f"{chemin(reference)}?fait=evaluation", status_code=303)


@routeur.post("/{reference}/etat")
def changer_etat(request: Request, reference: str, agent: AgentDep, uow: UniteDeTravailDep, gabarits: GabaritsDep,
                 guichet: GuichetDep, horloge: HorlogeDep, vers: Champ = "", motif: Champ = ""):
    vues.verifier_action(uow, reference, agent, "changer_etat")
    champ = f"motif-{vers}"
    valeurs = {champ: motif}
    if not motif.strip():
        return page_du_dossier(request, uow, gabarits, guichet, reference, agent, horloge,
                               [_erreur(champ, "écrivez pourquoi le dossier change d’état")], valeurs)
    try:
        services.changer_etat(uow, reference, vers, agent, motif, horloge)
    except SaisieRefusee as exc:
        return page_du_dossier(request, uow, gabarits, guichet, reference, agent, horloge,
                               [_erreur(champ, _message_du_domaine(exc))], valeurs)
    except Refus as exc:
        # A passage this state does not allow: the page again, with the passages it allows.
        return page_du_dossier(request, uow, gabarits, guichet, reference, agent, horloge,
                               [ErreurChamp("transitions", f"Ce changement d’état est refusé : {_refus(exc)}")],
                               valeurs, code=409)
    return RedirectResponse(f"{chemin(reference)}?fait=etat", status_code=303)


@routeur.post("/{reference}/corrections/{numero}/revue")
def revoir(request: Request, reference: str, numero: int, agent: AgentDep, uow: UniteDeTravailDep,
           gabarits: GabaritsDep, guichet: GuichetDep, horloge: HorlogeDep, decision: Champ = "",
           justification: Champ = ""):
    vues.verifier_action(uow, reference, agent, "revoir_correction")
    champ = f"justification-{numero}"
    valeurs, erreurs = {champ: justification}, []
    if decision not in ("maintenir", "retirer"):
        erreurs.append(_erreur(f"decision-{numero}", "choisissez de maintenir ou de retirer la correction"))
    if not justification.strip():
        erreurs.append(_erreur(champ, "écrivez pourquoi vous maintenez ou retirez la correction"))
    if not erreurs:
        try:
            services.revoir_correction(uow, reference, numero, decision == "maintenir", agent, justification, horloge)
        except SaisieRefusee as exc:
            erreurs.append(_erreur(champ, _message_du_domaine(exc)))
        except Refus as exc:
            return page_du_dossier(request, uow, gabarits, guichet, reference, agent, horloge,
                                   [ErreurChamp(f"correction-{numero}", exc.message)], valeurs, code=409)
    if erreurs:
        return page_du_dossier(request, uow, gabarits, guichet, reference, agent, horloge, erreurs, valeurs)
    fait = "maintenue" if decision == "maintenir" else "retiree"
    return RedirectResponse(f"{chemin(reference)}?fait={fait}", status_code=303)


@routeur.post("/{reference}/complements")
def demander_complements(request: Request, reference: str, agent: AgentDep, uow: UniteDeTravailDep,
                         gabarits: GabaritsDep, guichet: GuichetDep, horloge: HorlogeDep,
                         champs: Annotated[list[str], Form()] = [], message: Champ = ""):  # noqa: B006 (FastAPI)
    vues.verifier_action(uow, reference, agent, "demander_complements")
    valeurs = {"champs": champs, "message-complements": message}
    try:
        complements.demander_complements(uow, reference, champs, message, agent, horloge)
    except SaisieRefusee as exc:
        champ = "champs" if exc.champ == "champs" else "message-complements"
        libelle = "Ce que le porteur doit compléter" if champ == "champs" else "Message au porteur"
        return page_du_dossier(request, uow, gabarits, guichet, reference, agent, horloge,
                               [ErreurChamp(champ, f"{libelle} : {_message_du_domaine(exc)}")], valeurs)
    except Refus as exc:
        return page_du_dossier(request, uow, gabarits, guichet, reference, agent, horloge,
                               [ErreurChamp("complements", exc.message)], valeurs, code=409)
    return RedirectResponse(f"{chemin(reference)}?fait=complements", status_code=303)


@routeur.post("/{reference}/messages")
def ecrire_message(request: Request, reference: str, agent: AgentDep, uow: UniteDeTravailDep, gabarits: GabaritsDep,
                   guichet: GuichetDep, horloge: HorlogeDep, texte: Champ = ""):
    vues.verifier_action(uow, reference, agent, "ecrire_message")
    try:
        messages.ecrire_message(uow, reference, texte, agent, horloge)
    except SaisieRefusee as exc:
        return page_du_dossier(request, uow, gabarits, guichet, reference, agent, horloge,
                               [ErreurChamp("texte-message", f"Message : {_message_du_domaine(exc)}")],
                               {"texte-message": texte})
    return RedirectResponse(f"{chemin(reference)}?fait=message", status_code=303)


def choix(vide: str, paires, choisi: str) -> list[dict[str, Any]]:
    """Les options d'une liste déroulante : une première option vide, puis chaque paire (valeur, texte)."""
    return [{"value": "", "text": vide, "selected": not choisi}] + [
        {"value": valeur, "text": texte, "selected": valeur == choisi} for valeur, texte in paires]


def page_de_correction(request: Request, uow, gabarits, guichet, reference: str, agent: Agent,
                       valeurs: dict[str, str], erreurs=()):
    options = vues.options_de_correction(uow, guichet, reference, agent)
    return formulaire(request, uow, gabarits, "instruction/dossier_correction.html",
                      {"o": options, "chemin": chemin(reference), "valeurs": valeurs, "choix": choix}, erreurs)


@routeur.get("/{reference}/correction", response_class=HTMLResponse)
def formulaire_de_correction(request: Request, reference: str, agent: AgentDep, uow: UniteDeTravailDep,
                             gabarits: GabaritsDep, guichet: GuichetDep, genre: str = "", financeur: str = "",
                             regle: str = ""):
    # A link beside a funder or a finding opens the form on it (?genre=statut&financeur=…).
    valeurs = {"genre": genre if genre in GENRES else "", "financeur": financeur, "regle": regle}
    return page_de_correction(request, uow, gabarits, guichet, reference, agent, valeurs)


@routeur.post("/{reference}/correction")
def corriger(request: Request, reference: str, agent: AgentDep, uow: UniteDeTravailDep, gabarits: GabaritsDep,
             guichet: GuichetDep, horloge: HorlogeDep, genre: Champ = "", financeur: Champ = "", statut: Champ = "",
             avis: Champ = "", texte: Champ = "", financeur_constat: Champ = "", regle: Champ = "",
             justification: Champ = ""):
    vues.verifier_action(uow, reference, agent, "corriger")
    valeurs = {"genre": genre, "financeur": financeur, "statut": statut, "avis": avis, "texte": texte,
               "financeur_constat": financeur_constat, "regle": regle, "justification": justification}
    erreurs = []
    if genre not in GENRES:
        erreurs.append(_erreur("genre", "choisissez ce que vous corrigez"))
    elif genre == STATUT and not financeur:
        erreurs.append(_erreur("financeur", "choisissez le financeur dont vous corrigez le statut"))
    if genre in CHAMP_VALEUR and not valeurs[CHAMP_VALEUR[genre]].strip():
        erreurs.append(_erreur(CHAMP_VALEUR[genre], "champ obligatoire"))
    if not justification.strip():
        erreurs.append(_erreur("justification", "une correction exige une justification écrite"))
    if not erreurs:
        cible = {STATUT: financeur, AVIS_GENRE: None, CONSTAT_AJOUTE: financeur_constat or None,
                 CONSTAT_ECARTE: regle}[genre]
        valeur = {STATUT: statut, AVIS_GENRE: avis, CONSTAT_AJOUTE: texte, CONSTAT_ECARTE: ""}[genre]
        try:
            services.corriger(uow, reference, genre, cible, valeur, justification, agent, horloge)
        except SaisieRefusee as exc:
            champ = {"financeur": "financeur_constat" if genre == CONSTAT_AJOUTE else "financeur",
                     "valeur": CHAMP_VALEUR.get(genre, "genre")}.get(exc.champ or "", exc.champ or "genre")
            erreurs.append(_erreur(champ, _message_du_domaine(exc)))
    if erreurs:
        return page_de_correction(request, uow, gabarits, guichet, reference, agent, valeurs, erreurs)
    return RedirectResponse(f"{chemin(reference)}?fait=correction", status_code=303)


@routeur.get("/{reference}/avis", response_class=HTMLResponse)
def apercu_de_l_avis(request: Request, reference: str, agent: AgentDep, uow: UniteDeTravailDep,
                     gabarits: GabaritsDep, guichet: GuichetDep, horloge: HorlogeDep):
    vue = vues.avis_pour_l_instruction(uow, guichet, reference, agent, horloge())
    return gabarits.TemplateResponse(request, "instruction/dossier_avis.html",
                                     {"avis": vue, "chemin": chemin(reference)})


# The document itself, shown in the preview's frame: its own policy lets only this site frame it, and loads
# nothing but its stylesheet (the print stylesheet of the PDF).
ENTETES_DOCUMENT = {"Content-Security-Policy": "default-src 'none'; style-src 'self'; frame-ancestors 'self'; "
                                               "base-uri 'none'; form-action 'none'",
                    "X-Frame-Options": "SAMEORIGIN"}


@routeur.get("/{reference}/avis/document", response_class=HTMLResponse)
def document_de_l_avis(reference: str, agent: AgentDep, uow: UniteDeTravailDep, guichet: GuichetDep,
                       horloge: HorlogeDep):
    vue = vues.avis_pour_l_instruction(uow, guichet, reference, agent, horloge())
    return HTMLResponse(rendu.html_de(vue, "avis"), headers=ENTETES_DOCUMENT)


@routeur.get("/{reference}/avis/_document.css")
def feuille_du_document(reference: str, agent: AgentDep):
    return FileResponse(rendu.GABARITS / "_document.css", media_type="text/css")


@routeur.get("/{reference}/avis.pdf")
def pdf_de_l_avis(reference: str, agent: AgentDep, uow: UniteDeTravailDep, guichet: GuichetDep,
                  horloge: HorlogeDep):
    vue = vues.avis_pour_l_instruction(uow, guichet, reference, agent, horloge())
    with tempfile.TemporaryDirectory(prefix="guichet-avis-") as dossier:
        fichier = Path(dossier) / "avis.pdf"
        rendu.ecrire(vue, fichier, "avis")  # the same layout as `guichet avis REF --output avis.pdf`
        contenu = fichier.read_bytes()
    return Response(contenu, media_type="application/pdf",
                    headers={"Content-Disposition": piece_jointe(f"avis-{reference}.pdf")})


def piece_jointe(nom: str) -> str:
    """L'en-tête d'un fichier à enregistrer : un nom ASCII pour tous, le nom exact (RFC 6266) pour qui le lit."""
    ascii_seul = "".join(c if c.isascii() and c.isprintable() and c not in '"\\;' else "_" for c in nom)
    return f"attachment; filename=\"{ascii_seul}\"; filename*=UTF-8''{quote(nom, safe='')}"

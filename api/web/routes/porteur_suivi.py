"""Vérifier et déposer, puis suivre : `/mes-dossiers/{reference}/verifier` (les réponses, chacune avec
« Modifier »), `POST …/deposer`, la page d'un dossier déposé (lecture seule, chronologie de ses états), son
accusé de réception (`…/accuse-de-reception.pdf`), la réponse à une demande de compléments
(`…/complements/{numero}`) et le fil de messages (`POST …/messages`)."""
from typing import Optional

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from api.rendu import documents
from api.web.dependances import GabaritsDep, GuichetDep, HorlogeDep, UniteDeTravailDep
from api.web.formulaires import formulaire
from api.web.routes.porteur_commun import PorteurDep, SaisieDep, contexte_commun, panneau, titres, version_de
from api.web.routes.porteur_etapes import communes_affichees, lignes_modifiees
from forms.libelles import LIBELLES_ETATS
from forms.validation import ErreurChamp
from instruction.documents import accuse
from instruction.dossiers import brouillons, complements, etapes, messages, pieces, prediagnostic, resume, suivi
from instruction.dossiers.brouillons import ConflitDeVersion
from instruction.dossiers.cycle import BROUILLON
from instruction.erreurs import SaisieRefusee

routeur = APIRouter(prefix="/mes-dossiers", include_in_schema=False)


def _verifier(request: Request, agent, uow, guichet, gabarits, horloge, reference: str, version: Optional[int] = None,
              erreurs=(), conflit: Optional[str] = None, code: Optional[int] = None):
    dossier, brouillon = brouillons.ouvrir(uow, reference, agent, "modifier")
    if dossier.etat != BROUILLON:
        return RedirectResponse(f"/mes-dossiers/{reference}", status_code=303)
    brouillons.noter_etape(uow, reference, "verifier", agent)
    vue, totaux = panneau(guichet, dossier.donnees.model_dump(mode="json"), reference, horloge)
    jointes = pieces.lister_pieces(uow, reference, agent)
    manquants = brouillons.manquants_pour_deposer(dossier.donnees)
    return formulaire(request, uow, gabarits, "porteur/verifier.html", {
        **contexte_commun(reference), "sections": resume.sections(dossier.donnees, guichet.territoire,
                                                                  f"/mes-dossiers/{reference}"),
        "version": version or brouillon.version, "panneau": vue, "totaux": totaux, "pieces": jointes,
        "pieces_manquantes": pieces.pieces_manquantes(tuple(vue["pieces"]) if vue else (), jointes),
        "manquants": [{"libelle": e.message, "lien": prediagnostic.lien_du_champ(reference, e.champ)}
                      for e in manquants],
        "titre_dossier": dossier.donnees.projet.titre, "conflit": conflit},
        erreurs, code=code, ancres={e.champ: "deposer" if e.champ == "version" else "a-completer" for e in erreurs})


@routeur.get("/{reference}/verifier", response_class=HTMLResponse)
def page_verifier(request: Request, reference: str, agent: PorteurDep, uow: UniteDeTravailDep, guichet: GuichetDep,
                  gabarits: GabaritsDep, horloge: HorlogeDep):
    return _verifier(request, agent, uow, guichet, gabarits, horloge, reference)


@routeur.post("/{reference}/deposer")
def deposer(request: Request, reference: str, saisie: SaisieDep, agent: PorteurDep, uow: UniteDeTravailDep,
            guichet: GuichetDep, gabarits: GabaritsDep, horloge: HorlogeDep):
    args = (request, agent, uow, guichet, gabarits, horloge, reference)
    try:
        erreurs = brouillons.deposer_brouillon(uow, guichet, reference, version_de(saisie), agent, horloge)
    except ConflitDeVersion as conflit:
        # Relire avant de déposer : the answers on this page are not the ones saved since.
        return _verifier(*args, None, [ErreurChamp("version", "Le brouillon a changé depuis l’ouverture de cette "
                                                              "page : relisez vos réponses ci-dessous avant de "
                                                              "déposer")],
                         conflit=conflit.message, code=409)
    if erreurs:
        return _verifier(*args, version_de(saisie), erreurs)
    return RedirectResponse(f"/mes-dossiers/{reference}?depose=1", status_code=303)


def page_du_dossier(request: Request, agent, uow, guichet, gabarits, horloge, reference: str, vient_d_etre_depose: bool,
                    message_saisi: str = "", erreurs=()):
    lu = suivi.suivre(uow, reference, agent)
    derniere = lu.dossier.derniere_evaluation
    commune = guichet.territoire.commune(lu.dossier.donnees.projet.commune_insee)
    vue = prediagnostic.construire(derniere.resultat, reference, titres(guichet),
                                   commune.epci_nom if commune else None) if derniere else None
    if vue:  # filed: the questions are no longer links to steps the holder cannot change any more
        vue["questions"] = [{**q, "lien": None} for q in vue["questions"]]
    demande = lu.demande_en_attente
    return formulaire(request, uow, gabarits, "porteur/dossier.html", {
        **contexte_commun(reference), "suivi": lu, "dossier": lu.dossier, "panneau": vue, "evaluation": derniere,
        "sections": resume.sections(lu.dossier.donnees, guichet.territoire),
        "chronologie": suivi.chronologie(lu.dossier, lu.demandes), "depose": vient_d_etre_depose,
        "demande": demande, "champs_demandes": suivi.nom_des_champs(demande.champs) if demande else [],
        "message_saisi": message_saisi, "etat_libelle": LIBELLES_ETATS.get(lu.dossier.etat, lu.dossier.etat)}, erreurs)


@routeur.get("/{reference}/accuse-de-reception.pdf")
def accuse_de_reception(reference: str, agent: PorteurDep, uow: UniteDeTravailDep, guichet: GuichetDep,
                        horloge: HorlogeDep):
    vue = accuse.accuse_de_reception(uow, guichet, reference, agent, horloge())
    contenu = documents.pdf_en_octets(documents.accuse_html(vue))
    return Response(contenu, media_type="application/pdf", headers={
        "Content-Disposition": f'attachment; filename="accuse-de-reception-{reference}.pdf"'})


@routeur.post("/{reference}/messages")
def ecrire(request: Request, reference: str, saisie: SaisieDep, agent: PorteurDep, uow: UniteDeTravailDep,
           guichet: GuichetDep, gabarits: GabaritsDep, horloge: HorlogeDep):
    texte = (saisie.get("texte") or [""])[0]
    try:
        messages.ecrire_message(uow, reference, texte, agent, horloge)
    except SaisieRefusee as refus:
        return page_du_dossier(request, agent, uow, guichet, gabarits, horloge, reference, False, texte,
                               [ErreurChamp("texte", refus.message.split(" : ", 1)[-1])])
    return RedirectResponse(f"/mes-dossiers/{reference}#messages", status_code=303)


def _complements(request: Request, agent, uow, guichet, gabarits, reference: str, numero: int, saisie=None,
                 note: str = "", erreurs=()):
    lu = suivi.suivre(uow, reference, agent)
    demande = next((d for d in lu.demandes if d.numero == numero), None)
    if demande is None:
        raise complements.DemandeIntrouvable(reference, numero)
    if not demande.en_attente:
        return RedirectResponse(f"/mes-dossiers/{reference}", status_code=303)
    champs = [c for c in demande.champs if c != complements.PIECES]
    if saisie is None:
        saisie = etapes.saisie_du_dossier(lu.dossier.donnees.model_dump(mode="json"), guichet.territoire)
    lignes = [{"index": i, "numero": i + 1, **ligne} for i, ligne in enumerate(etapes.lignes_saisies(saisie))] or [
        {"index": 0, "numero": 1, "financeur": "", "montant": "", "statut": ""}]
    communes = communes_affichees(guichet.territoire) if "projet.commune_insee" in champs else ()
    return formulaire(request, uow, gabarits, "porteur/complements.html", {
        **contexte_commun(reference), "demande": demande, "champs": champs, "saisie": saisie, "note": note,
        "pieces_demandees": complements.PIECES in demande.champs, "pieces": lu.pieces, "lignes": lignes,
        "communes": communes, "montre": {c: True for c in set(etapes.CONDITIONS.values())},
        "champs_demandes": suivi.nom_des_champs(demande.champs), "dossier": lu.dossier},
        erreurs, ancres={e.champ: etapes.ancre(e.champ) for e in erreurs})


@routeur.get("/{reference}/complements/{numero}", response_class=HTMLResponse)
def page_complements(request: Request, reference: str, numero: int, agent: PorteurDep, uow: UniteDeTravailDep,
                     guichet: GuichetDep, gabarits: GabaritsDep):
    return _complements(request, agent, uow, guichet, gabarits, reference, numero)


@routeur.post("/{reference}/complements/{numero}")
def repondre(request: Request, reference: str, numero: int, saisie: SaisieDep, agent: PorteurDep,
             uow: UniteDeTravailDep, guichet: GuichetDep, gabarits: GabaritsDep, horloge: HorlogeDep):
    note = (saisie.get("note") or [""])[0]
    action = (saisie.get("action") or [""])[0]
    if action == "ajouter_ligne" or action.startswith("retirer_ligne-"):  # the plan's buttons, without JavaScript
        return _complements(request, agent, uow, guichet, gabarits, reference, numero,
                            lignes_modifiees(saisie, action), note)
    erreurs = complements.repondre_complements(uow, guichet, reference, numero, saisie, note, agent, horloge)
    if erreurs:
        return _complements(request, agent, uow, guichet, gabarits, reference, numero, saisie, note, erreurs)
    return RedirectResponse(f"/mes-dossiers/{reference}?complete=1", status_code=303)

"""Ce que partagent les pages de la salle du comité : les phrases de réussite, les erreurs du domaine en erreurs de
champ, la lecture d'une date saisie en trois cases (composant govuk « date input »)."""
from datetime import date
from typing import Optional

from forms.validation import ErreurChamp
from instruction import acces
from instruction.acces import Agent
from instruction.comite import services as services_comite
from instruction.erreurs import ErreurInstruction
from instruction.ports import UniteDeTravail

# What a page says after a form succeeded (?fait=…): fixed sentences, nothing taken from the address.
FAITS = {"cree": "La réunion est créée. Ajoutez des dossiers à son ordre du jour, ou importez une liste.",
         "inscrits": "Les dossiers sont inscrits à l’ordre du jour.",
         "retire": "Le dossier est retiré de l’ordre du jour ; il revient à « avis rendu ».",
         "evaluee": "Toute la liste a été évaluée ; les contrôles croisés sont à jour.",
         "presence": "La feuille de présence est enregistrée.",
         "decision": "La décision est enregistrée.",
         "enveloppe": "L’enveloppe est ajoutée.",
         "enveloppe_retiree": "L’enveloppe est retirée."}

# The domain's technical field names, as the pages name them.
LIBELLES_CHAMPS = {"date": "Date de la réunion", "contrat": "Contrat", "code": "Code de la réunion",
                   "membres": "Membres", "motif": "Motif", "fichier": "Fichier", "financeur": "Financeur",
                   "dispositif": "Dispositif", "montant": "Montant", "source": "Source du montant",
                   "decisions": "Décisions", "decision": "Décision", "version": "Version des règles",
                   "references": "Dossiers"}


def erreur_de(exc: ErreurInstruction, champ: Optional[str] = None) -> ErreurChamp:
    """L'erreur du domaine sur son champ, le message commençant par le nom du champ en français."""
    champ = champ or exc.champ or "motif"
    message = exc.message.removeprefix(f"{exc.champ} : ") if exc.champ else exc.message
    libelle = LIBELLES_CHAMPS.get(champ.split("_")[0], None)
    return ErreurChamp(champ, f"{libelle} : {message}" if libelle else message[:1].upper() + message[1:])


def lire_date(jour: str, mois: str, annee: str, champ: str, erreurs: list[ErreurChamp], quoi: str,
              obligatoire: bool = True) -> Optional[date]:
    """La date des trois cases, ou None avec une erreur ajoutée à `erreurs` (champ vide permis si facultatif)."""
    cases = [x.strip() for x in (jour, mois, annee)]
    if not any(cases):
        if obligatoire:
            erreurs.append(ErreurChamp(champ, f"Saisissez {quoi}"))
        return None
    if not all(c.isdigit() for c in cases):
        erreurs.append(ErreurChamp(champ, f"{quoi[:1].upper()}{quoi[1:]} doit comporter un jour, un mois et une "
                                          "année en chiffres, comme 11 12 2025"))
        return None
    try:
        return date(int(cases[2]), int(cases[1]), int(cases[0]))
    except ValueError:
        erreurs.append(ErreurChamp(champ, f"{quoi[:1].upper()}{quoi[1:]} doit être une vraie date, comme 11 12 2025"))
        return None


def verifier_gestion(uow: UniteDeTravail, code: str, agent: Agent, action: str = "gerer_comite") -> None:
    """Avant de lire un formulaire : 404 pour une réunion que l'agent ne voit pas, 403 s'il ne peut que la lire ;
    ainsi un membre du comité n'apprend rien de la validité de ce qu'il enverrait."""
    services_comite.consulter_comite(uow, code, agent)
    acces.verifier(agent, action, comite=code)

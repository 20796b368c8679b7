"""`/admin` : les comptes (liste, création, changement de rôle) et le journal d'audit, pour l'administrateur.
Les jetons d'API sont dans `admin_jetons.py`. Toute la rubrique exige l'action « administrer » (403 sinon)."""
from typing import Annotated, Optional

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse

from api.web.acces import AdminDep, exiger
from api.web.dependances import GabaritsDep, HacheurDep, HorlogeDep, UniteDeTravailDep
from api.web.formulaires import formulaire
from api.web.sessions import adresse
from forms.validation import ErreurChamp
from instruction.comptes import services, services_jetons
from instruction.comptes.compte import lire_comites

routeur = APIRouter(prefix="/admin", include_in_schema=False, dependencies=[Depends(exiger("administrer"))])
Champ = Annotated[str, Form()]
# What the page says after a form succeeded (?fait=…): fixed sentences, nothing taken from the address.
FAITS = {"compte": "Le compte a été créé.", "role": "Le rôle a été changé.", "revocation": "Le jeton a été révoqué.",
         "desactivation": "Le compte a été désactivé.", "reactivation": "Le compte a été réactivé."}


@routeur.get("", response_class=HTMLResponse)
def accueil(request: Request, agent: AdminDep, uow: UniteDeTravailDep, gabarits: GabaritsDep,
            fait: Optional[str] = None):
    return formulaire(request, uow, gabarits, "admin/accueil.html", {
        "comptes": services.lister_comptes(uow, agent), "jetons": services_jetons.lister_jetons(uow, agent),
        "journal": services.journal(uow, agent, 30), "fait": FAITS.get(fait or "")})


@routeur.get("/comptes/nouveau", response_class=HTMLResponse)
def page_nouveau_compte(request: Request, uow: UniteDeTravailDep, gabarits: GabaritsDep):
    return formulaire(request, uow, gabarits, "admin/compte_nouveau.html", {"valeurs": {"role": "porteur"}})


@routeur.post("/comptes/nouveau")
def creer_compte(request: Request, agent: AdminDep, uow: UniteDeTravailDep, gabarits: GabaritsDep,
                 hacheur: HacheurDep, horloge: HorlogeDep, email: Champ = "", nom: Champ = "", role: Champ = "",
                 comites: Champ = "", mot_de_passe: Champ = ""):
    erreurs = services.creer_compte(uow, agent, email, role, mot_de_passe, nom, lire_comites(comites),
                                    adresse(request), horloge, hacheur)
    if erreurs:
        valeurs = {"email": email.strip(), "nom": nom.strip(), "role": role, "comites": comites}
        return formulaire(request, uow, gabarits, "admin/compte_nouveau.html", {"valeurs": valeurs}, erreurs,
                          ancres={"role": "role"})
    return RedirectResponse("/admin?fait=compte", status_code=303)


@routeur.get("/comptes/role", response_class=HTMLResponse)
def page_role(request: Request, agent: AdminDep, uow: UniteDeTravailDep, gabarits: GabaritsDep, email: str = ""):
    compte = services.consulter_compte(uow, agent, email)  # unknown: 404
    return formulaire(request, uow, gabarits, "admin/role.html", {
        "compte": compte, "valeurs": {"role": compte.role, "comites": ", ".join(sorted(compte.comites))}})


@routeur.post("/comptes/role")
def changer_role(request: Request, agent: AdminDep, uow: UniteDeTravailDep, gabarits: GabaritsDep,
                 horloge: HorlogeDep, email: Champ = "", role: Champ = "", comites: Champ = ""):
    compte = services.consulter_compte(uow, agent, email)  # unknown: 404
    erreurs = services.changer_role(uow, agent, compte.email, role, lire_comites(comites), adresse(request), horloge)
    if erreurs:
        return formulaire(request, uow, gabarits, "admin/role.html",
                          {"compte": compte, "valeurs": {"role": role, "comites": comites}}, erreurs)
    return RedirectResponse("/admin?fait=role", status_code=303)


@routeur.post("/comptes/activite")
def changer_activite(request: Request, agent: AdminDep, uow: UniteDeTravailDep, gabarits: GabaritsDep,
                     horloge: HorlogeDep, email: Champ = "", actif: Champ = ""):
    compte = services.consulter_compte(uow, agent, email)  # unknown: 404
    if actif not in ("oui", "non"):
        erreurs = [ErreurChamp("actif", "Choisissez de désactiver ou de réactiver le compte")]
    else:
        erreurs = services.changer_activite(uow, agent, compte.email, actif == "oui", adresse(request), horloge)
    if erreurs:
        return formulaire(request, uow, gabarits, "admin/role.html", {
            "compte": compte, "valeurs": {"role": compte.role, "comites": ", ".join(sorted(compte.comites))}},
            erreurs, ancres={"actif": "activite"})
    return RedirectResponse(f"/admin?fait={'reactivation' if actif == 'oui' else 'desactivation'}", status_code=303)

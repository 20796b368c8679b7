"""Un travail par paquets (`api.web.travaux.lancer_par_paquets`, l'évaluation par lot du bureau) : chaque paquet
se fait en une fois ; un paquet qui échoue en entier est refait élément par élément, et les autres vont au bout."""
from types import SimpleNamespace

from api.web import travaux as travaux_web
from instruction import travaux
from instruction.acces import Agent
from instruction.erreurs import DossierIntrouvable
from instruction.storage.unite import UniteDeTravailSql

SERVICES = Agent.local("services")


def test_un_paquet_en_panne_est_refait_un_par_un_et_les_autres_paquets_vont_au_bout(moteur):
    contexte = SimpleNamespace(unite_de_travail=lambda: UniteDeTravailSql(moteur), pause_travaux=0, paquet_travaux=2)
    paquets_vus, seuls = [], []

    def par_paquet(elements):
        paquets_vus.append(list(elements))
        if "C" in elements:
            raise RuntimeError("la base a lâché au milieu du paquet")
        return [travaux.Issue(e, True, "en paquet") for e in elements]

    def par_element(element):
        seuls.append(element)
        if element == "D":
            raise DossierIntrouvable(element)
        return "seul"

    numero = travaux_web.lancer_par_paquets(contexte, SERVICES, "evaluer", "Essai", list("ABCDE"), par_paquet,
                                            par_element, taille=100)
    assert travaux_web.attendre(numero, 30)
    travail = travaux.consulter(contexte.unite_de_travail(), SERVICES, numero)
    assert paquets_vus == [["A", "B"], ["C", "D"], ["E"]] and seuls == ["C", "D"]
    assert [(e.element, e.etat, e.message) for e in travail.elements] == [
        ("A", travaux.REUSSI, "en paquet"), ("B", travaux.REUSSI, "en paquet"), ("C", travaux.REUSSI, "seul"),
        ("D", travaux.ECHOUE, DossierIntrouvable("D").message), ("E", travaux.REUSSI, "en paquet")]
    assert travail.etat == travaux.TERMINE and (travail.faits, travail.echecs) == (5, 1)

"""Le faux dépôt des travaux par lots (`instruction.travaux.EntrepotTravaux`), pour `faux.FausseUnite`."""
from dataclasses import replace
from typing import Optional

from instruction.travaux import ECHOUE, EN_ATTENTE, EN_COURS, INTERROMPU, REUSSI, ElementTravail, Travail


class FauxEntrepotTravaux:
    def __init__(self, donnees: dict):
        self.donnees = donnees  # number -> Travail

    def ajouter(self, travail: Travail) -> int:
        numero = len(self.donnees) + 1
        self.donnees[numero] = replace(travail, id=numero, elements=list(travail.elements))
        return numero

    def obtenir(self, numero: int) -> Optional[Travail]:
        travail = self.donnees.get(numero)
        return replace(travail, elements=list(travail.elements)) if travail else None

    def noter(self, numero: int, issues, quand) -> None:
        travail = self.donnees[numero]
        for position, issue in issues:
            element = travail.elements[position - 1]
            if element.etat == EN_ATTENTE:
                travail.elements[position - 1] = replace(element, etat=REUSSI if issue.reussi else ECHOUE,
                                                         message=issue.message, fini_le=quand)
                travail.faits += 1
                travail.echecs += 0 if issue.reussi else 1
        travail.battement = quand

    def battre(self, numero: int, quand) -> None:
        self.donnees[numero].battement = quand

    def terminer(self, numero: int, etat: str, quand) -> None:
        travail = self.donnees[numero]
        if travail.etat == EN_COURS:
            travail.etat, travail.fini_le, travail.battement = etat, quand, quand

    def lister(self, nombre: int) -> list[Travail]:
        tries = sorted(self.donnees.values(), key=lambda t: (t.cree_le, t.id), reverse=True)
        return [replace(t, elements=[]) for t in tries[:nombre]]

    def avancer(self, numero: int, faits: int, total: int, quand) -> None:
        travail = self.donnees[numero]
        travail.faits, travail.total, travail.battement = faits, total, quand

    def completer(self, numero: int, issues, quand) -> None:
        travail = self.donnees[numero]
        travail.elements = [ElementTravail(i, x.element, REUSSI if x.reussi else ECHOUE, x.message, quand)
                            for i, x in enumerate(issues, 1)]
        travail.total = travail.faits = len(issues)
        travail.echecs = sum(1 for x in issues if not x.reussi)
        travail.battement = quand

    def processus_en_cours(self) -> list[str]:
        return sorted({t.processus for t in self.donnees.values() if t.etat == EN_COURS})

    def interrompre(self, muets_avant, quand, processus=()) -> int:
        nombre = 0
        for travail in self.donnees.values():
            if travail.etat == EN_COURS and (travail.battement < muets_avant or travail.processus in processus):
                travail.etat, travail.fini_le = INTERROMPU, quand
                nombre += 1
        return nombre

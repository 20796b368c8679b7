"""Le comité technique d'un contrat de destination : sa date, ses membres, son ordre du jour.

Art. 5.2 du contrat Lys Artois : un représentant technique de chaque structure, et « selon
les sujets » des techniciens experts. Les membres par défaut sont ceux que le contrat nomme
(`data/contrats.yaml`) ; on peut en nommer les représentants et ajouter des experts.
"""
import re
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from typing import Any, Optional

from instruction.erreurs import Refus, SaisieRefusee
from instruction.evaluation.territoire import Contrat

CODE_VALIDE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$")


@dataclass(frozen=True)
class Membre:
    structure: str
    representant: str = ""
    present: Optional[bool] = None  # None until attendance is recorded: minutes say who was there

@dataclass
class Comite:
    code: str
    date: date
    contrat: str
    membres: list[Membre]
    ordre_du_jour: list[str] = field(default_factory=list)  # dossier references, in order of examination
    controles: list[dict[str, Any]] = field(default_factory=list)  # cross-dossier findings, last evaluation
    evalue_le: Optional[datetime] = None
    version_regles: Optional[str] = None

    @classmethod
    def creer(cls, contrat: Contrat, jour: date, code: Optional[str] = None,
              membres: Optional[list[Membre]] = None) -> "Comite":
        if not contrat.en_vigueur(jour):
            raise SaisieRefusee("date", f"le {jour.isoformat()} est hors de la période du contrat « {contrat.nom} » "
                                        f"({contrat.du.isoformat()} – {contrat.au.isoformat()})")
        if membres is None:
            membres = [Membre(s) for s in contrat.comite_technique]
        if any(not m.structure.strip() for m in membres):
            raise SaisieRefusee("membres", "chaque membre nomme sa structure (« Structure=Représentant »)")
        if not membres:
            raise SaisieRefusee("membres", f"le contrat « {contrat.nom} » ne nomme pas de comité technique : "
                                           "donnez ses membres")
        code = (code or f"{contrat.id}-{jour.isoformat()}").strip()
        if not CODE_VALIDE.match(code):
            # The code names files and addresses (/comites/{code}): no path separators, no spaces.
            raise SaisieRefusee("code", f"« {code} » : lettres, chiffres, « - » et « _ » seulement, 64 caractères "
                                        "au plus, en commençant par une lettre ou un chiffre")
        return cls(code=code, date=jour, contrat=contrat.id, membres=list(membres))

    def noter_presence(self, presences: dict[str, tuple[str, bool]]) -> None:
        """`presences` : structure → (représentant, présent ?) ; une structure hors de la liste s'ajoute
        (un expert invité « selon les sujets », art. 5.2)."""
        connues = {m.structure for m in self.membres}
        for structure, (representant, present) in presences.items():
            if not structure.strip():
                raise SaisieRefusee("membres", "chaque membre nomme sa structure")
            if structure not in connues:
                self.membres.append(Membre(structure.strip(), representant.strip(), present))
        self.membres = [replace(m, representant=presences[m.structure][0].strip() or m.representant,
                                present=presences[m.structure][1]) if m.structure in presences else m
                        for m in self.membres]

    def inscrire(self, reference: str) -> None:
        if reference in self.ordre_du_jour:
            raise Refus(f"déjà à l'ordre du jour du comité « {self.code} »", reference)
        self.ordre_du_jour.append(reference)

    def retirer(self, reference: str) -> None:
        if reference not in self.ordre_du_jour:
            raise Refus(f"absent de l'ordre du jour du comité « {self.code} »", reference)
        self.ordre_du_jour.remove(reference)

    def deplacer(self, reference: str, decalage: int) -> None:
        """Avance (`decalage` < 0) ou recule un dossier dans l'ordre du jour ; aux bords, il y reste."""
        if reference not in self.ordre_du_jour:
            raise Refus(f"absent de l'ordre du jour du comité « {self.code} »", reference)
        depart = self.ordre_du_jour.index(reference)
        arrivee = min(max(depart + decalage, 0), len(self.ordre_du_jour) - 1)
        self.ordre_du_jour.insert(arrivee, self.ordre_du_jour.pop(depart))

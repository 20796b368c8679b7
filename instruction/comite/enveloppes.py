"""Les enveloppes budgétaires d'une réunion du comité, par financeur et dispositif, et leur suivi.

Une enveloppe est ce qu'un financeur consacre à un dispositif pour la réunion (par exemple, dans la
fiche action de La Porte du Hainaut, 237 000 € pour le « dispositif d'accompagnement des hébergeurs »,
2023-2026). La salle du comité montre, pour chaque enveloppe, les montants proposés (les demandes des
plans de financement là où l'avis laisse la voie ouverte) et les montants décidés (les décisions
favorables de la réunion), et avertit quand l'un ou l'autre dépasse l'enveloppe.

Interprétation (`interpretation: true` au sens du README) : les textes ne disent pas comment une demande
s'impute sur une enveloppe. On impute la demande d'un dossier, et sa décision, à l'enveloppe que la
décision désigne ; à défaut, à la seule enveloppe du financeur ; s'il en a plusieurs, elle reste « à
répartir » au niveau du financeur. Seules les lignes « sollicitées » sont des propositions : une aide
« acquise » est déjà engagée ailleurs.
"""
import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Iterable, Optional, Sequence

from forms.libelles import NOMS_FINANCEURS
from forms.textes import ligne_de_texte
from forms.valeurs import FINANCEURS
from instruction.erreurs import Refus, SaisieRefusee

PLAFOND = Decimal(10) ** 12  # euros: what a stored amount can hold (NUMERIC(14, 2))
LONGUEUR_MAX_DISPOSITIF = 200
LONGUEUR_MAX_SOURCE = 500
CENTIME = Decimal("0.01")
_MONTANT = re.compile(r"[0-9]+(?:[.,][0-9]+)?")
# What people type in an amount besides digits: spaces between thousands (plain, no-break, narrow) and « € ».
_DECOR = str.maketrans({" ": None, "\u00a0": None, "\u202f": None, "€": None})


def lire_montant(texte: Optional[str], champ: str = "montant") -> Optional[Decimal]:
    """« 237 000 », « 237 000,50 € », « 1250.5 » → Decimal au centime ; un champ vide → None. Lève
    `SaisieRefusee` en nommant le champ pour tout le reste (négatif, plus de deux décimales, trop grand)."""
    brut = (texte or "").strip()
    if not brut:
        return None
    chiffres = brut.translate(_DECOR)
    if chiffres.startswith("-"):
        raise SaisieRefusee(champ, "le montant ne peut pas être négatif")
    if not _MONTANT.fullmatch(chiffres):
        raise SaisieRefusee(champ, f"« {brut} » n'est pas un montant en euros (par exemple 237 000 ou 1 250,50)")
    try:
        montant = Decimal(chiffres.replace(",", "."))
    except InvalidOperation:  # pragma: no cover - the pattern above only lets decimals through
        raise SaisieRefusee(champ, f"« {brut} » n'est pas un montant en euros") from None
    return verifier_montant(montant, champ)


def verifier_montant(montant: Decimal, champ: str = "montant") -> Decimal:
    """Le montant s'il est exact au centime, positif ou nul et sous 10^12 € ; sinon `SaisieRefusee`."""
    if not isinstance(montant, Decimal) or not montant.is_finite():
        raise SaisieRefusee(champ, "un montant en euros est attendu")
    if montant < 0:
        raise SaisieRefusee(champ, "le montant ne peut pas être négatif")
    if montant != montant.quantize(CENTIME):
        raise SaisieRefusee(champ, "le montant s'écrit au centime près (deux décimales au plus)")
    if montant >= PLAFOND:
        raise SaisieRefusee(champ, "le montant doit être inférieur à 1 000 milliards d'euros")
    return montant.quantize(CENTIME)


def _une_ligne(texte: str, champ: str, maximum: int, obligatoire: bool) -> str:
    propre = " ".join((texte or "").split())
    if obligatoire and not propre:
        raise SaisieRefusee(champ, "ce champ est obligatoire")
    if len(propre) > maximum:
        raise SaisieRefusee(champ, f"{maximum} caractères au plus")
    try:
        return ligne_de_texte(propre)
    except ValueError as exc:
        raise SaisieRefusee(champ, str(exc)) from None


@dataclass(frozen=True)
class Enveloppe:
    financeur: str
    dispositif: str
    montant: Decimal
    source: str = ""  # where the amount comes from (a text, a deliberation): what the minutes cite

    @classmethod
    def creer(cls, financeur: str, dispositif: str, montant: Optional[Decimal], source: str = "") -> "Enveloppe":
        if financeur not in FINANCEURS:
            raise SaisieRefusee("financeur", f"choisissez un financeur parmi : {', '.join(FINANCEURS)}")
        if montant is None:
            raise SaisieRefusee("montant", "saisissez le montant de l'enveloppe")
        return cls(financeur, _une_ligne(dispositif, "dispositif", LONGUEUR_MAX_DISPOSITIF, True),
                   verifier_montant(montant), _une_ligne(source, "source", LONGUEUR_MAX_SOURCE, False))

    @property
    def cle(self) -> tuple[str, str]:
        return self.financeur, self.dispositif


def ajouter(enveloppes: Sequence[Enveloppe], nouvelle: Enveloppe) -> list[Enveloppe]:
    """La liste avec la nouvelle enveloppe à la fin ; un même financeur n'a qu'une enveloppe par dispositif."""
    if any(e.cle == nouvelle.cle for e in enveloppes):
        raise SaisieRefusee("dispositif", f"{NOMS_FINANCEURS[nouvelle.financeur]} a déjà une enveloppe « "
                                          f"{nouvelle.dispositif} » pour cette réunion")
    return [*enveloppes, nouvelle]


def retirer(enveloppes: Sequence[Enveloppe], financeur: str, dispositif: str) -> list[Enveloppe]:
    restantes = [e for e in enveloppes if e.cle != (financeur, dispositif)]
    if len(restantes) == len(enveloppes):
        raise Refus(f"aucune enveloppe « {dispositif} » pour {NOMS_FINANCEURS.get(financeur, financeur)}")
    return restantes


def dispositif_de(enveloppes: Sequence[Enveloppe], financeur: str, dispositif: Optional[str]) -> Optional[str]:
    """Le dispositif qu'une décision désigne, vérifié : vide → celui de la seule enveloppe du financeur (ou
    aucun) ; nommé → il doit être l'une des enveloppes du financeur."""
    siennes = [e.dispositif for e in enveloppes if e.financeur == financeur]
    if not dispositif:
        return siennes[0] if len(siennes) == 1 else None
    if dispositif not in siennes:
        possibles = ", ".join(f"« {s} »" for s in siennes) or "aucune"
        raise SaisieRefusee(f"dispositif_{financeur}", f"pas d'enveloppe « {dispositif} » pour "
                                                       f"{NOMS_FINANCEURS[financeur]} ; enveloppes : {possibles}")
    return dispositif


@dataclass(frozen=True)
class Demande:
    """Ce qu'un dossier de l'ordre du jour pèse sur un financeur : sa demande sollicitée (si la voie est ouverte),
    et la décision de la réunion (son montant et le dispositif qu'elle désigne)."""
    reference: str
    financeur: str
    propose: Optional[Decimal] = None
    decision: Optional[str] = None
    decide: Optional[Decimal] = None
    dispositif: Optional[str] = None


@dataclass
class Suivi:
    """Une enveloppe (ou, `enveloppe` None, le reste « à répartir » d'un financeur à plusieurs enveloppes)."""
    financeur: str
    enveloppe: Optional[Enveloppe]
    propose: Decimal = Decimal(0)
    decide: Decimal = Decimal(0)
    demandes: list[Demande] = field(default_factory=list)

    @property
    def montant(self) -> Optional[Decimal]:
        return self.enveloppe.montant if self.enveloppe else None

    @property
    def reste(self) -> Optional[Decimal]:
        return None if self.enveloppe is None else self.enveloppe.montant - self.decide

    @property
    def depassee(self) -> bool:
        """Les décisions prises dépassent l'enveloppe."""
        return self.enveloppe is not None and self.decide > self.enveloppe.montant

    @property
    def propositions_au_dela(self) -> bool:
        """Les demandes proposées dépassent l'enveloppe : le comité devra choisir."""
        return self.enveloppe is not None and self.propose > self.enveloppe.montant


def suivre(enveloppes: Sequence[Enveloppe], demandes: Iterable[Demande]) -> list[Suivi]:
    """Une ligne par enveloppe, dans l'ordre de la liste, puis une ligne « à répartir » par financeur à plusieurs
    enveloppes quand des demandes n'ont pas de dispositif. Les demandes des financeurs sans enveloppe sont ignorées."""
    lignes = {e.cle: Suivi(e.financeur, e) for e in enveloppes}
    par_financeur: dict[str, list[Enveloppe]] = {}
    for e in enveloppes:
        par_financeur.setdefault(e.financeur, []).append(e)
    a_repartir: dict[str, Suivi] = {}
    for d in demandes:
        siennes = par_financeur.get(d.financeur)
        if not siennes:
            continue
        if d.dispositif and (d.financeur, d.dispositif) in lignes:
            ligne = lignes[(d.financeur, d.dispositif)]
        elif len(siennes) == 1:
            ligne = lignes[siennes[0].cle]
        else:
            ligne = a_repartir.setdefault(d.financeur, Suivi(d.financeur, None))
        ligne.propose += d.propose or 0
        ligne.decide += d.decide or 0
        ligne.demandes.append(d)
    return list(lignes.values()) + list(a_repartir.values())

"""Le dossier d'entrée du contrat public. Un champ absent ou nul est inconnu, pas faux."""
from datetime import date
from decimal import Decimal
from typing import Annotated, Any, Optional

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    Strict,
    StrictBool,
    field_validator,
    model_validator,
)
from stdnum.exceptions import ValidationError
from stdnum.fr import siret as stdnum_siret

from forms.textes import (
    LONGUEUR_DESCRIPTION,
    LONGUEUR_NOM,
    LONGUEUR_REFERENCE,
    LONGUEUR_TITRE,
    identifiant,
    ligne_de_texte,
    texte_libre,
)
from forms.valeurs import (
    Clientele,
    Envergure,
    FinanceurId,
    Label,
    Nature,
    Rayonnement,
    Secteur,
    StatutFinancement,
    Taille,
    Thematique,
    TypeHebergement,
    TypePorteur,
)

PLAFOND_MONTANT = 1e12  # euros: beyond any tourism project, and beyond what a stored amount can hold


def montant_exact(montant: Optional[float]) -> Optional[Decimal]:
    """Le montant tel que l'utilisateur l'a tapé, en décimal exact : repr() rend le texte le plus court
    qui se relit en ce flottant. Les sommes d'euros se font sur ces valeurs, jamais sur les flottants."""
    return None if montant is None else Decimal(repr(montant))


def _au_centime(montant: float) -> float:
    # Amounts are stored to the cent: a sub-cent amount would be silently rounded, refuse it here.
    texte = repr(montant)
    virgule = texte.find(".")
    # Most amounts: repr() writes them positionally with at most two decimals, which the decimal
    # reading below would accept (normalising only drops zeros). Anything else is read exactly.
    if virgule >= 0 and len(texte) - virgule <= 3 and "e" not in texte:
        return montant
    if montant_exact(montant).normalize().as_tuple().exponent < -2:
        raise ValueError("doit être un montant au centime près (deux décimales au plus)")
    return montant


# Luhn: every second digit from the right is doubled, and a doubled digit counts its two digits.
_DOUBLES = (0, 2, 4, 6, 8, 1, 3, 5, 7, 9)
LA_POSTE, SIEGE_DE_LA_POSTE = "356000000", "35600000000048"


def _luhn(chiffres: str) -> bool:
    inverses = chiffres[::-1]
    return (sum(map(int, inverses[::2])) + sum(map(_DOUBLES.__getitem__, map(int, inverses[1::2])))) % 10 == 0


def cle_siret_valide(siret: str) -> bool:
    """La clé d'un SIRET de 14 chiffres ASCII, comme python-stdnum la vérifie : Luhn sur le SIRET (les
    établissements de La Poste, hors siège, ont une somme de chiffres multiple de 5) et Luhn sur le SIREN."""
    if siret.startswith(LA_POSTE) and siret != SIEGE_DE_LA_POSTE:
        cle = sum(map(int, siret)) % 5 == 0
    else:
        cle = _luhn(siret)
    return cle and _luhn(siret[:9])


def _date_ecrite(valeur: Any) -> Any:
    # Pydantic reads a number as a Unix timestamp (0 is 1970-01-01): a date is written, never counted.
    if isinstance(valeur, (bool, int, float)):
        raise ValueError("doit être une date au format AAAA-MM-JJ")
    return valeur


# Strict: true is not 1 €, "12" is not 12 (the CSV reader turns its cells into numbers itself). An int is
# still a float, as in JSON.
Montant = Annotated[float, Strict(), Field(ge=0, lt=PLAFOND_MONTANT, allow_inf_nan=False),
                    AfterValidator(_au_centime)]
MontantStrictementPositif = Annotated[float, Strict(), Field(gt=0, lt=PLAFOND_MONTANT, allow_inf_nan=False),
                                      AfterValidator(_au_centime)]
Date = Annotated[date, BeforeValidator(_date_ecrite)]
Reference = Annotated[str, Field(min_length=1, max_length=LONGUEUR_REFERENCE), AfterValidator(identifiant)]
Nom = Annotated[str, Field(max_length=LONGUEUR_NOM), AfterValidator(ligne_de_texte)]
Titre = Annotated[str, Field(max_length=LONGUEUR_TITRE), AfterValidator(ligne_de_texte)]
Description = Annotated[str, Field(max_length=LONGUEUR_DESCRIPTION), AfterValidator(texte_libre)]


class _Strict(BaseModel):
    # A misspelt key silently read as "unknown" would hide a real answer: refuse it.
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class Porteur(_Strict):
    nom: Optional[Nom] = None
    type: Optional[TypePorteur] = None
    siret: Optional[str] = None
    taille: Optional[Taille] = None
    rayonnement: Optional[Rayonnement] = None
    aides_minimis_3_ans: Optional[Montant] = None
    # Added to the contract (optional): EU law counts any holder that sells goods or services on a
    # market as an undertaking, whatever its legal form (de minimis, Reg. 2023/2831).
    activite_economique: Optional[StrictBool] = None

    @field_validator("siret")
    @classmethod
    def _siret_valide(cls, valeur: Optional[str]) -> Optional[str]:
        if valeur is None or valeur == "":
            return None
        if len(valeur) == 14 and valeur.isascii() and valeur.isdigit():
            # Fourteen ASCII digits, as nearly every SIRET is written: nothing to clean up (python-stdnum's
            # compact() would return it as is), and the check digits are computed here, faster.
            if not cle_siret_valide(valeur):
                raise ValueError("le SIRET a une clé de contrôle invalide")
            return valeur
        identifiant(valeur)
        compact = stdnum_siret.compact(valeur)
        if not (compact.isascii() and compact.isdigit()) or len(compact) != 14:
            raise ValueError("le SIRET doit compter 14 chiffres")
        try:
            stdnum_siret.validate(compact)
        except ValidationError:
            raise ValueError("le SIRET a une clé de contrôle invalide") from None
        return compact

    @property
    def siren(self) -> Optional[str]:
        """L'entreprise (9 chiffres) dont le SIRET désigne un établissement ; le de minimis se compte par elle."""
        siret = self.siret
        if not siret:
            return None
        # A validated SIRET is stored compact, fourteen digits: its SIREN is its first nine.
        return siret[:9] if len(siret) == 14 and siret.isascii() and siret.isdigit() else stdnum_siret.to_siren(siret)


class Projet(_Strict):
    titre: Optional[Titre] = None
    description: Optional[Description] = None
    commune_insee: Optional[str] = None
    nature: Optional[Nature] = None
    secteur: Optional[Secteur] = None
    hebergement_type: Optional[TypeHebergement] = None
    clienteles: Optional[list[Clientele]] = None
    thematiques: Optional[list[Thematique]] = None
    transition_ecologique: Optional[StrictBool] = None
    diagnostic_environnemental: Optional[StrictBool] = None
    accessibilite: Optional[StrictBool] = None
    labels: Optional[list[Label]] = None
    date_debut_travaux: Optional[Date] = None
    # Added to the contract (optional): the PRIT fund « projets d'envergure régionale » (000, art. 3),
    # a scale the other fields cannot tell.
    envergure: Optional[Envergure] = None

    @field_validator("commune_insee")
    @classmethod
    def _code_insee_forme(cls, valeur: Optional[str]) -> Optional[str]:
        if valeur is None or valeur == "":
            return None
        identifiant(valeur)
        code = valeur.upper()
        if len(code) != 5 or not code.isascii() or not (code.isdigit() or (code[:2] in ("2A", "2B")
                                                                          and code[2:].isdigit())):
            raise ValueError("un code INSEE de commune compte 5 caractères (ex. 62119)")
        return code


class Financement(_Strict):
    financeur: FinanceurId
    montant: Montant
    statut: StatutFinancement


class Budget(_Strict):
    cout_total_ht: Optional[MontantStrictementPositif] = None
    depenses_investissement: Optional[Montant] = None
    montant_sollicite: Optional[Montant] = None
    financements: Optional[list[Financement]] = None


class Dossier(_Strict):
    @model_validator(mode="before")
    @classmethod
    def _blocs_nuls_inconnus(cls, donnees: Any) -> Any:
        # The contract says null is unknown: a null block is a block with every field unknown.
        # Three lookups, no generator: this runs for every dossier of a batch.
        if isinstance(donnees, dict) and (donnees.get("porteur", 0) is None or donnees.get("projet", 0) is None
                                          or donnees.get("budget", 0) is None):
            return {k: v for k, v in donnees.items() if not (k in ("porteur", "projet", "budget") and v is None)}
        return donnees

    reference: Reference
    date_depot: Optional[Date] = None
    porteur: Porteur = Field(default_factory=Porteur)
    projet: Projet = Field(default_factory=Projet)
    budget: Budget = Field(default_factory=Budget)


"""Ce que partagent les tests de l'adaptateur durable-rules : des règles écrites en YAML et lues par le
vrai chargeur, des faits au hasard et à leurs bornes, et un modèle pur Python du moteur.

Le modèle lit les expressions de traduction.py sur les faits écrits par codage.py, avec la sémantique
que l'adaptateur attend du moteur (un champ absent fait échouer tout test sauf « $nex », « $iall »
est faux sur une liste vide) : il juge la traduction là où durable-rules ne s'importe pas (Python
3.13), et un test le compare au vrai moteur là où il s'importe. Rien ici n'importe durable-rules.
"""
import json
import textwrap
from datetime import date
from typing import Any, Sequence

from hypothesis import strategies as st

from rules.chargement import lire_fichier
from rules.durable.codage import texte_du_lot
from rules.durable.traduction import expression

GABARIT = """\
  - id: t.r{k}
    titre: règle {k}
    financeur: region_hdf
    effet: eligible
    si:
{si}
    message: m
    source: {{document: d, reference: r, extrait: e}}
    interpretation: false
    en_vigueur: {{du: null, au: null}}
"""


def charger(*conditions: str):
    """Des règles t.r0, t.r1… lues par le vrai chargeur, une par condition (texte YAML de « si »)."""
    texte = "regles:\n" + "".join(
        GABARIT.format(k=k, si=textwrap.indent(textwrap.dedent(si).strip(), " " * 6))
        for k, si in enumerate(conditions))
    regles, erreurs = lire_fichier("t.yaml", texte)
    assert not erreurs, erreurs
    return regles


IMBRIQUEES = ["""
    toutes:
      - projet.nature: {parmi: [investissement, etude]}
      - au_moins_une:
          - projet.thematiques: {contient_un_de: [velo, memoire]}
          - budget.cout_total_ht: {sup: 100000}
      - aucune:
          - porteur.type: adrt
          - projet.labels: {contient: clef_verte}
    """, """
    aucune:
      - toutes:
          - porteur.public: true
          - dossier.date_reference: {inf: 2025-01-01}
      - au_moins_une:
          - projet.thematiques: {ne_contient_aucun: [velo]}
          - porteur.type: {hors_de: [commune, epci]}
    """, """
    au_moins_une:
      - aucune:
          - projet.nature: etude
      - toutes:
          - projet.labels: {renseigne: false}
          - budget.cout_total_ht: {max: 5000}
    """]

REGLES_PROPRIETE = [
    "projet.nature: {parmi: [investissement, etude]}",
    "projet.nature: {different_de: promotion}",
    "porteur.type: {hors_de: [commune, epci, adrt]}",
    "projet.thematiques: {ne_contient_aucun: [velo, memoire]}",
    "projet.thematiques: velo",
    "projet.labels: {contient_un_de: [clef_verte, accueil_velo]}",
    "budget.cout_total_ht: {min: 100000}",
    "budget.cout_total_ht: {max: 0.5}",
    "budget.taux_aides_publiques: {sup: 0.00001}",
    "budget.taux_aides_publiques: {inf: 0.8}",
    "dossier.date_reference: {min: 2025-01-01}",
    "dossier.date_reference: {inf: 2026-07-01}",
    "porteur.public: true",
    "territoire.epci: '200069037'",
    "projet.date_debut_travaux: {renseigne: false}",
    *IMBRIQUEES,
    """
    aucune:
      - budget.cout_total_ht: {sup: 100000}
      - projet.labels: {contient: clef_verte}
      - porteur.public: false
    """,
    """
    au_moins_une:
      - projet.nature: promotion
      - porteur.public: true
      - budget.taux_aides_publiques: {min: 0.5}
      - projet.thematiques: {contient_un_de: [nature, velo]}
    """,
]

NOMBRES = st.one_of(st.integers(-10, 300000), st.floats(-1e25, 1e25, allow_nan=False),
                    st.sampled_from([0.0, -0.0, 0.5, 1e-5, 0.00001000001, 100000.0, 99999.99999999999, 1e-300]))
CHAMPS = {
    "projet.nature": st.sampled_from(["investissement", "etude", "promotion", "evenementiel"]),
    "porteur.type": st.sampled_from(["commune", "epci", "adrt", "entreprise", "association"]),
    "projet.thematiques": st.lists(st.sampled_from(["velo", "memoire", "nature", "culture"]), max_size=3,
                                   unique=True).map(tuple),
    "projet.labels": st.lists(st.sampled_from(["clef_verte", "accueil_velo", "qualite_tourisme"]), max_size=2,
                              unique=True).map(tuple),
    "budget.cout_total_ht": NOMBRES,
    "budget.taux_aides_publiques": NOMBRES,
    "dossier.date_reference": st.dates(date(2023, 1, 1), date(2028, 12, 31)),
    "porteur.public": st.booleans(),
    "territoire.epci": st.sampled_from(["200069037", "246200364", 'é"\\']),
    "projet.date_debut_travaux": st.dates(date(2023, 1, 1), date(2028, 12, 31)),
}
CONNUS = st.fixed_dictionaries(CHAMPS)
PARFOIS_INCONNUS = st.fixed_dictionaries({c: st.one_of(st.none(), s) for c, s in CHAMPS.items()})

# Facts on the thresholds of REGLES_PROPRIETE, each alone and under « aucune », so that no catch
# depends on a random draw: the properties run them as explicit examples.
_BASE = {"projet.nature": "etude", "porteur.type": "commune", "projet.thematiques": (), "projet.labels": (),
         "porteur.public": False, "territoire.epci": "246200364"}
BORNES = [
    [{**_BASE, "budget.cout_total_ht": c, "budget.taux_aides_publiques": t, "dossier.date_reference": d,
      "projet.date_debut_travaux": d}
     for c, t, d in [(100000, 0.8, date(2025, 1, 1)), (100000.0, 0.00001, date(2026, 7, 1)),
                     (99999.99, 0.79, date(2024, 12, 31)), (100000.01, 0.81, date(2026, 6, 30)),
                     (0.5, 0.5, date(2025, 1, 2)), (0.51, 0.49, date(2026, 7, 2)), (0.49, 0.0, date(2023, 1, 1))]],
    [{**_BASE, "projet.nature": "investissement", "projet.thematiques": ("velo",), "budget.cout_total_ht": c,
      "porteur.public": True, "dossier.date_reference": date(2024, 12, 31)} for c in (100000, 100000.01, 99999.99)],
    [{"budget.cout_total_ht": 100000.0}, {"budget.cout_total_ht": 100000.01}, {}],  # the negated sup, alone
]


# --- A pure model of the engine ------------------------------------------------------------------

def _vrai(e: dict, fait: dict) -> bool:
    ((op, arg),) = e.items()
    if op in ("$and", "$or"):
        return (all if op == "$and" else any)(_vrai(x, fait) for x in arg)
    if op in ("$ex", "$nex"):
        ((cle, _),) = arg.items()
        return (cle in fait) == (op == "$ex")
    if op in ("$iany", "$iall"):
        ((cle, sous),) = arg.items()
        items = fait.get(cle)
        if not items:  # absent, or an empty list: the engine's allItems is false there too
            return False
        return (any if op == "$iany" else all)(_vrai(sous, {"$i": x}) for x in items)
    if op in _COMPARAISONS:
        ((cle, k),) = arg.items()
        return cle in fait and _meme_genre(fait[cle], k) and _COMPARAISONS[op](fait[cle], k)
    return op in fait and _meme_genre(fait[op], arg) and fait[op] == arg  # {field: value}


_COMPARAISONS = {"$gt": lambda a, b: a > b, "$gte": lambda a, b: a >= b, "$lt": lambda a, b: a < b,
                 "$lte": lambda a, b: a <= b, "$neq": lambda a, b: a != b}


def _meme_genre(a: Any, b: Any) -> bool:
    nombre = (int, float)
    return (type(a) is bool) == (type(b) is bool) and isinstance(a, nombre) == isinstance(b, nombre)


def declenchees_modele(regles: Sequence, lot: Sequence[dict]) -> list[frozenset[int]]:
    """Ce que MoteurDurable(regles).declenchees(lot) doit rendre, calculé sans le moteur."""
    champs = dict.fromkeys(c for r in regles for c in r.condition.champs())
    noms = tuple((c, f"c{k}") for k, c in enumerate(champs))
    expressions = [expression(r.condition, dict(noms)) for r in regles]
    faits = json.loads(texte_du_lot(lot, noms, "s", {"id": len(lot), "sid": "s", "__temoin": 1}))
    resultats: list[frozenset[int]] = [frozenset()] * len(lot)
    for fait in faits:
        if fait["id"] < len(lot):
            resultats[fait["id"]] = frozenset(i for i, e in enumerate(expressions) if _vrai(e, fait))
    return resultats


# --- A spy on the engine's own API ---------------------------------------------------------------

class EspionDuMoteur:
    """Enveloppe le module C du moteur (`durable_rules_engine`, tel que session.py le tient) et note ce que
    l'adaptateur lui demande : les rulesets compilés, chaque lot affirmé (sur quel ruleset, accepté ou
    refusé) et les messages d'action rendus. Les tests jugent ainsi ce que l'adaptateur fait du moteur, et
    non ses caches privés. Ne l'importe pas : il reçoit le module."""

    def __init__(self, moteur: Any):
        self._moteur = moteur
        self.compilations = 0
        self.affirmations: list[tuple[int, bool]] = []  # (ruleset handle, accepted)
        self.messages: list[str] = []

    def create_ruleset(self, *arguments):
        self.compilations += 1
        return self._moteur.create_ruleset(*arguments)

    def assert_facts(self, handle, texte):
        try:
            resultat = self._moteur.assert_facts(handle, texte)
        except Exception:
            self.affirmations.append((handle, False))
            raise
        self.affirmations.append((handle, True))
        return resultat

    def start_action_for_state(self, *arguments):
        debut = self._moteur.start_action_for_state(*arguments)
        if debut and debut[1]:
            self.messages.append(debut[1])
        return debut

    def complete_and_start_action(self, *arguments):
        message = self._moteur.complete_and_start_action(*arguments)
        if message:
            self.messages.append(message)
        return message

    def __getattr__(self, nom: str) -> Any:
        return getattr(self._moteur, nom)

    def rulesets_affirmes(self) -> list[int]:
        """Les rulesets sur lesquels un lot a été accepté, dans l'ordre, sans doublon."""
        return list(dict.fromkeys(h for h, accepte in self.affirmations if accepte))

    def refus(self) -> int:
        return sum(1 for _, accepte in self.affirmations if not accepte)

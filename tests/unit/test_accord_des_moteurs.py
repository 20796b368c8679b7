"""durable-rules et l'évaluateur Python concluent pareil sur tout dossier entièrement connu, seuils des
règles compris ; et quand ils ne concluent pas pareil, ou que durable-rules refuse un lot, Guichet le
compte sans perdre un dossier.

Tous ces tests parlent au moteur durable-rules : là où il ne s'importe pas (Python 3.13), ils sont
sautés, avec leur raison ; aucune comparaison ne passe alors à vide.
"""
from datetime import date

import pytest
from hypothesis import HealthCheck, example, given, settings

from rules import durable
from rules.evaluateur import DECODE, compiler
from tests.unit.strategies import dossier_complet

pytestmark = pytest.mark.skipif(not durable.disponible(),
                                reason="durable-rules ne s'importe pas ici (Python 3.13 ?) : rien à comparer")

ADEME = "ademe_fonds_tourisme_durable"


def au_seuil(date_depot: str, cout: float, sollicite: float, minimis: float, ademe: float = 0) -> dict:
    """Un dossier complet dont les faits dérivés tombent sur (ou juste à côté de) les seuils des règles :
    total des aides publiques 153 000 €, taux 0,8, cumul de minimis 200 000 / 300 000 €, aide ADEME
    200 000 € et plancher 5 000 €, dates du 2024-01-01, 2025-01-01 et 2027-12-31."""
    return {
        "reference": f"SEUIL-{date_depot}", "date_depot": date_depot,
        "porteur": {"type": "entreprise", "taille": "petite", "rayonnement": "regional",
                    "aides_minimis_3_ans": minimis, "activite_economique": True},
        "projet": {"commune_insee": "62119", "nature": "investissement", "secteur": "hebergement",
                   "hebergement_type": "camping", "clienteles": ["happy_family"], "thematiques": ["velo"],
                   "transition_ecologique": True, "diagnostic_environnemental": True, "accessibilite": True,
                   "labels": [], "date_debut_travaux": "2028-06-01", "envergure": "regionale"},
        "budget": {"cout_total_ht": cout, "depenses_investissement": cout, "montant_sollicite": sollicite,
                   "financements": [{"financeur": ADEME, "montant": ademe, "statut": "sollicite"}] if ademe else []},
    }


SEUILS = [
    au_seuil("2025-01-01", 191250, 153000, 47000),  # total 153 000, taux 0.8, minimis 200 000: all at the line
    au_seuil("2024-12-31", 191250, 152999.99, 47000.02),  # just below, and minimis just above
    au_seuil("2024-01-01", 250000, 0, 100000, ademe=200000),  # ADEME 200 000, minimis 300 000
    au_seuil("2023-12-31", 250000, 0, 100000, ademe=200000.01),
    au_seuil("2027-12-31", 100000, 10000, 0, ademe=5000),  # the ADEME floor, the end of the contract
    au_seuil("2028-01-01", 100000, 10000, 0, ademe=4999.99),
]


@pytest.fixture(scope="module")
def guichet_durable(base, territoire):
    from instruction.evaluation.guichet import Guichet
    return Guichet(base, territoire, moteur="durable")


def _avec_seuils(test):
    for dossier in SEUILS:
        test = example(dossier=dossier)(test)
    return test


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(dossier=dossier_complet())
@_avec_seuils
def test_les_deux_moteurs_donnent_la_meme_evaluation(guichet_python, guichet_durable, dossier):
    assert guichet_durable.moteur == "durable"
    assert guichet_durable.evaluer(dossier) == guichet_python.evaluer(dossier)
    # Judged by durable-rules, not by the Python fallback: else the comparison would pass trivially.
    assert guichet_durable.replis_python == 0
    assert guichet_durable.desaccords == 0


@settings(max_examples=50, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(dossier=dossier_complet())
@_avec_seuils
def test_les_regles_declenchees_sont_les_memes_regle_par_regle(base, territoire, dossier):
    from forms.validation import valider_dossier
    from instruction.evaluation.faits import faits_du_dossier
    valide, erreurs = valider_dossier(dossier)
    assert valide is not None, erreurs
    jour = valide.date_depot
    assert isinstance(jour, date)
    jeu = base.en_vigueur(jour)
    faits = faits_du_dossier(valide, territoire, jour)
    python = {i for i, r in enumerate(jeu.evaluer(faits)) if r is True}
    (feu,) = durable.MoteurDurable(jeu.regles).declenchees([faits])
    assert set(feu) == python


def test_les_seuils_sont_bien_sur_les_seuils(base, territoire):
    from forms.validation import valider_dossier
    from instruction.evaluation.faits import faits_du_dossier
    faits = [faits_du_dossier(d, territoire, d.date_depot) for d in (valider_dossier(s)[0] for s in SEUILS)]
    assert [f["budget.total_aides_publiques"] for f in faits[:2]] == [153000, 152999.99]
    assert faits[0]["budget.taux_aides_publiques"] == 0.8 and faits[0]["budget.cumul_aides_minimis"] == 200000
    assert [f["budget.aide_ademe"] for f in faits[2:]] == [200000, 200000.01, 5000, 4999.99]
    assert faits[2]["budget.cumul_aides_minimis"] == 300000 and faits[4]["budget.aide_ademe_plafond"] == 5000


# --- When the engines disagree, or durable-rules refuses ---------------------------------------------

JOUR = date(2025, 6, 1)  # one date for the whole lot: one rules version, hence one batch


def test_un_desaccord_force_est_compte_une_fois_par_dossier_et_le_verdict_de_durable_rules_est_rendu(
        base, territoire, guichet_python, exemples, monkeypatch):
    """Guichet._decisions merges the two engines: a rule is true if and only if durable-rules fired it;
    a rule it did not fire is unknown where Python says unknown, false otherwise. A disagreement is
    counted (once per dossier, however many rules differ) and not corrected: the evaluation returned is
    built on durable-rules' verdict (with Python's test details), never dropped nor replaced."""
    from instruction.evaluation.guichet import Guichet
    vraie = durable.MoteurDurable.declenchees
    ajoutees = {}

    def faussee(self, lot):
        feux = vraie(self, lot)
        python = compiler(self.regles)(lot[3])
        ajoutees[3] = next(i for i, x in enumerate(python) if DECODE[x] is False)
        return [frozenset() if n == 1 else feu | {ajoutees[3]} if n == 3 else feu for n, feu in enumerate(feux)]

    monkeypatch.setattr(durable.MoteurDurable, "declenchees", faussee)
    guichet = Guichet(base, territoire, moteur="durable")
    sorties = [e.en_json() for e in guichet.evaluer_lot(exemples, JOUR)]
    attendues = [e.en_json() for e in guichet_python.evaluer_lot(exemples, JOUR)]
    assert (guichet.desaccords, guichet.replis_python) == (2, 0)
    assert len(sorties) == len(exemples) and all("avis" in s for s in sorties)
    assert [n for n, (s, a) in enumerate(zip(sorties, attendues)) if s != a] == [1, 3]
    assert attendues[1]["constats"] and sorties[1]["constats"] == []  # nothing fired: no finding
    regle = guichet.base.en_vigueur(JOUR).regles[ajoutees[3]].id
    assert regle in {c["regle"] for c in sorties[3]["constats"]} - {c["regle"] for c in attendues[3]["constats"]}


def test_un_lot_refuse_par_durable_est_juge_par_python_et_compte_a_la_taille_du_lot(
        base, territoire, guichet_python, exemples, monkeypatch):
    from instruction.evaluation.guichet import Guichet
    vraie, appels = durable.MoteurDurable.declenchees, []

    def refuse_le_deuxieme(self, lot):
        appels.append(len(lot))
        if len(appels) == 2:
            raise durable.ErreurMoteurDurable("valeur non transmissible")
        return vraie(self, lot)

    monkeypatch.setattr(durable.MoteurDurable, "declenchees", refuse_le_deuxieme)
    guichet = Guichet(base, territoire, moteur="durable")
    lot = [*exemples[:7], {"reference": "CASSE", "projet": {"nature": "fete"}}]  # an invalid one is no fact
    sorties = list(guichet.evaluer_lot(lot, JOUR, taille=5))
    assert appels == [5, 2]  # batches of 5 entries; the invalid one is not sent
    assert sorties == list(guichet_python.evaluer_lot(lot, JOUR, taille=5))
    assert (guichet.replis_python, guichet.desaccords) == (2, 0)


def test_un_lot_entier_refuse_est_juge_par_python(base, territoire, guichet_python, exemples, monkeypatch):
    from instruction.evaluation.guichet import Guichet

    def refuse(self, lot):
        raise durable.ErreurMoteurDurable("valeur non transmissible")

    monkeypatch.setattr(durable.MoteurDurable, "declenchees", refuse)
    guichet = Guichet(base, territoire, moteur="durable")
    assert list(guichet.evaluer_lot(exemples)) == list(guichet_python.evaluer_lot(exemples))
    assert guichet.replis_python == len(exemples)  # every dossier, whatever its batch (rules version)


def test_un_ruleset_refuse_par_durable_est_compte_et_juge_par_python(base, territoire, guichet_python, monkeypatch):
    from instruction.evaluation.guichet import Guichet

    def refuse(self, regles):
        raise durable.ErreurMoteurDurable("error code: 102")

    monkeypatch.setattr(durable.MoteurDurable, "__init__", refuse)
    guichet = Guichet(base, territoire, moteur="durable")
    dossier = {"reference": "R", "date_depot": "2025-03-10", "projet": {"commune_insee": "62119"}}
    assert guichet.evaluer(dossier) == guichet_python.evaluer(dossier)
    assert guichet.replis_python == 1

"""Les bornes des montants du contrat (forms), chacune jugée exactement à la limite et juste à côté : au
centime près, positifs ou nuls (le coût strictement positif), sous 1 000 milliards d'euros, la demande et
l'investissement dans le coût."""
import pytest

from forms.validation import valider_dossier

PLAFOND = "doit être inférieur à 1 000 milliards d'euros"
CENTIME = "doit être un montant au centime près (deux décimales au plus)"


def _erreurs(budget: dict) -> list[tuple[str, str]]:
    dossier, erreurs = valider_dossier({"reference": "B", "budget": budget})
    assert (dossier is None) == bool(erreurs)
    return [(e.champ, e.message) for e in erreurs]


@pytest.mark.parametrize("budget, attendues", [
    ({"montant_sollicite": 0}, []),  # nothing asked is an answer, not an error
    ({"montant_sollicite": -0.01}, [("budget.montant_sollicite", "doit être un montant positif ou nul")]),
    ({"financements": [{"financeur": "leader", "montant": 0, "statut": "acquis"}]}, []),
    ({"cout_total_ht": 0.01}, []),
    ({"cout_total_ht": 0}, [("budget.cout_total_ht", "doit être un montant strictement positif")]),
])
def test_un_montant_est_positif_ou_nul_et_le_cout_strictement_positif(budget, attendues):
    assert _erreurs(budget) == attendues


@pytest.mark.parametrize("champ", ["cout_total_ht", "montant_sollicite", "depenses_investissement"])
@pytest.mark.parametrize("montant, refuse", [(999999999999.99, False), (1e12, True), (1e12 + 1, True)])
def test_un_montant_reste_sous_1000_milliards_d_euros_exactement(champ, montant, refuse):
    assert _erreurs({champ: montant}) == ([(f"budget.{champ}", PLAFOND)] if refuse else [])


@pytest.mark.parametrize("champ", ["cout_total_ht", "montant_sollicite", "aides_minimis"])
@pytest.mark.parametrize("montant, refuse", [(0.01, False), (10.5, False), (1234.56, False), (0.001, True),
                                             (10.005, True), (1234.567, True)])
def test_un_montant_s_ecrit_au_centime_pres(champ, montant, refuse):
    if champ == "aides_minimis":
        dossier, erreurs = valider_dossier({"reference": "B", "porteur": {"aides_minimis_3_ans": montant}})
        trouvees = [(e.champ, e.message) for e in erreurs]
        assert trouvees == ([("porteur.aides_minimis_3_ans", CENTIME)] if refuse else [])
        return
    assert _erreurs({champ: montant}) == ([(f"budget.{champ}", CENTIME)] if refuse else [])


@pytest.mark.parametrize("champ, message", [
    ("montant_sollicite", "le montant sollicité dépasse le coût total HT"),
    ("depenses_investissement", "les dépenses d'investissement dépassent le coût total HT"),
])
@pytest.mark.parametrize("montant, refuse", [(99999.99, False), (100000, False), (100000.01, True)])
def test_la_demande_et_l_investissement_peuvent_egaler_le_cout_mais_pas_le_depasser(champ, message, montant,
                                                                                   refuse):
    attendues = [(f"budget.{champ}", message)] if refuse else []
    assert _erreurs({"cout_total_ht": 100000, champ: montant}) == attendues
